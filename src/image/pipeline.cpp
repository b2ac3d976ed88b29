#include "image/pipeline.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "image/vips_boundary.h"

namespace portrait::image {
namespace {

using internal::BorrowedBlob;

struct SquareVariant {
  const char* suffix;
  int size;
};
constexpr std::array<SquareVariant, 6> kSquareVariants = {{{"_400x400", 400},
                                                           {"_200x200", 200},
                                                           {"_reasonably_small", 128},
                                                           {"_bigger", 73},
                                                           {"_normal", 48},
                                                           {"_mini", 24}}};
constexpr int kOriginalMaxWidth = 500;
constexpr int kLargestSquare = 400;
constexpr int kJpegQuality = 85;
constexpr int kPngCompression = 6;
// libimagequant's effort, 1 to 10: 4 takes about half the time of the default 7 for a palette
// that is hard to tell apart at avatar sizes.
constexpr int kQuantiseEffort = 4;
constexpr double kWhite = 255.0;

// Animation fields a GIF loader attaches; without them the encoder writes one still frame.
constexpr std::array<const char*, 6> kAnimationFields = {"n-pages", "page-height", "delay",
                                                         "loop",    "gif-delay",   "gif-loop"};

struct UprightSize {
  int width;
  int height;
};

UprightSize UprightSizeOf(const vips::VImage& header) {
  if (vips_image_get_orientation_swap(header.get_image())) {
    return {header.height(), header.width()};
  }
  return {header.width(), header.height()};
}

// The one decode keeps enough pixels for the original variant (500 px wide) and for the largest
// square (400 px on the short side), so JPEG shrink-on-load does most of the downscaling.
int DecodeWidth(UprightSize upright) {
  double for_original = std::min(1.0, static_cast<double>(kOriginalMaxWidth) / upright.width);
  double for_squares =
      std::min(1.0, static_cast<double>(kLargestSquare) / std::min(upright.width, upright.height));
  return std::max(1,
                  static_cast<int>(std::ceil(upright.width * std::max(for_original, for_squares))));
}

vips::VOption* DecodeOptions(const vips::VImage& header) {
  vips::VOption* options = vips::VImage::option()
                               ->set("height", VIPS_MAX_COORD)
                               ->set("size", VIPS_SIZE_DOWN)
                               ->set("fail_on", VIPS_FAIL_ON_TRUNCATED);
  // Only an embedded profile needs a transform: libvips would otherwise run untagged pixels,
  // already meant as sRGB, through a profile round trip that dulls white to 252. CMYK without a
  // profile is imported with libvips' fallback CMYK profile either way.
  if (header.get_typeof(VIPS_META_ICC_NAME) != 0) {
    options->set("export_profile", "srgb")->set("intent", VIPS_INTENT_RELATIVE);
  }
  return options;
}

// First frame, upright, 8-bit sRGB, in memory: every variant is cut from this.
vips::VImage DecodeBase(Format format, const BorrowedBlob& blob, const vips::VImage& header) {
  vips::VImage base = vips::VImage::thumbnail_buffer(blob.get(), DecodeWidth(UprightSizeOf(header)),
                                                     DecodeOptions(header));
  if (base.interpretation() != VIPS_INTERPRETATION_sRGB || base.bands() < 3) {
    base = base.colourspace(VIPS_INTERPRETATION_sRGB);
  }
  if (base.format() != VIPS_FORMAT_UCHAR) {
    base = base.cast(VIPS_FORMAT_UCHAR);
  }
  if (format == Format::kJpeg && base.has_alpha()) {
    base = base.flatten(vips::VImage::option()->set("background", std::vector<double>{kWhite}));
  }
  base = base.copy_memory();
  for (const char* field : kAnimationFields) {
    base.remove(field);
  }
  return base;
}

// GIFs and palette PNGs are saved with a palette, usually of drawn rather than photographed
// content. Enlarging them by pixel replication keeps their edges crisp and their colours exact,
// which also keeps quantisation cheap; smooth enlargement would invent thousands of colours.
struct Encoding {
  Format format;
  bool palette;
};

// Exactly width x height; alpha is premultiplied so transparent pixels do not bleed colour.
vips::VImage ResizeExactly(const vips::VImage& image, int width, int height, Encoding encoding) {
  if (image.width() == width && image.height() == height) {
    return image;
  }
  bool enlarge = width > image.width();
  bool alpha = image.has_alpha();
  vips::VImage work = alpha ? image.premultiply() : image;
  vips::VOption* options =
      vips::VImage::option()->set("vscale", static_cast<double>(height) / image.height());
  if (enlarge && encoding.palette) {
    options->set("kernel", VIPS_KERNEL_NEAREST);
  }
  work = work.resize(static_cast<double>(width) / image.width(), options);
  if (alpha) {
    work = work.unpremultiply();
  }
  if (work.width() != width || work.height() != height) {
    work = work.gravity(VIPS_COMPASS_DIRECTION_CENTRE, width, height,
                        vips::VImage::option()->set("extend", VIPS_EXTEND_COPY));
  }
  return work.cast(VIPS_FORMAT_UCHAR);
}

vips::VImage CentreSquare(const vips::VImage& image) {
  int side = std::min(image.width(), image.height());
  return image.extract_area((image.width() - side) / 2, (image.height() - side) / 2, side, side);
}

// A palette PNG stays a palette PNG; other PNGs are saved losslessly as truecolour.
Encoding EncodingFor(Format format, const vips::VImage& header) {
  bool palette_png = format == Format::kPng && header.get_typeof("palette-bit-depth") != 0;
  return {format, format == Format::kGif || palette_png};
}

std::string Encode(const vips::VImage& image, Encoding encoding) {
  VipsBlob* encoded = nullptr;
  switch (encoding.format) {
    case Format::kJpeg:
      encoded = image.jpegsave_buffer(vips::VImage::option()
                                          ->set("Q", kJpegQuality)
                                          ->set("optimize_coding", true)
                                          ->set("strip", true));
      break;
    case Format::kPng:
      encoded = image.pngsave_buffer(vips::VImage::option()
                                         ->set("compression", kPngCompression)
                                         ->set("palette", encoding.palette)
                                         ->set("effort", kQuantiseEffort)
                                         ->set("strip", true));
      break;
    case Format::kGif:
      encoded = image.gifsave_buffer(
          vips::VImage::option()->set("effort", kQuantiseEffort)->set("strip", true));
      break;
  }
  std::string bytes(static_cast<const char*>(VIPS_AREA(encoded)->data), VIPS_AREA(encoded)->length);
  vips_area_unref(VIPS_AREA(encoded));
  return bytes;
}

Variant RenderVariant(std::string suffix, const vips::VImage& source, int width, int height,
                      Encoding encoding) {
  vips::VImage image = ResizeExactly(source, width, height, encoding);
  return Variant{std::move(suffix), image.width(), image.height(), Encode(image, encoding)};
}

}  // namespace

Result<VariantSet, std::string> RenderVariants(std::string_view bytes) {
  std::optional<Format> format = SniffFormat(bytes);
  if (!format) {
    return Failure{std::string("not a GIF, JPEG or PNG")};
  }
  try {
    BorrowedBlob blob(bytes);
    vips::VImage header = internal::OpenFirstFrame(*format, blob, nullptr);
    Encoding encoding = EncodingFor(*format, header);
    vips::VImage base = DecodeBase(*format, blob, header);

    // The original's size comes from the source, not from the already reduced base.
    UprightSize upright = UprightSizeOf(header);
    int original_width = std::min(upright.width, kOriginalMaxWidth);
    int original_height =
        std::max(1, static_cast<int>(std::lround(static_cast<double>(upright.height) *
                                                 original_width / upright.width)));
    VariantSet set{*format, {}};
    set.variants.push_back(RenderVariant("", base, original_width, original_height, encoding));
    vips::VImage square = CentreSquare(base);
    for (const SquareVariant& variant : kSquareVariants) {
      set.variants.push_back(
          RenderVariant(variant.suffix, square, variant.size, variant.size, encoding));
    }
    return set;
  } catch (const vips::VError& error) {
    internal::ForgetVipsErrors();
    return Failure{std::string("libvips: ") + error.what()};
  }
}

}  // namespace portrait::image
