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
  std::string method;                        // "POST"
  std::string scheme;                        // "http"/"https" as the client used
  std::string host;                          // Host header, may carry a port
  std::string path;                          // without query, still percent-encoded as sent
  std::string query;                         // raw query string (no '?')
  std::string_view content_type;             // the request's Content-Type
  std::string_view body;                     // the raw body
  std::optional<std::string> authorization;  // the Authorization header, if any
};

enum class Failure {
  kMissingCredentials,    // 400/215: no or malformed OAuth credentials
  kBadSignature,          // 401/32: signature, unknown consumer, replay, body hash
  kInvalidToken,          // 401/89: unknown or revoked access token
  kTimestampOutOfBounds,  // 401/135
};

struct Credentials {  // what the verifier needs to know about the presented keys
  std::string consumer_secret;
  std::string token_secret;  // empty for requests without a token
};

struct Verified {
  std::string consumer_key;
  std::string token;  // oauth_token
  // Every oauth_* parameter sent (oauth_callback, oauth_verifier, ...), oauth_signature
  // included, each once (step 1 below), decoded.
  Params protocol;
};

struct VerifyOptions {
  int64_t now = 0;                         // the server clock, seconds since the epoch
  int64_t timestamp_window_seconds = 600;  // accepted |now - oauth_timestamp|
  // Whether the request must carry an oauth_token (user context). Without one it is then
  // kMissingCredentials at step 2, before any lookup and without recording its nonce.
  bool require_token = false;
};

// What keys_secrets finds for the presented consumer key and token.
struct FoundSecrets {
  std::optional<std::string> consumer_secret;  // nothing: unknown or revoked consumer
  std::optional<std::string> token_secret;     // nothing: unknown or revoked token, or one
                                               // issued to another consumer's app
};

// Lookups supplied by the caller. Each returns nothing when the key is unknown or revoked.
// Either consumer_secret and token_secret, or keys_secrets alone (both keys in one lookup).
struct Lookups {
  // When set, used instead of consumer_secret and token_secret: one lookup of both secrets
  // (token is empty for a request without one, and token_secret is then not looked at).
  std::function<FoundSecrets(std::string_view consumer_key, std::string_view token)> keys_secrets;
  std::function<std::optional<std::string>(std::string_view consumer_key)> consumer_secret;
  // The secret of an access token issued to this consumer's app.
  std::function<std::optional<std::string>(std::string_view consumer_key, std::string_view token)>
      token_secret;
  // Records the nonce; false on replay. Called only once the signature verified.
  std::function<bool(std::string_view consumer_key, std::string_view token, std::string_view nonce,
                     int64_t expires_at)>
      record_nonce;
};

// Verifies an OAuth 1.0a signed request. Never throws for any request; lookups may throw
// faults, which pass through. REQUIRES: record_nonce and either keys_secrets or both
// consumer_secret and token_secret are set.
//
// Where the credentials come from: every oauth_* parameter of the Authorization header (when it
// uses the OAuth scheme; see authorization_header.h; a header with another scheme is ignored),
// of the query and of an application/x-www-form-urlencoded body, taken together. Each may appear
// once in all (RFC 5849 §3.1): the same name twice, in one place or in two, is refused, so no
// value can be signed without also being the one that is checked and recorded. The signature
// covers the query parameters, the form body's parameters (a multipart or other body never),
// and the header's parameters, all without oauth_signature.
//
// Checks, in this order; the first that fails decides the answer. The split follows RFC 5849
// §3.2: malformed or unsupported -> 400 (kMissingCredentials), not authentic -> 401. Everything
// before the signature check depends only on what the client sent or on public facts (whether a
// consumer key or token exists), and the signature is compared in constant time, so timing
// reveals nothing about secrets. Like Twitter, the timestamp (135) is judged before anything
// about the keys.
//  1. malformed OAuth Authorization header, or an oauth_* parameter (oauth_signature included)
//     sent more than once across header, query and form body -> kMissingCredentials
//  2. oauth_consumer_key, oauth_signature, oauth_signature_method, oauth_timestamp or
//     oauth_nonce absent or empty, or oauth_token absent or empty when options.require_token
//     -> kMissingCredentials
//  3. oauth_version present and not "1.0", a signature method other than HMAC-SHA1 and
//     HMAC-SHA256, or a timestamp that is not 1 to 18 decimal digits -> kMissingCredentials
//  4. |now - oauth_timestamp| > timestamp_window_seconds -> kTimestampOutOfBounds
//  5. nonce not 1 to 64 printable ASCII characters (space to '~'; "-123456" is fine)
//     -> kBadSignature
//  6. unknown or revoked consumer -> kBadSignature
//  7. oauth_token present and non-empty but unknown or revoked -> kInvalidToken
//  8. signature mismatch -> kBadSignature
//  9. oauth_body_hash present and not base64(SHA-1(body)) -> kBadSignature
// 10. lookups.record_nonce refuses the nonce (a replay) -> kBadSignature. The nonce is kept
//     until max(timestamp, now) + window + 1, past the last second its request is acceptable.
//
// Unless options.require_token, oauth_token is optional: without it (or with an empty one) the
// request is signed with the consumer secret alone, its nonce is recorded with an empty token,
// and Verified::token is empty.
Result<Verified, Failure> Verify(const SignedRequest& request, const Lookups& lookups,
                                 const VerifyOptions& options);

}  // namespace portrait::oauth
