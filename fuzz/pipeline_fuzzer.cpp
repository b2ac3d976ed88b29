// The full processing path on fuzzed image bytes, as a server that renders what it accepts runs
// it: InspectAndDecode before answering (the pipeline's own decode as the integrity check), then
// RenderVariants on what it decoded. Smaller limits than production keep each run fast
// enough to explore; the code paths are the same.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "image/inspect.h"
#include "image/pipeline.h"

namespace {
constexpr size_t kVariantCount = 7;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  portrait::image::InitImageLibrary(1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  portrait::image::Limits limits{
      .max_bytes = 716799, .max_width = 2000, .max_height = 2000, .max_pixels = 2'000'000};
  auto checked = portrait::image::InspectAndDecode(bytes, limits);
  if (!checked.ok()) return 0;
  auto variants = portrait::image::RenderVariants(checked->decoded);
  if (!variants.ok()) return 0;  // a failure as a value is allowed; crashes and leaks are not
  if (variants->format != checked->info.format || variants->variants.size() != kVariantCount) {
    std::abort();
  }
  for (const auto& variant : variants->variants) {
    if (variant.bytes.empty() || variant.width <= 0 || variant.height <= 0) std::abort();
  }
  return 0;
}
