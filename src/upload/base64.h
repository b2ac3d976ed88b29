#pragma once
// Base64 (RFC 4648) as Twitter clients actually send it. The decoder is deliberately tolerant
// of every variant SPEC §2 lists, and strict about everything else, so that garbage is refused
// (400/44) rather than turned into a different garbage.
#include <optional>
#include <string>
#include <string_view>

namespace portrait::upload {

// What a space in the text means, which depends on where the text came from.
enum class Base64Source {
  kRaw,          // as sent (a multipart part): a space is whitespace, like CR, LF and tab
  kFormDecoded,  // a form-decoded field (urlencoded body or query): a space is '+'
};

// Decodes base64 text. Accepts, in any combination:
//  - the standard (`+/`) and URL-safe (`-_`) alphabets, even mixed in one text;
//  - padding (`=`) or none;
//  - whitespace anywhere: CR, LF, tab, and space in kRaw text (line-wrapped MIME output);
//  - in kFormDecoded text, a space as '+': form decoding turns a '+' the client sent unencoded
//    into a space, and no base64 encoder emits spaces of its own, so a space there can only have
//    been a '+'. The field is then decoded once, by the same rule that the OAuth signature
//    applies to it (ParseUrlEncoded), so `+`, `%2B` and `%20` all mean '+';
//  - a leading `data:<anything>;base64,` prefix (a data URI), "data:" matched case-insensitively.
// Refuses (std::nullopt): any other character, a data URI without ";base64,", a length that
// cannot encode whole bytes (one leftover character), padding followed by more data, and
// padding that does not complete the last 4-character group. Unused low bits in the last
// group are ignored, as most decoders do. Empty input (or only whitespace) decodes to "".
// Linear time, no recursion, no allocation beyond the result.
std::optional<std::string> DecodeBase64(std::string_view text,
                                        Base64Source source = Base64Source::kRaw);

// Standard alphabet, padded, no line breaks.
std::string EncodeBase64(std::string_view bytes);

}  // namespace portrait::upload
