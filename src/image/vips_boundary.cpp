#include "image/vips_boundary.h"

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

void ForgetVipsErrors() { vips_error_clear(); }

}  // namespace portrait::image::internal
