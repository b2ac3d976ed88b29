#pragma once
// Inspect: everything that can be known about an upload without processing it, checked before
// the client gets its answer. Knows nothing of HTTP.
#include <cstdint>
#include <string_view>

#include "common/result.h"
#include "image/image_format.h"
#include "image/pipeline.h"

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
  int width = 0;  // as stored, before EXIF orientation; a GIF's first frame
  int height = 0;
};

// Checks in this order: size, format (magic bytes only), dimensions (from the header, without
// allocating pixels), integrity (a full decode of the first frame, at 1/8 scale for JPEG, where
// libjpeg still reads every coefficient). The first failed check decides the rejection.
//
// Integrity means: a truncated file fails in every format; a PNG must also pass its CRC and zlib
// checks; libjpeg's warnings about harmless quirks (extraneous bytes before a marker) are
// accepted, as browsers display such files. A GIF is judged by its first frame only: later
// frames are never used. libnsgif sizes the frame canvas from the logical screen, grown to fit
// the frames, except that an implausibly large screen around small frames is ignored; either
// way the reported size is the canvas libvips would allocate, so it is what the limits judge.
//
// Cost: a header parse for refused floods (well under a millisecond); for accepted images a decode
// of the first frame, the dominant cost being a full PNG inflate (tens of milliseconds for a
// large PNG). Call it off the network thread if that matters.
//
// Requires InitImageLibrary(). Thread-safe. Never throws for any input; only memory exhaustion
// (std::bad_alloc) can escape.
Result<ImageInfo, Rejection> Inspect(std::string_view bytes, const Limits& limits);

struct InspectedUpload {
  ImageInfo info;
  DecodedUpload decoded;
};

// Inspect with the pipeline's own decode (DecodeUpload) as the integrity check: the same checks
// and rejections, and for an accepted image the decoded upload, so that rendering it does not
// decode it again. Costs more than Inspect for a JPEG (decoded at the size the variants need
// rather than at 1/8 scale) and about the same for PNG and GIF: worth it when this process
// renders the upload too. Same contract as Inspect otherwise.
Result<InspectedUpload, Rejection> InspectAndDecode(std::string_view bytes, const Limits& limits);

}  // namespace portrait::image
