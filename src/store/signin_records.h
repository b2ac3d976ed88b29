#pragma once
// The records of signing people in: request tokens of the three-legged OAuth flow, web sessions
// and the counters that throttle failed sign-ins. Plain values; times are Unix epoch seconds.
#include <cstdint>
#include <optional>
#include <string>

#include "store/records.h"

namespace portrait::store {

// Where a request token is in the flow. kPending until the person decides; kAuthorized carries
// the user and verifier; kUsed once an exchange was attempted with the right app (it succeeded,
// or its verifier was wrong), so a token is exchanged at most once.
enum class RequestTokenState { kPending, kAuthorized, kDenied, kUsed };

struct RequestToken {
  std::string token;   // unreserved characters only (twurl escapes them once more)
  std::string secret;  // likewise
  int64_t app_id = 0;
  std::string callback;                                // an absolute URL, or "oob"
  AccessLevel access_level = AccessLevel::kReadWrite;  // what the access token will carry
  RequestTokenState state = RequestTokenState::kPending;
  std::optional<int64_t> user_id;       // set once authorized
  std::optional<std::string> verifier;  // set once authorized
  int64_t created_at = 0;
  int64_t expires_at = 0;  // unusable from then on, whatever its state
};

struct NewRequestToken {
  int64_t app_id = 0;
  std::string callback;
  AccessLevel access_level = AccessLevel::kReadWrite;
  int64_t expires_at = 0;
};

// Why a request token could not be authorized or denied.
enum class RequestTokenRefusal {
  kUnknown,         // no such token (or pruned)
  kExpired,         // past expires_at
  kAlreadyDecided,  // authorized, denied or used before
};

// Why an exchange (request token + verifier -> access token) was refused. The HTTP layer answers
// each with 401; the reasons are told apart for logs and tests.
enum class ExchangeRefusal {
  kUnknownToken,
  kWrongApp,  // signed with another app's consumer key; the token is left as it was
  kExpired,
  kNotAuthorized,  // still pending
  kDenied,         // the person pressed Cancel
  kAlreadyUsed,    // exchanged before (or burnt by a wrong verifier)
  kWrongVerifier,  // the token is burnt: a verifier gets one try
  kAppRevoked,     // the consumer app is revoked (decided by signin, which reads apps)
};

// A signed-in browser. The cookie carries a random id; the store keeps only its hash.
struct WebSession {
  std::string id_hash;  // hex SHA-256 of the cookie's id
  int64_t user_id = 0;
  std::string csrf_token;  // the synchronizer token every form of this session carries
  int64_t created_at = 0;
  int64_t last_seen_at = 0;
  // The session ends at idle_expires_at, which never passes expires_at (the absolute limit).
  int64_t idle_expires_at = 0;
  int64_t expires_at = 0;
};

// How a throttle counts: at most max_attempts in a fixed window of window_seconds (opened by the
// first attempt after the previous window closed); the attempt past that locks the key for
// lockout_seconds.
struct ThrottlePolicy {
  int64_t max_attempts = 5;
  int64_t window_seconds = 900;
  int64_t lockout_seconds = 900;
};

// A throttle key's window after counting an attempt in it.
struct ThrottleWindow {
  int64_t window_start = 0;
  int64_t window_end = 0;
  int64_t attempts = 0;      // counted in this window, the one just counted included
  int64_t locked_until = 0;  // the key refuses attempts while now < locked_until

  bool locked(int64_t now) const { return now < locked_until; }
};

// An app a person has authorized: its live access tokens taken together.
struct ConnectedApp {
  App app;
  AccessLevel access_level = AccessLevel::kRead;  // the most any live token of it carries
  int64_t first_authorized_at = 0;
  int64_t last_authorized_at = 0;
  int64_t live_tokens = 0;
};

// What one pruning pass deleted.
struct PrunedSignInState {
  int64_t request_tokens = 0;
  int64_t web_sessions = 0;
  int64_t throttles = 0;
};

}  // namespace portrait::store
