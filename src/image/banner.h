#pragma once
// The banner pipeline: one validated banner upload in, Twitter's ten banner sizes out (SPEC §9,
// kBannerVariants in variant_catalogue.h).
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "image/pipeline.h"

namespace portrait::image {

// The part of the upload the banner is cut from, in pixels of the upright image (EXIF
// orientation applied), as account/update_profile_banner's width, height, offset_left and
// offset_top give it. A region reaching past the image is cut to it.
struct BannerRegion {
  int width = 0;
  int height = 0;
  int offset_left = 0;
  int offset_top = 0;
};

// Renders every banner size from the first frame, upright, in sRGB, metadata stripped: each a
// centre crop of the region (the whole image without one) that covers the size exactly, scaled
// up or down. Every size is a JPEG at quality 85 (alpha flattened on white), whatever the input.
// The VariantSet's variants carry the size names (kBannerVariants' order) as their suffix.
//
// Memory: a JPEG is decoded with shrink-on-load and a PNG through a streaming box shrink, each
// only as far as the largest size still needs, and only the region's rows are kept: about 4
// bytes a pixel of at most twice the largest size's dimensions, whatever the source's size (a
// 40-megapixel JPEG is never held whole). A GIF's first frame is decoded whole.
//
// Requires InitImageLibrary(). Thread-safe. Expects bytes that passed Inspect; a region outside
// the image, or any decoding failure, comes back as a message, never as an exception.
Result<VariantSet, std::string> RenderBanner(std::string_view bytes,
                                             std::optional<BannerRegion> region);

}  // namespace portrait::image
