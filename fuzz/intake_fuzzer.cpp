// ExtractImage, the whole request intake: Content-Type, body and query from one input.
#include <cstddef>
#include <cstdint>

#include "fuzz_input.h"
#include "upload/intake.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto fields = portrait::fuzz::SplitFields(data, size, 3);
  portrait::upload::IntakeLimits limits{.max_parts = 8, .max_part_header_bytes = 512};
  auto result = portrait::upload::ExtractImage(fields[0], fields[1], fields[2], limits);
  if (result.ok() && result->image.empty()) __builtin_trap();  // empty is kMissing by contract
  return 0;
}
