#pragma once
// Twitter's three-legged OAuth 1.0a flow and xAuth, below HTTP: each endpoint of SPEC §8 calls
// one method here after it has verified the request's OAuth signature (for request_token with
// the consumer alone, for access_token with the consumer and the request token's secret).
//
//   POST oauth/request_token   IssueRequestToken
//   GET  oauth/authorize       FindPending (the page), then Authorize or Deny (the form)
//   GET  oauth/authenticate    AlreadyAuthorized skips the question: Authorize at once
//   POST oauth/access_token    Exchange (oauth_verifier), or XAuth (x_auth_mode=client_auth)
//   POST oauth2/invalidate_token  InvalidateBearerToken
//   settings: connected apps   ConnectedApps, Disconnect
//
// Every refusal is a value naming its reason, for logs; the HTTP layer answers 401 to all the
// reasons of Exchange and XAuth (SPEC §8) and 403 with code 415 to kCallbackNotApproved.
// Safe for concurrent use; the store and accounts must outlive this object.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "signin/accounts.h"
#include "signin/password.h"
#include "signin/signin_options.h"
#include "store/metadata_store.h"

namespace portrait::signin {

enum class RequestTokenProblem {
  kAppRevoked,
  kBadCallback,          // oauth_callback missing, or neither "oob" nor an acceptable URL
  kCallbackNotApproved,  // outside the app's registered callback URLs (Twitter's 403/415)
  kBadAccessType,        // x_auth_access_type other than "read" or "write"
};

// A request token waiting for the person's decision, and the app the authorize page describes.
struct PendingAuthorization {
  store::RequestToken token;
  store::App app;
};

enum class AuthorizeProblem { kUnknownToken, kExpired, kAlreadyDecided, kAppRevoked };

struct Authorization {
  store::RequestToken token;  // as authorized
  store::App app;
  // For "oob": the 7-digit PIN to show (the only 7-digit number on the page). Otherwise 32
  // characters of [A-Za-z0-9].
  std::string verifier;
  // callback?oauth_token=...&oauth_verifier=... ; none for "oob".
  std::optional<std::string> redirect;
};

struct Denial {
  store::App app;
  std::string request_token;
  std::optional<std::string> redirect;  // callback?denied=TOKEN ; none for "oob"
};

// What oauth/access_token answers: the access token and its person.
struct Grant {
  store::AccessToken token;
  store::User user;
};

enum class XAuthRefusal {
  kNotAllowed,      // the operator did not allow this app xAuth (checked first: no password work)
  kBadCredentials,  // as Accounts::SignIn
  kThrottled,       // as Accounts::SignIn
  kBadAccessType,
};

enum class RevocationRefusal { kUnknownToken, kOtherApp };

class AuthorizationFlow {
 public:
  // Throws Fault when libsodium cannot start.
  AuthorizationFlow(store::MetadataStore& store, Accounts& accounts, const FlowOptions& options);

  // A request token for app, valid for options.request_token_seconds. callback is
  // oauth_callback as sent (callback_url.h decides it); access_type is x_auth_access_type if
  // sent: "read" asks for read only, "write" for the app's level (an app registered read-only
  // never gets more than read).
  Result<store::RequestToken, RequestTokenProblem> IssueRequestToken(
      const store::App& app, std::string_view callback, std::optional<std::string_view> access_type,
      int64_t now);

  // The pending, unexpired request token of a live app; nothing otherwise.
  std::optional<PendingAuthorization> FindPending(std::string_view request_token, int64_t now);

  // user_id allows the app: makes the verifier and records it with the person, once.
  Result<Authorization, AuthorizeProblem> Authorize(std::string_view request_token, int64_t user_id,
                                                    int64_t now);
  // The person refused (Cancel), once.
  Result<Denial, AuthorizeProblem> Deny(std::string_view request_token, int64_t now);

  // request token + verifier -> a new access token, at most once per request token (the
  // store's ExchangeRequestToken); consumer is the app whose key signed the request.
  Result<Grant, store::ExchangeRefusal> Exchange(const store::App& consumer,
                                                 std::string_view request_token,
                                                 std::string_view verifier, int64_t now);

  // xAuth: screen name and password -> a new access token, through Accounts::SignIn (the same
  // answers and the same throttling as the sign-in page).
  Result<Grant, XAuthRefusal> XAuth(const store::App& consumer, std::string_view screen_name,
                                    const Password& password, std::string_view client_address,
                                    std::optional<std::string_view> access_type, int64_t now);

  // Whether this person holds a live token of this app (oauth/authenticate then skips asking).
  bool AlreadyAuthorized(int64_t user_id, int64_t app_id);
  std::vector<store::ConnectedApp> ConnectedApps(int64_t user_id);
  // Revokes every token of the person for the app; returns how many were live.
  int64_t Disconnect(int64_t user_id, int64_t app_id);

  // oauth2/invalidate_token: revokes bearer_token when it is a live token of consumer.
  Result<store::BearerToken, RevocationRefusal> InvalidateBearerToken(
      const store::App& consumer, std::string_view bearer_token);

 private:
  std::optional<store::AccessLevel> LevelFor(const store::App& app,
                                             std::optional<std::string_view> access_type) const;

  store::MetadataStore& store_;
  Accounts& accounts_;
  const FlowOptions options_;
};

}  // namespace portrait::signin
