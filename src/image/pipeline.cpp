#include "image/pipeline.h"

#include <dlfcn.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <optional>
#include <span>

#include "image/jpeg_encoder.h"
#include "image/palette_encoder.h"
#include "image/png_encoder.h"
#include "image/variant_catalogue.h"
#include "image/vips_boundary.h"

namespace portrait::image {
namespace {

using internal::BorrowedBlob;

// The catalogue's variants: the original first, then the squares, largest first.
constexpr const VariantSpec& kOriginal = kProfileImageVariants.front();
constexpr const VariantSpec& kLargestSquare = kProfileImageVariants[1];
static_assert(kOriginal.shape == VariantShape::kFitWidth);
static_assert(std::all_of(kProfileImageVariants.begin() + 1, kProfileImageVariants.end(),
                          [](const VariantSpec& v) {
                            return v.shape == VariantShape::kCover && v.width == v.height &&
                                   v.width <= kProfileImageVariants[1].width;
                          }));
constexpr int kJpegQuality = 85;
// Truecolour PNG: zlib level 2 with the Sub filter, on the corpus about 15% smaller in total
// than level 6 unfiltered (libvips' default) and about half the encoding time. Palette PNG keeps
// level 6 unfiltered, the usual best for indexed pixels: its rows are a byte a pixel, so the
// level costs little, and its time goes to quantising.
constexpr int kTruecolourPngCompression = 2;
constexpr int kPalettePngCompression = 6;
constexpr VipsForeignPngFilter kTruecolourPngFilter = VIPS_FOREIGN_PNG_FILTER_SUB;
constexpr VipsForeignPngFilter kPalettePngFilter = VIPS_FOREIGN_PNG_FILTER_NONE;
// The smallest integer factor worth shrinking a PNG by hand on the way in (see PreShrunkPng);
// below it, the thumbnail's own path holds little.
constexpr int kMinPngPreShrink = 2;
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
  double for_original = std::min(1.0, static_cast<double>(kOriginal.width) / upright.width);
  double for_squares = std::min(
      1.0, static_cast<double>(kLargestSquare.width) / std::min(upright.width, upright.height));
  return std::max(1,
                  static_cast<int>(std::ceil(upright.width * std::max(for_original, for_squares))));
}

// As strict as Inspect: a truncated file fails in every format, and a PNG must also pass its CRC
// and zlib checks. The decode can then stand in for Inspect's integrity check.
VipsFailOn FailLevel(Format format) {
  return format == Format::kPng ? VIPS_FAIL_ON_ERROR : VIPS_FAIL_ON_TRUNCATED;
}

// The thumbnail's own fail_on does not reach its loader in libvips 8.14 (a truncated JPEG
// decodes as grey): the loader's option string does.
const char* LoaderFailOption(Format format) {
  return FailLevel(format) == VIPS_FAIL_ON_ERROR ? "fail_on=error" : "fail_on=truncated";
}

// from_buffer: the options of thumbnail_buffer (which loads); otherwise of thumbnail_image.
vips::VOption* DecodeOptions(Format format, const vips::VImage& header, bool from_buffer) {
  vips::VOption* options =
      vips::VImage::option()->set("height", VIPS_MAX_COORD)->set("size", VIPS_SIZE_DOWN);
  if (from_buffer) options->set("option_string", LoaderFailOption(format));
  // Only an embedded profile needs a transform: libvips would otherwise run untagged pixels,
  // already meant as sRGB, through a profile round trip that dulls white to 252. CMYK without a
  // profile is imported with libvips' fallback CMYK profile either way.
  if (header.get_typeof(VIPS_META_ICC_NAME) != 0) {
    options->set("export_profile", "srgb")->set("intent", VIPS_INTENT_RELATIVE);
  }
  return options;
}

// libimagequant (palette PNG and GIF encoding) parallelises with OpenMP, whose idle threads spin:
// on a busy server that is CPU taken from other uploads for no gain, as the worker pool already
// keeps the cores busy. The setting is per thread, so each rendering thread makes it once. The
// symbol is looked up rather than linked: libgomp is libimagequant's dependency, not ours.
void UseOneOpenMpThread() {
  thread_local bool done = false;
  if (done) return;
  done = true;
  using SetNumThreads = void (*)(int);
  if (auto set = reinterpret_cast<SetNumThreads>(::dlsym(RTLD_DEFAULT, "omp_set_num_threads"))) {
    set(1);
  }
}

// libvips has no shrink-on-load for PNG, and its thumbnail premultiplies the full-width frame to
// float before shrinking vertically, so the rows it holds at once cost 16 bytes a pixel: about
// 170 MB for a 10,000-px-wide image. Shrinking each row horizontally first (a box filter, by an
// integer factor that leaves the thumbnail at least a 2x reduction of its own) keeps the rows
// held narrow, and the whole pass streams. Returns the shrunk image in memory, metadata kept.
std::optional<vips::VImage> PreShrunkPng(const BorrowedBlob& blob, const vips::VImage& header,
                                         int decode_width) {
  int factor = UprightSizeOf(header).width / decode_width / 2;
  if (factor < kMinPngPreShrink) return std::nullopt;
  vips::VImage image =
      vips::VImage::pngload_buffer(blob.get(), vips::VImage::option()
                                                   ->set("access", VIPS_ACCESS_SEQUENTIAL)
                                                   ->set("fail_on", FailLevel(Format::kPng)));
  if (image.has_alpha()) {
    VipsBandFormat format = image.format();
    image = image.premultiply().shrinkh(factor).shrinkv(factor).unpremultiply().cast(format);
  } else {
    image = image.shrinkh(factor).shrinkv(factor);
  }
  return internal::ComputeInMemory(image);
}

// First frame, upright, 8-bit sRGB, in memory: every variant is cut from this.
vips::VImage DecodeBase(Format format, const BorrowedBlob& blob, const vips::VImage& header) {
  int decode_width = DecodeWidth(UprightSizeOf(header));
  std::optional<vips::VImage> pre_shrunk;
  if (format == Format::kPng) pre_shrunk = PreShrunkPng(blob, header, decode_width);
  vips::VImage base =
      pre_shrunk ? pre_shrunk->thumbnail_image(decode_width, DecodeOptions(format, header, false))
                 : vips::VImage::thumbnail_buffer(blob.get(), decode_width,
                                                  DecodeOptions(format, header, true));
  if (base.interpretation() != VIPS_INTERPRETATION_sRGB || base.bands() < 3) {
    base = base.colourspace(VIPS_INTERPRETATION_sRGB);
  }
  if (base.format() != VIPS_FORMAT_UCHAR) {
    base = base.cast(VIPS_FORMAT_UCHAR);
  }
  if (format == Format::kJpeg && base.has_alpha()) {
    base = base.flatten(vips::VImage::option()->set("background", std::vector<double>{kWhite}));
  }
  base = internal::ComputeInMemory(base);
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
      // On this thread, straight through libjpeg: see jpeg_encoder.h.
      return internal::EncodeJpeg(image, kJpegQuality);
    case Format::kPng:
      if (!encoding.palette) {
        // On this thread, straight through libpng: see png_encoder.h.
        return internal::EncodeTruecolourPng(image, kTruecolourPngCompression,
                                             static_cast<int>(kTruecolourPngFilter));
      }
      if (auto exact =
              internal::EncodeWithExactPalette(image, Format::kPng, kPalettePngCompression)) {
        return std::move(*exact);  // few colours: no quantising (palette_encoder.h)
      }
      encoded = image.pngsave_buffer(
          vips::VImage::option()
              ->set("compression",
                    encoding.palette ? kPalettePngCompression : kTruecolourPngCompression)
              ->set("filter", encoding.palette ? kPalettePngFilter : kTruecolourPngFilter)
              ->set("palette", encoding.palette)
              ->set("effort", kQuantiseEffort)
              ->set("strip", true));
      break;
    case Format::kGif:
      if (auto exact = internal::EncodeWithExactPalette(image, Format::kGif, 0)) {
        return std::move(*exact);  // few colours: no quantising (palette_encoder.h)
      }
      encoded = image.gifsave_buffer(
          vips::VImage::option()->set("effort", kQuantiseEffort)->set("strip", true));
      break;
  }
  std::string bytes(static_cast<const char*>(VIPS_AREA(encoded)->data), VIPS_AREA(encoded)->length);
  vips_area_unref(VIPS_AREA(encoded));
  return bytes;
}

Variant RenderVariant(std::string suffix, const vips::VImage& image, Encoding encoding) {
  return Variant{std::move(suffix), image.width(), image.height(), Encode(image, encoding)};
}

}  // namespace

struct DecodedUpload::State {
  Format format;
  Encoding encoding;
  int original_width;  // from the source, not from the already reduced base
  int original_height;
  vips::VImage base;
};

Format DecodedUpload::format() const { return state_->format; }

size_t DecodedUpload::memory_bytes() const {
  return VIPS_IMAGE_SIZEOF_IMAGE(state_->base.get_image());
}

Result<DecodedUpload, std::string> DecodeUpload(std::string_view bytes) {
  std::optional<Format> format = SniffFormat(bytes);
  if (!format) {
    return Failure{std::string("not a GIF, JPEG or PNG")};
  }
  try {
    BorrowedBlob blob(bytes);
    vips::VImage header = internal::OpenFirstFrame(*format, blob, nullptr);
    auto state = std::make_shared<DecodedUpload::State>();
    state->format = *format;
    state->encoding = EncodingFor(*format, header);
    UprightSize upright = UprightSizeOf(header);
    state->original_width = std::min(upright.width, kOriginal.width);
    state->original_height =
        std::max(1, static_cast<int>(std::lround(static_cast<double>(upright.height) *
                                                 state->original_width / upright.width)));
    state->base = DecodeBase(*format, blob, header);
    return DecodedUpload(std::move(state));
  } catch (const vips::VError& error) {
    internal::ForgetVipsErrors();
    return Failure{std::string("libvips: ") + error.what()};
  }
}

Result<VariantSet, std::string> RenderVariants(const DecodedUpload& decoded) {
  const DecodedUpload::State& state = decoded.state();
  const Encoding encoding = state.encoding;
  UseOneOpenMpThread();
  try {
    const auto encode_started = std::chrono::steady_clock::now();
    VariantSet set{state.format, {}};
    set.variants.push_back(
        RenderVariant(std::string(kOriginal.suffix),
                      internal::ComputeInMemory(ResizeExactly(state.base, state.original_width,
                                                              state.original_height, encoding)),
                      encoding));
    // Each square is reduced from the next larger one (kept in memory) rather than from the
    // base: every reduction after the first reads a few thousand pixels instead of the base's
    // quarter million. An enlarged square comes from the base's square as it is, so pixel
    // replication stays exact.
    vips::VImage square = CentreSquare(state.base);
    for (const VariantSpec& variant : std::span(kProfileImageVariants).subspan(1)) {
      vips::VImage image =
          internal::ComputeInMemory(ResizeExactly(square, variant.width, variant.height, encoding));
      if (variant.width < square.width()) square = image;
      set.variants.push_back(RenderVariant(std::string(variant.suffix), image, encoding));
    }
    set.encode_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - encode_started).count();
    return set;
  } catch (const vips::VError& error) {
    internal::ForgetVipsErrors();
    return Failure{std::string("libvips: ") + error.what()};
  }
}

Result<VariantSet, std::string> RenderVariants(std::string_view bytes) {
  const auto decode_started = std::chrono::steady_clock::now();
  auto decoded = DecodeUpload(bytes);
  if (!decoded.ok()) return Failure{decoded.error()};
  const std::chrono::duration<double> decode_time =
      std::chrono::steady_clock::now() - decode_started;
  auto rendered = RenderVariants(*decoded);
  if (rendered.ok()) rendered->decode_seconds = decode_time.count();
  return rendered;
}

}  // namespace portrait::image
