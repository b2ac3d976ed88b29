#pragma once
// OAuth 1.0a request verification as SPEC §4 describes it. Knows nothing of HTTP servers or
// the store: the caller describes the request and supplies lookups.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/url_encoding.h"

namespace portrait::oauth {

struct SignedRequest {
  std::string method;                    // "POST"
  std::string scheme;                    // "http"/"https" as the client used
  std::string host;                      // Host header, may carry a port
  std::string path;                      // without query
  std::string query;                     // raw query string (no '?')
  std::string_view content_type;         // the request's Content-Type
  std::string_view body;                 // the raw body
  std::optional<std::string> authorization;  // the Authorization header, if any
};

enum class Failure {
  kMissingCredentials,   // 400/215: no or malformed OAuth credentials
  kBadSignature,         // 401/32: signature, unknown consumer, replay, body hash
  kInvalidToken,         // 401/89: unknown or revoked access token
  kTimestampOutOfBounds, // 401/135
};

struct Credentials {            // what the verifier needs to know about the presented keys
  std::string consumer_secret;
  std::string token_secret;     // empty for requests without a token
};

struct Verified {
  std::string consumer_key;
  std::string token;            // oauth_token
};

struct VerifyOptions {
  int64_t now = 0;
  int64_t timestamp_window_seconds = 600;
};

// Lookups supplied by the caller. Each returns nothing when the key is unknown or revoked.
struct Lookups {
  std::function<std::optional<std::string>(std::string_view consumer_key)> consumer_secret;
  // The secret of an access token issued to this consumer's app.
  std::function<std::optional<std::string>(std::string_view consumer_key, std::string_view token)>
      token_secret;
  // Records the nonce; false on replay. Called only once the signature verified.
  std::function<bool(std::string_view consumer_key, std::string_view token, std::string_view nonce,
                     int64_t expires_at)>
      record_nonce;
};

Result<Verified, Failure> Verify(const SignedRequest& request, const Lookups& lookups,
                                 const VerifyOptions& options);

}  // namespace portrait::oauth
