#pragma once
// Base64 (RFC 4648) as Twitter clients actually send it. The decoder is deliberately tolerant
// of every variant SPEC §2 lists, and strict about everything else, so that garbage is refused
// (400/44) rather than turned into a different garbage.
#include <optional>
#include <string>
#include <string_view>

namespace portrait::upload {

// Decodes base64 text. Accepts, in any combination:
//  - the standard (`+/`) and URL-safe (`-_`) alphabets, even mixed in one text;
//  - padding (`=`) or none;
//  - whitespace anywhere: CR, LF, space, tab (line-wrapped MIME output). A `+` that a form
//    decoder already turned into a space is lost, so callers reading form fields must keep raw
//    `+` (PercentDecode with plus_as_space=false);
//  - a leading `data:<anything>;base64,` prefix (a data URI), "data:" matched case-insensitively.
// Refuses (std::nullopt): any other character, a data URI without ";base64,", a length that
// cannot encode whole bytes (one leftover character), padding followed by more data, and
// padding that does not complete the last 4-character group. Unused low bits in the last
// group are ignored, as most decoders do. Empty input (or only whitespace) decodes to "".
// Linear time, no recursion, no allocation beyond the result.
std::optional<std::string> DecodeBase64(std::string_view text);

// Standard alphabet, padded, no line breaks.
std::string EncodeBase64(std::string_view bytes);

}  // namespace portrait::upload
