#pragma once
// Percent-encoding as OAuth 1.0a (RFC 5849 §3.6) and HTML forms use it.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace portrait {

using Param = std::pair<std::string, std::string>;
using Params = std::vector<Param>;

// RFC 3986 encoding: everything but ALPHA, DIGIT, '-', '.', '_', '~' as upper-case %XX.
std::string PercentEncode(std::string_view text);

// Decodes %XX escapes; with plus_as_space, '+' becomes ' ' (form encoding). Malformed escapes
// ("%", "%g1") are kept literally, as browsers and most servers do.
std::string PercentDecode(std::string_view text, bool plus_as_space = true);

// Splits "a=1&b=&c" into (a,1) (b,"") (c,""), decoding names and values, keeping order and
// duplicates. Empty segments are skipped. Never fails: any byte string parses.
Params ParseUrlEncoded(std::string_view text);

// The first value for name, if any.
std::optional<std::string_view> FindParam(const Params& params, std::string_view name);

}  // namespace portrait
