#pragma once
// The processing pipeline: one validated upload in, the seven variants of SPEC §2 out.
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "image/image_format.h"

namespace portrait::image {

// Once per process, before any other call here: starts libvips, blocks every loader and
// operation except the JPEG/PNG/GIF buffer loaders and the savers used, turns the operation
// cache off and sizes libvips' thread pool to vips_threads. Safe to call more than once.
void InitImageLibrary(int vips_threads);

struct Variant {
  std::string suffix;  // "", "_400x400", "_200x200", "_reasonably_small", "_bigger", "_normal", "_mini"
  int width = 0;
  int height = 0;
  std::string bytes;   // encoded in the input's format, no metadata
};

struct VariantSet {
  Format format;
  std::vector<Variant> variants;  // in the order above
};

// Decodes the first frame, applies EXIF orientation, converts to sRGB, strips all metadata and
// renders every variant: the original (at most 500 px wide, only scaled down) and the six
// centre-cropped squares. Thread-safe. A failure (which Inspect should have made impossible)
// comes back as a message; it never throws.
Result<VariantSet, std::string> RenderVariants(std::string_view bytes);

}  // namespace portrait::image
