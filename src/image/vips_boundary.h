#pragma once
// Internal to src/image: the few pieces Inspect and RenderVariants share at the libvips boundary.
#include <string_view>
#include <vips/vips8>

#include "image/image_format.h"

namespace portrait::image::internal {

// A VipsBlob that borrows `bytes` without copying. The bytes must outlive every image loaded
// from the blob; callers keep both inside one function call.
class BorrowedBlob {
 public:
  explicit BorrowedBlob(std::string_view bytes);
  ~BorrowedBlob();
  BorrowedBlob(const BorrowedBlob&) = delete;
  BorrowedBlob& operator=(const BorrowedBlob&) = delete;

  VipsBlob* get() const { return blob_; }

 private:
  VipsBlob* blob_;
};

// Opens `blob` with the loader for `format` (never by libvips' own sniffing) and reads its header
// only: pixels are decoded when first used. For a GIF, the image is its first frame. Takes
// ownership of `options` (which may be null). Throws vips::VError.
vips::VImage OpenFirstFrame(Format format, const BorrowedBlob& blob, vips::VOption* options);

// What VImage::copy_memory() returns (the pixels in memory, header and metadata kept). When
// libvips runs one thread per operation (InitImageLibrary(1), one worker per core), the pixels are
// computed on the calling thread, strip by strip from the top, so memory stays bounded as with
// libvips' sink: the sink would hand every strip to a worker thread and wake the caller after
// each, and on a small virtual machine those hand-offs leave cores idle when two renders run at
// once. With more threads per operation it is copy_memory() itself. An image already in memory
// comes back as it is. Throws vips::VError.
vips::VImage ComputeInMemory(const vips::VImage& image);

// libvips keeps one process-wide error log; a handled failure must not leave text in it.
void ForgetVipsErrors();

}  // namespace portrait::image::internal
