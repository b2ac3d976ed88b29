#pragma once
// OAuth 1.0a signatures (RFC 5849 §3.4) as SPEC §4 applies them, for both sides: the server
// builds the signature base string from the request it received; Portrait's own client (the
// `portrait upload` command, tests) signs requests with AuthorizationHeader.
//
// All functions are thread-safe and never throw, except where noted and except Fault when
// OpenSSL cannot allocate.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/url_encoding.h"

namespace portrait::oauth {

enum class SignatureMethod { kHmacSha1, kHmacSha256 };

// "HMAC-SHA1" and "HMAC-SHA256" (exact spelling, as RFC 5849 names them); nothing otherwise.
// PLAINTEXT and RSA-SHA1 are deliberately unsupported.
std::optional<SignatureMethod> ParseSignatureMethod(std::string_view name);
std::string_view SignatureMethodName(SignatureMethod method);

// The base string URI (RFC 5849 §3.4.1.2): lower-case scheme and host, the port only when it is
// not the scheme's default (80 for http, 443 for https), then the path exactly as sent (still
// percent-encoded as it appeared in the request target; "/" when empty). host is the Host header
// and may carry a port ("api.example.com:8443", "[::1]:8080").
std::string BaseStringUri(std::string_view scheme, std::string_view host, std::string_view path);

// The normalized parameter string (RFC 5849 §3.4.1.3.2): every decoded name and value
// percent-encoded, pairs sorted by encoded name then encoded value, joined as "n=v&n=v". The
// caller decides which parameters take part (see Verify and AuthorizationHeader).
std::string NormalizedParameters(const Params& params);

// method (upper-cased here) & enc(base_string_uri) & enc(NormalizedParameters(params)).
std::string SignatureBaseString(std::string_view method, std::string_view base_string_uri,
                                const Params& params);

// base64(HMAC(enc(consumer_secret) & enc(token_secret), base_string)).
std::string ComputeSignature(SignatureMethod method, std::string_view base_string,
                             std::string_view consumer_secret, std::string_view token_secret);

// base64(SHA-1(body)): the oauth_body_hash value the oauth gem (twurl) sends for bodies that
// are not form-encoded.
std::string BodyHash(std::string_view body);

// Equality in time independent of where the strings differ (CRYPTO_memcmp); lengths are not
// secret.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// True when content_type's media type is application/x-www-form-urlencoded (any letter case,
// parameters such as "; charset=utf-8" ignored): only such bodies take part in the signature.
bool IsFormUrlEncoded(std::string_view content_type);

// The client side: the keys a client signs with. token and token_secret may be empty for
// consumer-only requests (oauth_token is then left out).
struct ClientCredentials {
  std::string consumer_key;
  std::string consumer_secret;
  std::string token;
  std::string token_secret;
};

struct SigningOptions {
  SignatureMethod method = SignatureMethod::kHmacSha1;
  std::optional<std::string> nonce;  // default: 32 random alphanumerics
  std::optional<int64_t> timestamp;  // default: the system clock, in seconds
  // When set, adds oauth_body_hash = BodyHash(*hashed_body), as twurl does for a body that is
  // not form-encoded (and therefore not otherwise signed).
  std::optional<std::string_view> hashed_body;
};

// The value of an Authorization header ("OAuth oauth_consumer_key=\"...\", ...") for a request
// to url, which is absolute ("https://host[:port]/path[?query]"); its query parameters are
// signed. params are the request's other signed parameters: query parameters not already in
// url, or the fields of an application/x-www-form-urlencoded body. Multipart bodies are never
// signed: pass no params for them.
// Throws std::invalid_argument when url has no "scheme://" (a programming error).
std::string AuthorizationHeader(const ClientCredentials& credentials, std::string_view method,
                                std::string_view url, const Params& params,
                                const SigningOptions& options = {});

}  // namespace portrait::oauth
