#include "image/vips_boundary.h"

#include <algorithm>
#include <memory>

namespace portrait::image::internal {

BorrowedBlob::BorrowedBlob(std::string_view bytes)
    : blob_(vips_blob_new(nullptr, bytes.data(), bytes.size())) {}

BorrowedBlob::~BorrowedBlob() { vips_area_unref(VIPS_AREA(blob_)); }

vips::VImage OpenFirstFrame(Format format, const BorrowedBlob& blob, vips::VOption* options) {
  if (options == nullptr) {
    options = vips::VImage::option();
  }
  switch (format) {
    case Format::kJpeg:
      return vips::VImage::jpegload_buffer(blob.get(), options);
    case Format::kPng:
      return vips::VImage::pngload_buffer(blob.get(), options);
    case Format::kGif:
      return vips::VImage::gifload_buffer(blob.get(), options->set("n", 1)->set("page", 0));
  }
  delete options;
  throw vips::VError("unknown image format");
}

vips::VImage ComputeInMemory(const vips::VImage& image) {
  VipsImage* in = image.get_image();
  if (!vips_image_ispartial(in)) return image;
  // With several threads per operation libvips' sink computes strips in parallel; with one, its
  // single worker would do the same work as this thread, only after a hand-off.
  if (vips_concurrency_get() > 1) return image.copy_memory();
  // Takes the new image's only reference, so every exit below releases it.
  vips::VImage memory(vips_image_new_memory(), vips::STEAL);
  VipsImage* out = memory.get_image();
  // The header and metadata as vips_image_write() copies them, with the same demand hint.
  if (vips_image_pio_input(in) != 0 ||
      vips_image_pipelinev(out, VIPS_DEMAND_STYLE_THINSTRIP, in, nullptr) != 0) {
    throw vips::VError();
  }
  int tile_width = 0;
  int strip_height = 0;
  int lines_per_buffer = 0;
  vips_get_tile_size(in, &tile_width, &strip_height, &lines_per_buffer);
  std::unique_ptr<VipsRegion, decltype(&g_object_unref)> region(vips_region_new(in),
                                                                &g_object_unref);
  if (!region) throw vips::VError();
  for (int top = 0; top < in->Ysize; top += strip_height) {
    VipsRect strip{0, top, in->Xsize, std::min(strip_height, in->Ysize - top)};
    if (vips_region_prepare(region.get(), &strip) != 0) throw vips::VError();
    for (int y = strip.top; y < VIPS_RECT_BOTTOM(&strip); ++y) {
      if (vips_image_write_line(out, y, VIPS_REGION_ADDR(region.get(), 0, y)) != 0) {
        throw vips::VError();
      }
    }
  }
  return memory;
}

void ForgetVipsErrors() { vips_error_clear(); }

}  // namespace portrait::image::internal
