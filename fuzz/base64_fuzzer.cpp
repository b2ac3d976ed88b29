// The tolerant base64 decoder on arbitrary text, and the encode/decode round trip.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "upload/base64.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto decoded = portrait::upload::DecodeBase64(bytes);
  if (decoded && decoded->size() > bytes.size()) std::abort();
  auto round_trip = portrait::upload::DecodeBase64(portrait::upload::EncodeBase64(bytes));
  if (!round_trip || *round_trip != bytes) std::abort();
  return 0;
}
