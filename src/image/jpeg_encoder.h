#pragma once
// Internal to src/image: JPEG encoding of a small in-memory image straight through libjpeg, as
// libvips' jpegsave with strip does it, byte for byte (quality, Huffman tables optimised, 4:2:0
// chroma below quality 90, no marker at all), but on the calling thread: libvips' saver hands every
// strip to a worker thread and a write-behind thread, which for an avatar costs more than the
// compression itself.
#include <string>
#include <vips/vips8>

namespace portrait::image::internal {

// image: 8-bit sRGB (3 bands) or greyscale (1 band), its pixels in memory (ComputeInMemory).
// Throws vips::VError when libjpeg fails.
std::string EncodeJpeg(const vips::VImage& image, int quality);

}  // namespace portrait::image::internal
