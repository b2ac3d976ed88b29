#include "image/banner.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "image/variant_catalogue.h"
#include "image/vips_boundary.h"

namespace portrait::image {
namespace {

using internal::BorrowedBlob;

constexpr int kBannerJpegQuality = 85;
constexpr double kWhite = 255.0;
constexpr int kMaxJpegShrink = 8;

struct Rect {
  int left = 0;
  int top = 0;
  int width = 0;
  int height = 0;
};

bool SwapsAxes(int orientation) { return orientation >= 5 && orientation <= 8; }

// The region, in upright pixels, cut to the image; nothing when nothing of it is left.
std::optional<Rect> UprightRegion(std::optional<BannerRegion> region, int width, int height) {
  if (!region) return Rect{0, 0, width, height};
  const int left = std::clamp(region->offset_left, 0, width);
  const int top = std::clamp(region->offset_top, 0, height);
  const int right = std::clamp(region->offset_left + region->width, left, width);
  const int bottom = std::clamp(region->offset_top + region->height, top, height);
  if (right - left < 1 || bottom - top < 1) return std::nullopt;
  return Rect{left, top, right - left, bottom - top};
}

// How far the region may be scaled down and still cover every banner size.
double NeededScale(const Rect& region) {
  double scale = 0;
  for (const VariantSpec& size : kBannerVariants) {
    scale = std::max(scale, std::max(static_cast<double>(size.width) / region.width,
                                     static_cast<double>(size.height) / region.height));
  }
  return std::min(1.0, scale);
}

// The same rectangle in the stored image's pixels, for an image shown after EXIF orientation
// (1-8) whose stored size is stored_width x stored_height.
Rect StoredRect(const Rect& upright, int orientation, int stored_width, int stored_height) {
  const int right = upright.left + upright.width;
  const int bottom = upright.top + upright.height;
  switch (orientation) {
    case 2:  // mirrored left to right
      return {stored_width - right, upright.top, upright.width, upright.height};
    case 3:  // turned half round
      return {stored_width - right, stored_height - bottom, upright.width, upright.height};
    case 4:  // mirrored top to bottom
      return {upright.left, stored_height - bottom, upright.width, upright.height};
    case 5:  // transposed
      return {upright.top, upright.left, upright.height, upright.width};
    case 6:  // shown turned a quarter clockwise
      return {upright.top, stored_height - right, upright.height, upright.width};
    case 7:  // transversed
      return {stored_width - bottom, stored_height - right, upright.height, upright.width};
    case 8:  // shown turned a quarter anticlockwise
      return {stored_width - bottom, upright.left, upright.height, upright.width};
    default:
      return upright;
  }
}

// Scales stored-image coordinates by factor (a shrink applied on load), staying inside bounds.
Rect Shrunk(const Rect& rect, int factor, int width, int height) {
  const int left = std::min(rect.left / factor, width - 1);
  const int top = std::min(rect.top / factor, height - 1);
  const int right = std::clamp((rect.left + rect.width + factor - 1) / factor, left + 1, width);
  const int bottom = std::clamp((rect.top + rect.height + factor - 1) / factor, top + 1, height);
  return {left, top, right - left, bottom - top};
}

// The region's pixels, read top to bottom without holding the rest of the frame: JPEG shrinks
// on load and PNG through a box shrink, by the largest factor (a power of two for JPEG) that
// still leaves the region big enough for every size. Upright, in memory.
vips::VImage DecodeRegion(Format format, const BorrowedBlob& blob, const vips::VImage& header,
                          const Rect& upright_region) {
  const int orientation = vips_image_get_orientation(header.get_image());
  const int most = static_cast<int>(std::floor(1.0 / NeededScale(upright_region)));
  vips::VOption* options =
      vips::VImage::option()
          ->set("access", VIPS_ACCESS_SEQUENTIAL)
          ->set("fail_on", format == Format::kPng ? VIPS_FAIL_ON_ERROR : VIPS_FAIL_ON_TRUNCATED);
  int factor = 1;
  if (format == Format::kJpeg) {
    while (factor * 2 <= std::min(most, kMaxJpegShrink)) factor *= 2;
    options->set("shrink", factor);
  }
  vips::VImage image = internal::OpenFirstFrame(format, blob, options);
  // The box leaves the final resize a reduction of its own (at least 2x), as in the pipeline.
  int box = 1;
  if (format == Format::kPng && most >= 4) {
    box = most / 2;
    if (image.has_alpha()) {
      const VipsBandFormat band_format = image.format();
      image = image.premultiply().shrinkh(box).shrinkv(box).unpremultiply().cast(band_format);
    } else {
      image = image.shrinkh(box).shrinkv(box);
    }
  }
  const int scale = factor * box;
  const Rect stored = StoredRect(upright_region, orientation, header.width(), header.height());
  const Rect cut = Shrunk(stored, scale, image.width(), image.height());
  vips::VImage region =
      internal::ComputeInMemory(image.extract_area(cut.left, cut.top, cut.width, cut.height));
  return region.autorot();
}

// 8-bit sRGB without alpha or metadata: what every size is cut from.
vips::VImage ToSrgbBase(vips::VImage image) {
  const bool has_profile = image.get_typeof(VIPS_META_ICC_NAME) != 0;
  if (has_profile || image.interpretation() == VIPS_INTERPRETATION_CMYK) {
    image = image.icc_transform(
        "srgb", vips::VImage::option()->set("embedded", true)->set("intent", VIPS_INTENT_RELATIVE));
  } else if (image.interpretation() != VIPS_INTERPRETATION_sRGB || image.bands() < 3) {
    image = image.colourspace(VIPS_INTERPRETATION_sRGB);
  }
  if (image.has_alpha()) {
    image = image.flatten(vips::VImage::option()->set("background", std::vector<double>{kWhite}));
  }
  if (image.format() != VIPS_FORMAT_UCHAR) image = image.cast(VIPS_FORMAT_UCHAR);
  image = internal::ComputeInMemory(image);
  // Only the pixels go on: no EXIF, XMP, ICC, comments or GIF animation fields.
  vips::VImage plain = image.copy();
  gchar** fields = vips_image_get_fields(plain.get_image());
  for (gchar** field = fields; *field; ++field) {
    const std::string_view name(*field);
    if (name.starts_with("icc-") || name.starts_with("exif") || name == "xmp-data" ||
        name == "iptc-data" || name == "orientation" || name.starts_with("gif-") ||
        name == "n-pages" || name == "page-height" || name == "delay" || name == "loop" ||
        name.starts_with("png-comment") || name == "jpeg-comment") {
      plain.remove(*field);
    }
  }
  g_strfreev(fields);
  return plain;
}

// A centre crop of base covering exactly width x height.
vips::VImage Cover(const vips::VImage& base, int width, int height) {
  const double scale = std::max(static_cast<double>(width) / base.width(),
                                static_cast<double>(height) / base.height());
  vips::VImage scaled = scale == 1.0 ? base : base.resize(scale);
  const int left = std::max(0, (scaled.width() - width) / 2);
  const int top = std::max(0, (scaled.height() - height) / 2);
  vips::VImage cut = scaled.extract_area(left, top, std::min(width, scaled.width()),
                                         std::min(height, scaled.height()));
  if (cut.width() != width || cut.height() != height) {
    cut = cut.gravity(VIPS_COMPASS_DIRECTION_CENTRE, width, height,
                      vips::VImage::option()->set("extend", VIPS_EXTEND_COPY));
  }
  return internal::ComputeInMemory(cut);
}

std::string EncodeJpeg(const vips::VImage& image) {
  VipsBlob* encoded = image.jpegsave_buffer(vips::VImage::option()
                                                ->set("Q", kBannerJpegQuality)
                                                ->set("optimize_coding", true)
                                                ->set("strip", true));
  std::string bytes(static_cast<const char*>(VIPS_AREA(encoded)->data), VIPS_AREA(encoded)->length);
  vips_area_unref(VIPS_AREA(encoded));
  return bytes;
}

}  // namespace

Result<VariantSet, std::string> RenderBanner(std::string_view bytes,
                                             std::optional<BannerRegion> region) {
  std::optional<Format> format = SniffFormat(bytes);
  if (!format) return Failure{std::string("not a GIF, JPEG or PNG")};
  try {
    const auto decode_started = std::chrono::steady_clock::now();
    BorrowedBlob blob(bytes);
    vips::VImage header = internal::OpenFirstFrame(*format, blob, nullptr);
    const bool swap = SwapsAxes(vips_image_get_orientation(header.get_image()));
    const int upright_width = swap ? header.height() : header.width();
    const int upright_height = swap ? header.width() : header.height();
    std::optional<Rect> upright = UprightRegion(region, upright_width, upright_height);
    if (!upright) return Failure{std::string("the region is outside the image")};
    vips::VImage base = ToSrgbBase(DecodeRegion(*format, blob, header, *upright));

    VariantSet set{Format::kJpeg, {}};
    set.decode_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - decode_started).count();
    const auto encode_started = std::chrono::steady_clock::now();
    for (const VariantSpec& size : kBannerVariants) {
      vips::VImage image = Cover(base, size.width, size.height);
      set.variants.push_back(
          Variant{std::string(size.name), image.width(), image.height(), EncodeJpeg(image)});
    }
    set.encode_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - encode_started).count();
    return set;
  } catch (const vips::VError& error) {
    internal::ForgetVipsErrors();
    return Failure{std::string("libvips: ") + error.what()};
  }
}

}  // namespace portrait::image
