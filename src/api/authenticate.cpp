#include "api/authenticate.h"

#include <strings.h>

#include "common/time_format.h"
#include "oauth/verifier.h"

namespace portrait::api {
namespace {

constexpr std::string_view kBearerPrefix = "Bearer ";

ApiError FromOAuthFailure(oauth::Failure failure) {
  switch (failure) {
    case oauth::Failure::kMissingCredentials:
      return errors::kBadAuthenticationData;
    case oauth::Failure::kBadSignature:
      return errors::kCouldNotAuthenticate;
    case oauth::Failure::kInvalidToken:
      return errors::kInvalidToken;
    case oauth::Failure::kTimestampOutOfBounds:
      return errors::kTimestampOutOfBounds;
  }
  return errors::kCouldNotAuthenticate;
}

Result<Principal, ApiError> AuthenticateBearer(ApiContext& context, const http::Request& request) {
  std::string_view token = request.header("Authorization")->substr(kBearerPrefix.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  std::optional<store::BearerToken> bearer = context.store.FindBearerToken(token);
  if (!bearer || bearer->revoked) return Failure{errors::kInvalidToken};
  return Principal{
      true,          bearer->app_id,           0, "app:" + std::to_string(bearer->app_id),
      std::string(), store::AccessLevel::kRead};
}

oauth::SignedRequest SignedRequestOf(const http::Request& request) {
  oauth::SignedRequest signed_request;
  signed_request.method = request.method;
  signed_request.scheme = request.scheme;
  signed_request.host = request.host;
  signed_request.path = std::string(request.path());
  signed_request.query = std::string(request.query());
  signed_request.content_type = request.header("Content-Type").value_or("");
  signed_request.body = request.body;
  if (auto authorization = request.header("Authorization")) {
    signed_request.authorization = std::string(*authorization);
  }
  return signed_request;
}

oauth::VerifyOptions VerifyOptionsFor(const ApiContext& context, int64_t now) {
  oauth::VerifyOptions options;
  options.now = now;
  options.timestamp_window_seconds = context.options.oauth_timestamp_window_seconds;
  return options;
}

Result<Principal, ApiError> AuthenticateOAuth1(ApiContext& context, const http::Request& request) {
  const oauth::SignedRequest signed_request = SignedRequestOf(request);
  store::MetadataStore& store = context.store;
  // The app and the token come from one read: one snapshot, one round trip on PostgreSQL.
  std::optional<store::AccessToken> access_token;
  oauth::Lookups lookups;
  lookups.keys_secrets = [&](std::string_view consumer_key, std::string_view token) {
    oauth::FoundSecrets secrets;
    std::optional<store::AppAndAccessToken> found =
        store.FindAppAndAccessToken(consumer_key, token);
    if (!found || found->app.revoked) return secrets;
    secrets.consumer_secret = found->app.consumer_secret;
    if (found->token && !found->token->revoked && found->token->app_id == found->app.id) {
      secrets.token_secret = found->token->secret;
      access_token = std::move(found->token);
    }
    return secrets;
  };
  const int64_t now = NowSeconds();
  lookups.record_nonce = [&](std::string_view consumer_key, std::string_view token,
                             std::string_view nonce, int64_t expires_at) {
    return store.RecordNonce(consumer_key, token, nonce, expires_at, now);
  };

  oauth::VerifyOptions options = VerifyOptionsFor(context, now);
  // Every caller here acts for a user: a signature without an access token identifies nobody
  // and is refused as missing credentials (400/215, as Twitter answered it) before any lookup.
  options.require_token = true;
  auto verified = oauth::Verify(signed_request, lookups, options);
  if (!verified.ok()) return Failure{FromOAuthFailure(verified.error())};
  if (!access_token) throw Fault("oauth: a verified token was never looked up");
  return Principal{false,
                   access_token->app_id,
                   access_token->user_id,
                   "user:" + std::to_string(access_token->user_id),
                   access_token->token,
                   access_token->access_level};
}

}  // namespace

bool HasBearerToken(const http::Request& request) {
  auto authorization = request.header("Authorization");
  return authorization && authorization->size() > kBearerPrefix.size() &&
         strncasecmp(authorization->data(), kBearerPrefix.data(), kBearerPrefix.size()) == 0;
}

Result<Principal, ApiError> AuthenticateUser(ApiContext& context, const http::Request& request) {
  if (HasBearerToken(request)) {
    auto bearer = AuthenticateBearer(context, request);
    if (!bearer.ok()) return bearer;
    return Failure{errors::kBearerNotAllowed};
  }
  return AuthenticateOAuth1(context, request);
}

Result<Principal, ApiError> AuthenticateUserOrApp(ApiContext& context,
                                                  const http::Request& request) {
  if (HasBearerToken(request)) return AuthenticateBearer(context, request);
  return AuthenticateOAuth1(context, request);
}

Result<ConsumerCall, ApiError> AuthenticateConsumer(ApiContext& context,
                                                    const http::Request& request) {
  store::MetadataStore& store = context.store;
  std::optional<store::App> app;
  std::optional<store::RequestToken> request_token;
  oauth::Lookups lookups;
  lookups.consumer_secret = [&](std::string_view consumer_key) -> std::optional<std::string> {
    app = store.FindAppByConsumerKey(consumer_key);
    if (!app || app->revoked) return std::nullopt;
    return app->consumer_secret;
  };
  lookups.token_secret = [&](std::string_view consumer_key,
                             std::string_view token) -> std::optional<std::string> {
    if (!app || app->consumer_key != consumer_key) return std::nullopt;
    request_token = store.FindRequestToken(token);
    // Another app's request token is no token of this one: the verifier of a flow cannot be
    // finished under a consumer key that did not start it.
    if (!request_token || request_token->app_id != app->id) {
      request_token.reset();
      return std::nullopt;
    }
    return request_token->secret;
  };
  const int64_t now = NowSeconds();
  lookups.record_nonce = [&](std::string_view consumer_key, std::string_view token,
                             std::string_view nonce, int64_t expires_at) {
    return store.RecordNonce(consumer_key, token, nonce, expires_at, now);
  };
  auto verified = oauth::Verify(SignedRequestOf(request), lookups, VerifyOptionsFor(context, now));
  if (!verified.ok()) return Failure{FromOAuthFailure(verified.error())};
  if (!app) throw Fault("oauth: a verified consumer was never looked up");
  return ConsumerCall{std::move(*app), std::move(request_token), std::move(verified->protocol)};
}

}  // namespace portrait::api
