#pragma once
// Internal to src/image: truecolour PNG encoding of a small in-memory image straight through
// libpng, as libvips' pngsave with strip does it, byte for byte (the given zlib level and row
// filter, no interlacing, no chunk but IHDR, pHYs, IDAT and IEND), but on the calling thread,
// without the worker and write-behind threads libvips' saver hands each strip to.
#include <string>
#include <vips/vips8>

namespace portrait::image::internal {

// image: 8-bit grey, grey + alpha, sRGB or sRGB + alpha (1 to 4 bands), its pixels in memory
// (ComputeInMemory). filter: one of libpng's PNG_FILTER_* values (VipsForeignPngFilter's values
// are the same). Throws vips::VError when
// libpng fails.
std::string EncodeTruecolourPng(const vips::VImage& image, int compression, int filter);

}  // namespace portrait::image::internal
