#pragma once
// Internal to src/image: a palette output (GIF, palette PNG) that already has few enough colours
// encoded with exactly those colours, without quantising it: a palette image enlarged by pixel
// replication, or kept at its size, has only the source's colours, and libimagequant would spend
// milliseconds per variant to find that palette again (its dithering can only change pixels).
// An image with more colours is left to libvips' savers (nothing is returned).
#include <optional>
#include <string>
#include <vips/vips8>

#include "image/image_format.h"

namespace portrait::image::internal {

// image: 8-bit sRGB with or without alpha (3 or 4 bands), pixels in memory (ComputeInMemory).
// GIF: at most 256 colours among the pixels with alpha >= 128, plus one transparent entry when
// any pixel has less (GIF transparency is one bit, as libvips' gifsave makes it). Palette PNG: at
// most 256 distinct colours with their alpha (PLTE and tRNS), zlib at png_compression.
// Throws vips::VError when the encoder fails.
std::optional<std::string> EncodeWithExactPalette(const vips::VImage& image, Format format,
                                                  int png_compression);

}  // namespace portrait::image::internal
