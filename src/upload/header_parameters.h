#pragma once
// Parameterised MIME header values (RFC 2045 §5.1, RFC 6266, RFC 7578 §4.2), the shape of both
// Content-Type (`multipart/form-data; boundary=x`) and Content-Disposition
// (`form-data; name="image"; filename="a.png"`).
#include <string>
#include <string_view>

#include "common/url_encoding.h"

namespace portrait::upload {

struct HeaderValue {
  std::string token;  // the leading value, trimmed and lower-cased ("multipart/form-data")
  Params parameters;  // in order, names lower-cased, values unquoted; a bare name has value ""
};

// Never fails: any text parses to something. Parameters are separated by ';' or ',' (twurl
// sends `multipart/form-data, boundary="..."`), outside quotes. A quoted value may contain
// ';', ',' and spaces, and a backslash escapes the next character; an unterminated quote runs
// to the end. An unquoted value runs to the next separator, trimmed. Extended parameters
// (`filename*=UTF-8''...`) are returned under their own name, undecoded.
HeaderValue ParseHeaderValue(std::string_view text);

// ASCII case-insensitive equality, for header and parameter names.
bool EqualsIgnoringCase(std::string_view a, std::string_view b);

}  // namespace portrait::upload
