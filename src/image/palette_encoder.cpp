#include "image/palette_encoder.h"

#include <cgif.h>
#include <png.h>

#include <algorithm>
#include <array>
#include <boost/unordered/unordered_flat_map.hpp>
#include <csetjmp>
#include <cstdint>
#include <vector>

namespace portrait::image::internal {
namespace {

constexpr size_t kMaxColours = 256;
constexpr uint8_t kOpaqueFrom = 128;  // GIF: alpha below this is transparent

struct Indexed {
  std::vector<std::array<uint8_t, 4>> palette;  // RGBA
  std::vector<uint8_t> indices;                 // one per pixel, row by row
  int transparent = -1;                         // GIF: the transparent entry, if any
};

// The image's colours as a palette and indices, or nothing when there are more than 256.
std::optional<Indexed> IndexColours(const vips::VImage& image, bool one_bit_alpha) {
  VipsImage* in = image.get_image();
  const int bands = image.bands();
  const int width = image.width();
  const int height = image.height();
  Indexed indexed;
  indexed.indices.resize(static_cast<size_t>(width) * height);
  boost::unordered_flat_map<uint32_t, uint8_t> entries;
  entries.reserve(kMaxColours + 1);
  size_t at = 0;
  for (int y = 0; y < height; ++y) {
    const uint8_t* pixel = VIPS_IMAGE_ADDR(in, 0, y);
    for (int x = 0; x < width; ++x, pixel += bands) {
      std::array<uint8_t, 4> rgba{pixel[0], pixel[1], pixel[2],
                                  bands == 4 ? pixel[3] : uint8_t{255}};
      if (one_bit_alpha)
        rgba = rgba[3] < kOpaqueFrom ? std::array<uint8_t, 4>{0, 0, 0, 0}
                                     : std::array<uint8_t, 4>{rgba[0], rgba[1], rgba[2], 255};
      const uint32_t key = uint32_t{rgba[0]} | uint32_t{rgba[1]} << 8 | uint32_t{rgba[2]} << 16 |
                           uint32_t{rgba[3]} << 24;
      auto [entry, added] = entries.try_emplace(key, static_cast<uint8_t>(entries.size()));
      if (added) {
        if (entries.size() > kMaxColours) return std::nullopt;
        indexed.palette.push_back(rgba);
        if (one_bit_alpha && rgba[3] == 0) indexed.transparent = entry->second;
      }
      indexed.indices[at++] = entry->second;
    }
  }
  return indexed;
}

int AppendBytes(void* context, const uint8_t* data, const size_t length) {
  static_cast<std::string*>(context)->append(reinterpret_cast<const char*>(data), length);
  return CGIF_OK;
}

std::string EncodeGif(const vips::VImage& image, Indexed& indexed) {
  std::vector<uint8_t> palette;
  for (const auto& rgba : indexed.palette)
    palette.insert(palette.end(), rgba.begin(), rgba.end() - 1);
  std::string bytes;
  CGIF_Config config{};
  config.pGlobalPalette = palette.data();
  config.numGlobalPaletteEntries = static_cast<uint16_t>(indexed.palette.size());
  config.width = static_cast<uint16_t>(image.width());
  config.height = static_cast<uint16_t>(image.height());
  config.pWriteFn = AppendBytes;
  config.pContext = &bytes;
  // cgif writes the graphic control extension, which carries the transparent index, only for
  // "animated" GIFs; NO_LOOP leaves out the NETSCAPE loop block: still one still frame.
  if (indexed.transparent >= 0) config.attrFlags = CGIF_ATTR_IS_ANIMATED | CGIF_ATTR_NO_LOOP;
  CGIF* gif = cgif_newgif(&config);
  if (gif == nullptr) throw vips::VError("gif: cgif cannot start");
  CGIF_FrameConfig frame{};
  frame.pImageData = indexed.indices.data();
  if (indexed.transparent >= 0) {
    frame.attrFlags = CGIF_FRAME_ATTR_HAS_SET_TRANS;
    frame.transIndex = static_cast<uint8_t>(indexed.transparent);
  }
  const int added = cgif_addframe(gif, &frame);
  const int closed = cgif_close(gif);
  if (added != CGIF_OK || closed != CGIF_OK) throw vips::VError("gif: cgif failed");
  return bytes;
}

void AppendPng(png_structp png, png_bytep data, png_size_t length) {
  static_cast<std::string*>(png_get_io_ptr(png))
      ->append(reinterpret_cast<const char*>(data), length);
}

void Flush(png_structp) {}

std::string EncodePalettePng(const vips::VImage& image, const Indexed& indexed, int compression) {
  std::vector<png_color> colours;
  std::vector<png_byte> alphas;
  for (const auto& rgba : indexed.palette) {
    colours.push_back(png_color{rgba[0], rgba[1], rgba[2]});
    alphas.push_back(rgba[3]);
  }
  std::string bytes;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  if (png == nullptr) throw vips::VError("png: out of memory");
  png_infop info = png_create_info_struct(png);
  if (info == nullptr || setjmp(png_jmpbuf(png)) != 0) {
    png_destroy_write_struct(&png, &info);
    throw vips::VError("png: libpng failed to write the image");
  }
  png_set_write_fn(png, &bytes, AppendPng, Flush);
  png_set_compression_level(png, compression);
  png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
  png_set_IHDR(png, info, static_cast<png_uint_32>(image.width()),
               static_cast<png_uint_32>(image.height()), 8, PNG_COLOR_TYPE_PALETTE,
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_BASE, PNG_FILTER_TYPE_BASE);
  png_set_PLTE(png, info, colours.data(), static_cast<int>(colours.size()));
  if (std::any_of(alphas.begin(), alphas.end(), [](png_byte alpha) { return alpha != 255; })) {
    png_set_tRNS(png, info, alphas.data(), static_cast<int>(alphas.size()), nullptr);
  }
  png_write_info(png, info);
  for (int y = 0; y < image.height(); ++y) {
    png_write_row(png,
                  const_cast<png_bytep>(&indexed.indices[static_cast<size_t>(y) * image.width()]));
  }
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  return bytes;
}

}  // namespace

std::optional<std::string> EncodeWithExactPalette(const vips::VImage& image, Format format,
                                                  int png_compression) {
  VipsImage* in = image.get_image();
  if (vips_image_wio_input(in) != 0) throw vips::VError();
  if (image.format() != VIPS_FORMAT_UCHAR || (image.bands() != 3 && image.bands() != 4)) {
    return std::nullopt;
  }
  if (format == Format::kGif) {
    std::optional<Indexed> indexed = IndexColours(image, /*one_bit_alpha=*/true);
    if (!indexed) return std::nullopt;
    return EncodeGif(image, *indexed);
  }
  if (format == Format::kPng) {
    std::optional<Indexed> indexed = IndexColours(image, /*one_bit_alpha=*/false);
    if (!indexed) return std::nullopt;
    return EncodePalettePng(image, *indexed, png_compression);
  }
  return std::nullopt;
}

}  // namespace portrait::image::internal
