#include "upload/base64.h"

#include <strings.h>

#include <array>
#include <cstdint>

namespace portrait::upload {
namespace {

constexpr int8_t kInvalid = -1;
constexpr int8_t kWhitespace = -2;
constexpr int8_t kPadding = -3;
constexpr int8_t kPlusValue = 62;

// Maps each byte to its 6-bit value or one of the markers above; both alphabets share a table
// because no character means different things in the two.
constexpr std::array<int8_t, 256> MakeDecodeTable() {
  std::array<int8_t, 256> table{};
  table.fill(kInvalid);
  for (int i = 0; i < 26; ++i) {
    table['A' + i] = static_cast<int8_t>(i);
    table['a' + i] = static_cast<int8_t>(26 + i);
  }
  for (int i = 0; i < 10; ++i) {
    table['0' + i] = static_cast<int8_t>(52 + i);
  }
  table['+'] = table['-'] = kPlusValue;
  table['/'] = table['_'] = 63;
  table['='] = kPadding;
  table['\r'] = table['\n'] = table[' '] = table['\t'] = kWhitespace;
  return table;
}
constexpr std::array<int8_t, 256> kDecodeTable = MakeDecodeTable();

constexpr std::string_view kDataUriScheme = "data:";
constexpr std::string_view kDataUriBase64Marker = ";base64,";

// Returns the text after a data URI's ";base64,", the text itself when it is no data URI, or
// nullopt for a data URI that is not base64.
std::optional<std::string_view> StripDataUriPrefix(std::string_view text) {
  size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) {
    return text;
  }
  std::string_view rest = text.substr(start);
  if (rest.size() < kDataUriScheme.size() ||
      strncasecmp(rest.data(), kDataUriScheme.data(), kDataUriScheme.size()) != 0) {
    return text;
  }
  size_t marker = rest.find(kDataUriBase64Marker);
  if (marker == std::string_view::npos) {
    return std::nullopt;
  }
  return rest.substr(marker + kDataUriBase64Marker.size());
}

}  // namespace

std::optional<std::string> DecodeBase64(std::string_view text, Base64Source source) {
  std::optional<std::string_view> payload = StripDataUriPrefix(text);
  if (!payload) {
    return std::nullopt;
  }

  std::string out;
  out.reserve(payload->size() / 4 * 3 + 3);
  uint32_t group = 0;        // accumulated 6-bit values of the current group
  size_t group_length = 0;   // data characters in the current group (0..3)
  size_t padding_count = 0;  // '=' seen; once non-zero only '=' and whitespace may follow
  for (unsigned char c : *payload) {
    int8_t value = c == ' ' && source == Base64Source::kFormDecoded ? kPlusValue : kDecodeTable[c];
    if (value == kWhitespace) {
      continue;
    }
    if (value == kInvalid) {
      return std::nullopt;
    }
    if (value == kPadding) {
      ++padding_count;
      continue;
    }
    if (padding_count > 0) {
      return std::nullopt;
    }
    group = (group << 6) | static_cast<uint32_t>(value);
    if (++group_length == 4) {
      out.push_back(static_cast<char>(group >> 16));
      out.push_back(static_cast<char>(group >> 8));
      out.push_back(static_cast<char>(group));
      group = 0;
      group_length = 0;
    }
  }

  if (group_length == 1) {
    return std::nullopt;
  }
  if (padding_count > 0 && (group_length < 2 || group_length + padding_count != 4)) {
    return std::nullopt;
  }
  if (group_length == 2) {
    out.push_back(static_cast<char>(group >> 4));
  } else if (group_length == 3) {
    out.push_back(static_cast<char>(group >> 10));
    out.push_back(static_cast<char>(group >> 2));
  }
  return out;
}

std::string EncodeBase64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t group = static_cast<uint8_t>(bytes[i]) << 16 |
                     static_cast<uint8_t>(bytes[i + 1]) << 8 | static_cast<uint8_t>(bytes[i + 2]);
    out.push_back(kAlphabet[group >> 18]);
    out.push_back(kAlphabet[(group >> 12) & 0x3F]);
    out.push_back(kAlphabet[(group >> 6) & 0x3F]);
    out.push_back(kAlphabet[group & 0x3F]);
  }
  size_t remaining = bytes.size() - i;
  if (remaining == 0) {
    return out;
  }
  uint32_t group = static_cast<uint8_t>(bytes[i]) << 16;
  if (remaining == 2) {
    group |= static_cast<uint8_t>(bytes[i + 1]) << 8;
  }
  out.push_back(kAlphabet[group >> 18]);
  out.push_back(kAlphabet[(group >> 12) & 0x3F]);
  out.push_back(remaining == 2 ? kAlphabet[(group >> 6) & 0x3F] : '=');
  out.push_back('=');
  return out;
}

}  // namespace portrait::upload
