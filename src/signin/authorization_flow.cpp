#include "signin/authorization_flow.h"

#include <sodium.h>

#include "common/random.h"
#include "signin/callback_url.h"
#include "signin/libsodium.h"

namespace portrait::signin {
namespace {

constexpr size_t kPinDigits = 7;
constexpr size_t kVerifierLength = 32;

std::string RandomPin() {
  std::string pin;
  for (size_t i = 0; i < kPinDigits; ++i) pin += static_cast<char>('0' + randombytes_uniform(10));
  return pin;
}

AuthorizeProblem FromStore(store::RequestTokenRefusal refusal) {
  switch (refusal) {
    case store::RequestTokenRefusal::kUnknown:
      return AuthorizeProblem::kUnknownToken;
    case store::RequestTokenRefusal::kExpired:
      return AuthorizeProblem::kExpired;
    case store::RequestTokenRefusal::kAlreadyDecided:
      return AuthorizeProblem::kAlreadyDecided;
  }
  return AuthorizeProblem::kUnknownToken;
}

}  // namespace

AuthorizationFlow::AuthorizationFlow(store::MetadataStore& store, Accounts& accounts,
                                     const FlowOptions& options)
    : store_(store), accounts_(accounts), options_(options) {
  InitLibsodium();
}

std::optional<store::AccessLevel> AuthorizationFlow::LevelFor(
    const store::App& app, std::optional<std::string_view> access_type) const {
  if (!access_type || *access_type == "write") return app.access_level;
  if (*access_type == "read") return store::AccessLevel::kRead;
  return std::nullopt;
}

Result<store::RequestToken, RequestTokenProblem> AuthorizationFlow::IssueRequestToken(
    const store::App& app, std::string_view callback, std::optional<std::string_view> access_type,
    int64_t now) {
  if (app.revoked) return Failure{RequestTokenProblem::kAppRevoked};
  std::optional<store::AccessLevel> level = LevelFor(app, access_type);
  if (!level) return Failure{RequestTokenProblem::kBadAccessType};
  Result<std::string, CallbackProblem> approved = ApproveCallback(callback, app.callback_urls);
  if (!approved.ok()) {
    return Failure{approved.error() == CallbackProblem::kNotApproved
                       ? RequestTokenProblem::kCallbackNotApproved
                       : RequestTokenProblem::kBadCallback};
  }
  return store_.CreateRequestToken(
      store::NewRequestToken{app.id, *approved, *level, now + options_.request_token_seconds}, now);
}

std::optional<PendingAuthorization> AuthorizationFlow::FindPending(std::string_view request_token,
                                                                   int64_t now) {
  std::optional<store::RequestToken> token = store_.FindRequestToken(request_token);
  if (!token || token->state != store::RequestTokenState::kPending || now >= token->expires_at) {
    return std::nullopt;
  }
  std::optional<store::App> app = store_.FindAppById(token->app_id);
  if (!app || app->revoked) return std::nullopt;
  return PendingAuthorization{std::move(*token), std::move(*app)};
}

Result<Authorization, AuthorizeProblem> AuthorizationFlow::Authorize(std::string_view request_token,
                                                                     int64_t user_id, int64_t now) {
  std::optional<store::RequestToken> token = store_.FindRequestToken(request_token);
  if (!token) return Failure{AuthorizeProblem::kUnknownToken};
  std::optional<store::App> app = store_.FindAppById(token->app_id);
  if (!app || app->revoked) return Failure{AuthorizeProblem::kAppRevoked};
  const bool out_of_band = IsOutOfBand(token->callback);
  std::string verifier = out_of_band ? RandomPin() : RandomAlphanumeric(kVerifierLength);
  Result<store::RequestToken, store::RequestTokenRefusal> authorized =
      store_.AuthorizeRequestToken(request_token, user_id, verifier, now);
  if (!authorized.ok()) return Failure{FromStore(authorized.error())};
  Authorization authorization{std::move(*authorized), std::move(*app), std::move(verifier), {}};
  if (!out_of_band) {
    authorization.redirect = WithQueryParameters(
        authorization.token.callback,
        {{"oauth_token", authorization.token.token}, {"oauth_verifier", authorization.verifier}});
  }
  return authorization;
}

Result<Denial, AuthorizeProblem> AuthorizationFlow::Deny(std::string_view request_token,
                                                         int64_t now) {
  Result<store::RequestToken, store::RequestTokenRefusal> denied =
      store_.DenyRequestToken(request_token, now);
  if (!denied.ok()) return Failure{FromStore(denied.error())};
  std::optional<store::App> app = store_.FindAppById(denied->app_id);
  if (!app) return Failure{AuthorizeProblem::kAppRevoked};
  Denial denial{std::move(*app), denied->token, {}};
  if (!IsOutOfBand(denied->callback)) {
    denial.redirect = WithQueryParameters(denied->callback, {{"denied", denied->token}});
  }
  return denial;
}

Result<Grant, store::ExchangeRefusal> AuthorizationFlow::Exchange(const store::App& consumer,
                                                                  std::string_view request_token,
                                                                  std::string_view verifier,
                                                                  int64_t now) {
  if (consumer.revoked) return Failure{store::ExchangeRefusal::kAppRevoked};
  Result<store::AccessToken, store::ExchangeRefusal> exchanged =
      store_.ExchangeRequestToken(request_token, consumer.id, verifier, now);
  if (!exchanged.ok()) return Failure{exchanged.error()};
  std::optional<store::User> user = store_.FindUserById(exchanged->user_id);
  if (!user) throw Fault("an access token was issued to an unknown user");
  return Grant{std::move(*exchanged), std::move(*user)};
}

Result<Grant, XAuthRefusal> AuthorizationFlow::XAuth(
    const store::App& consumer, std::string_view screen_name, const Password& password,
    std::string_view client_address, std::optional<std::string_view> access_type, int64_t now) {
  if (consumer.revoked || !consumer.allow_xauth) return Failure{XAuthRefusal::kNotAllowed};
  std::optional<store::AccessLevel> level = LevelFor(consumer, access_type);
  if (!level) return Failure{XAuthRefusal::kBadAccessType};
  Result<store::User, SignInRefusal> user =
      accounts_.SignIn(screen_name, password, client_address, now);
  if (!user.ok()) {
    return Failure{user.error() == SignInRefusal::kThrottled ? XAuthRefusal::kThrottled
                                                             : XAuthRefusal::kBadCredentials};
  }
  store::AccessToken token = store_.CreateAccessToken(user->id, consumer.id, *level, now);
  return Grant{std::move(token), std::move(*user)};
}

bool AuthorizationFlow::AlreadyAuthorized(int64_t user_id, int64_t app_id) {
  return store_.FindLiveAccessToken(user_id, app_id).has_value();
}

std::vector<store::ConnectedApp> AuthorizationFlow::ConnectedApps(int64_t user_id) {
  return store_.ListConnectedApps(user_id);
}

int64_t AuthorizationFlow::Disconnect(int64_t user_id, int64_t app_id) {
  return store_.RevokeAppForUser(user_id, app_id);
}

Result<store::BearerToken, RevocationRefusal> AuthorizationFlow::InvalidateBearerToken(
    const store::App& consumer, std::string_view bearer_token) {
  std::optional<store::BearerToken> token = store_.FindBearerToken(bearer_token);
  if (!token || token->revoked) return Failure{RevocationRefusal::kUnknownToken};
  if (token->app_id != consumer.id) return Failure{RevocationRefusal::kOtherApp};
  if (!store_.RevokeBearerToken(bearer_token)) return Failure{RevocationRefusal::kUnknownToken};
  token->revoked = true;
  return std::move(*token);
}

}  // namespace portrait::signin
