#pragma once
// The processing pipeline: one validated upload in, the seven variants of SPEC §2 out.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "image/image_format.h"

namespace portrait::image {

// Once per process, before any other call here: starts libvips, turns its operation cache off and
// sizes its thread pool to vips_threads (per operation; at least 1). Blocks every loader except
// the JPEG, PNG and GIF *buffer* loaders (file and source loaders too: libvips never opens a file
// here), every saver except the JPEG, PNG and GIF families, and VipsSystem. This is process-wide:
// other code using libvips in the process gets the same blocks. Later calls do nothing (the first
// vips_threads stays). Throws Fault if libvips cannot start.
void InitImageLibrary(int vips_threads);

struct Variant {
  std::string suffix;  // as in kProfileImageVariants (variant_catalogue.h)
  int width = 0;
  int height = 0;
  std::string bytes;  // encoded in the input's format, no metadata
};

struct VariantSet {
  Format format;
  std::vector<Variant> variants;  // in kProfileImageVariants' order
  // Wall time of the two stages: decoding the first frame to the upright sRGB base, then
  // resizing and encoding every variant from it.
  double decode_seconds = 0;
  double encode_seconds = 0;
};

// An upload's first frame decoded into the base every variant is cut from (upright, 8-bit sRGB,
// metadata stripped), with what rendering needs to know of the source. Immutable; copies share
// the pixels.
class DecodedUpload {
 public:
  struct State;  // defined by the pipeline
  explicit DecodedUpload(std::shared_ptr<const State> state) : state_(std::move(state)) {}

  Format format() const;
  size_t memory_bytes() const;  // of the decoded pixels
  const State& state() const { return *state_; }

 private:
  std::shared_ptr<const State> state_;
};

// Decodes the first frame once (JPEG shrink-on-load where it helps), applies EXIF orientation,
// converts to 8-bit sRGB (through the embedded ICC profile if there is one; CMYK through libvips'
// fallback CMYK profile), strips all metadata and renders every variant: the original (at most
// 500 px wide, aspect kept, only scaled down) and the six squares, centre crops scaled to exactly
// N x N (enlarged when the image is smaller). JPEG is saved at quality 85; PNG losslessly, with a
// palette only if the input had one; GIF as one still frame with its transparency. Palette
// outputs (GIF, palette PNG) are enlarged by pixel replication, everything else smoothly.
//
// Cost: tens to a few hundred milliseconds of CPU per image, most of it decoding and, for palette
// outputs, quantising; memory is bounded by the decoded first frame at reduced size (a large PNG
// is streamed through a box pre-shrink, never held whole; a GIF's first frame is held whole).
// Requires InitImageLibrary(). Thread-safe. Expects bytes that passed Inspect; any failure comes
// back as a message, never as an exception.
Result<VariantSet, std::string> RenderVariants(std::string_view bytes);

// RenderVariants in two stages, so the first can run when an upload is checked (see Inspect)
// and the second later, without decoding again: DecodeUpload decodes (the VariantSet's
// decode_seconds), RenderVariants(decoded) resizes and encodes (its decode_seconds is 0). The
// variants are the very bytes RenderVariants(bytes) makes. A decoded upload holds its base in
// memory: at most about 4 bytes a pixel of a frame reduced to 500 px wide or 400 px on its
// short side. The decode is as strict as Inspect's integrity check (a PNG must pass its CRC and
// zlib checks).
Result<DecodedUpload, std::string> DecodeUpload(std::string_view bytes);
Result<VariantSet, std::string> RenderVariants(const DecodedUpload& decoded);

}  // namespace portrait::image
