#pragma once
// Inspect: everything that can be known about an upload without processing it, checked before
// the client gets its answer. Knows nothing of HTTP.
#include <cstdint>
#include <string_view>

#include "common/result.h"
#include "image/image_format.h"

namespace portrait::image {

struct Limits {
  int64_t max_bytes = 716799;  // "less than 700 KB"
  int max_width = 10000;
  int max_height = 10000;
  int64_t max_pixels = 40'000'000;
};

enum class Rejection {
  kUnrecognized,        // not a GIF, JPEG or PNG
  kTooManyBytes,        // over limits.max_bytes
  kDimensionsTooLarge,  // width, height or pixel count over the limits (GIF: its first frame)
  kCorrupt,             // truncated or corrupt: cannot be decoded
};

struct ImageInfo {
  Format format;
  int width = 0;
  int height = 0;
};

// Checks in this order: size, format, dimensions (from the header, without allocating pixels),
// integrity (a full decode of the first frame, at reduced scale where the codec allows).
// Requires InitImageLibrary(). Thread-safe. Never throws for any input.
Result<ImageInfo, Rejection> Inspect(std::string_view bytes, const Limits& limits);

}  // namespace portrait::image
