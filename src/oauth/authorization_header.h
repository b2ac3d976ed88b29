#pragma once
// Parsing of the OAuth 1.0a `Authorization` header (RFC 5849 §3.5.1):
//
//   Authorization: OAuth realm="x", oauth_consumer_key="abc", oauth_nonce="n%2F1"
//
// Accepted shape, chosen to take what real clients send and nothing ambiguous:
//  - the scheme "OAuth" in any letter case, then whitespace (or nothing: "OAuth" alone parses to
//    an empty list);
//  - parameters `name=value` separated by commas, with optional spaces or tabs around commas and
//    around '=' ("k=\"v\",k=\"v\"" as twitter-api-v2 sends, and "k=\"v\", k=\"v\"");
//  - empty list elements (",,", a trailing comma) are skipped, as RFC 7235's #rule allows;
//  - a value is a quoted-string (a backslash escapes the next byte) or, tolerated, an unquoted
//    token running up to the next comma or whitespace;
//  - names and values are percent-decoded without turning '+' into a space (the header is not
//    form-encoded, and a literal '+' in a careless client's base64 signature survives);
//  - `realm` is dropped: it is never part of the signature (RFC 5849 §3.4.1.3.1).
//
// Malformed input (another scheme, a missing '=', an unterminated quote, an empty name, a name
// repeated, junk between parameters, or input past the limits below) yields an error value.
// Never throws for any input; runs in time linear in the header's length.
#include <cstddef>
#include <string_view>

#include "common/result.h"
#include "common/url_encoding.h"

namespace portrait::oauth {

inline constexpr size_t kMaxAuthorizationHeaderBytes = 8192;
inline constexpr size_t kMaxAuthorizationParams = 32;

enum class AuthorizationHeaderError {
  kNotOAuth,   // another scheme (Basic, Bearer, ...): not ours to judge
  kMalformed,  // claims to be OAuth but does not parse, or exceeds the limits
};

// The header's parameters in the order sent, decoded, without `realm`.
Result<Params, AuthorizationHeaderError> ParseAuthorizationHeader(std::string_view header);

}  // namespace portrait::oauth
