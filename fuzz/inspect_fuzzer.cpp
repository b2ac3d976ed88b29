// Pre-response image validation (format sniffing, header parse, first-frame decode) on
// arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "image/inspect.h"
#include "image/pipeline.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  portrait::image::InitImageLibrary(1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  portrait::image::Limits limits;
  auto info = portrait::image::Inspect(bytes, limits);
  if (!info.ok()) return 0;
  if (info->width <= 0 || info->height <= 0 || info->width > limits.max_width ||
      info->height > limits.max_height || int64_t{info->width} * info->height > limits.max_pixels) {
    std::abort();
  }
  return 0;
}
