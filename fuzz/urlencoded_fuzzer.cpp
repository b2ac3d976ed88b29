// Percent-decoding and urlencoded/query parsing on arbitrary bytes, with the round trip
// PercentDecode(PercentEncode(x)) == x that OAuth signing relies on.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/url_encoding.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  portrait::Params params = portrait::ParseUrlEncoded(text);
  for (const auto& [name, value] : params) {
    if (portrait::FindParam(params, name) == std::nullopt) std::abort();
  }
  (void)portrait::PercentDecode(text, true);
  (void)portrait::PercentDecode(text, false);
  std::string encoded = portrait::PercentEncode(text);
  if (portrait::PercentDecode(encoded, false) != text) std::abort();
  if (portrait::PercentDecode(encoded, true) != text) std::abort();
  return 0;
}
