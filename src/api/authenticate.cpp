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
  return Principal{true, bearer->app_id, 0, "app:" + std::to_string(bearer->app_id)};
}

Result<Principal, ApiError> AuthenticateOAuth1(ApiContext& context, const http::Request& request) {
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

  oauth::VerifyOptions options;
  options.now = now;
  options.timestamp_window_seconds = context.options.oauth_timestamp_window_seconds;
  // Every caller here acts for a user: a signature without an access token identifies nobody
  // and is refused as missing credentials (400/215, as Twitter answered it) before any lookup.
  options.require_token = true;
  auto verified = oauth::Verify(signed_request, lookups, options);
  if (!verified.ok()) return Failure{FromOAuthFailure(verified.error())};
  if (!access_token) throw Fault("oauth: a verified token was never looked up");
  return Principal{false, access_token->app_id, access_token->user_id,
                   "user:" + std::to_string(access_token->user_id), access_token->token};
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

}  // namespace portrait::api
