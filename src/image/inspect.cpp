#include "image/inspect.h"

#include <algorithm>
#include <optional>

#include "image/vips_boundary.h"

namespace portrait::image {
namespace {

using internal::BorrowedBlob;
using internal::OpenFirstFrame;

// libjpeg decodes at 1/8 scale with the same entropy decoding as at full scale, so a truncated or
// corrupt scan still shows while the check touches 1/64 of the pixels.
constexpr int kJpegCheckShrink = 8;

// A truncated file fails in every format. JPEG stops there: libjpeg warns about harmless quirks
// that browsers display fine. A PNG must also pass its CRC and zlib checks, which libpng reports
// as errors.
VipsFailOn FailLevel(Format format) {
  return format == Format::kPng ? VIPS_FAIL_ON_ERROR : VIPS_FAIL_ON_TRUNCATED;
}

vips::VOption* LoadOptions(Format format) {
  return vips::VImage::option()
      ->set("access", VIPS_ACCESS_SEQUENTIAL)
      ->set("fail_on", FailLevel(format));
}

bool WithinLimits(const ImageInfo& info, const Limits& limits) {
  return info.width <= limits.max_width && info.height <= limits.max_height &&
         static_cast<int64_t>(info.width) * info.height <= limits.max_pixels;
}

// libvips sizes a shrunk JPEG by dividing with truncation and then aborts the whole process (a
// failed assertion, not an error) on a zero side, so an image narrower than the check scale is
// decoded at a smaller one (found by fuzz/inspect_fuzzer).
int JpegCheckShrink(const vips::VImage& header) {
  int shrink = kJpegCheckShrink;
  while (shrink > 1 && std::min(header.width(), header.height()) < shrink) {
    shrink /= 2;
  }
  return shrink;
}

// Forces every pixel of the first frame through the decoder; libvips throws on a decode failure.
void DecodeFirstFrame(Format format, const BorrowedBlob& blob, const vips::VImage& header) {
  if (format == Format::kJpeg) {
    OpenFirstFrame(format, blob, LoadOptions(format)->set("shrink", JpegCheckShrink(header))).avg();
    return;
  }
  header.avg();
}

// Size, format and dimensions, then integrity_check: kCorrupt when it returns false or throws
// vips::VError.
template <class IntegrityCheck>
Result<ImageInfo, Rejection> CheckThen(std::string_view bytes, const Limits& limits,
                                       IntegrityCheck integrity_check) {
  if (static_cast<int64_t>(bytes.size()) > limits.max_bytes) {
    return Failure{Rejection::kTooManyBytes};
  }
  std::optional<Format> format = SniffFormat(bytes);
  if (!format) {
    return Failure{Rejection::kUnrecognized};
  }
  try {
    BorrowedBlob blob(bytes);
    vips::VImage header = OpenFirstFrame(*format, blob, LoadOptions(*format));
    ImageInfo info{*format, header.width(), header.height()};
    if (!WithinLimits(info, limits)) {
      return Failure{Rejection::kDimensionsTooLarge};
    }
    if (!integrity_check(*format, blob, header)) {
      return Failure{Rejection::kCorrupt};
    }
    return info;
  } catch (const vips::VError&) {
    internal::ForgetVipsErrors();
    return Failure{Rejection::kCorrupt};
  }
}

}  // namespace

Result<ImageInfo, Rejection> Inspect(std::string_view bytes, const Limits& limits) {
  return CheckThen(bytes, limits,
                   [](Format format, const BorrowedBlob& blob, const vips::VImage& header) {
                     DecodeFirstFrame(format, blob, header);
                     return true;
                   });
}

Result<InspectedUpload, Rejection> InspectAndDecode(std::string_view bytes, const Limits& limits) {
  std::optional<DecodedUpload> decoded;
  auto info = CheckThen(bytes, limits, [&](Format, const BorrowedBlob&, const vips::VImage&) {
    auto result = DecodeUpload(bytes);
    if (result.ok()) decoded = std::move(*result);
    return result.ok();
  });
  if (!info.ok()) return Failure{info.error()};
  return InspectedUpload{*info, std::move(*decoded)};
}

}  // namespace portrait::image
