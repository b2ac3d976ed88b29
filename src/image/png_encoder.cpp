#include "image/png_encoder.h"

#include <png.h>

#include <csetjmp>

namespace portrait::image::internal {
namespace {

void Append(png_structp png, png_bytep data, png_size_t length) {
  auto* out = static_cast<std::string*>(png_get_io_ptr(png));
  out->append(reinterpret_cast<const char*>(data), length);
}

void Flush(png_structp) {}

int ColourType(int bands) {
  switch (bands) {
    case 1:
      return PNG_COLOR_TYPE_GRAY;
    case 2:
      return PNG_COLOR_TYPE_GRAY_ALPHA;
    case 3:
      return PNG_COLOR_TYPE_RGB;
    default:
      return PNG_COLOR_TYPE_RGB_ALPHA;
  }
}

}  // namespace

std::string EncodeTruecolourPng(const vips::VImage& image, int compression, int filter) {
  VipsImage* in = image.get_image();
  if (vips_image_wio_input(in) != 0) throw vips::VError();
  const int bands = image.bands();
  if (image.format() != VIPS_FORMAT_UCHAR || bands < 1 || bands > 4) {
    throw vips::VError("png: 8-bit images of 1 to 4 bands only");
  }
  std::string bytes;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  if (png == nullptr) throw vips::VError("png: out of memory");
  png_infop info = png_create_info_struct(png);
  // libpng reports errors by longjmp to here; nothing with a destructor is created below it
  // but the output string, which outlives the jump.
  if (info == nullptr || setjmp(png_jmpbuf(png)) != 0) {
    png_destroy_write_struct(&png, &info);
    throw vips::VError("png: libpng failed to write the image");
  }
  png_set_write_fn(png, &bytes, Append, Flush);
  png_set_compression_level(png, compression);
  png_set_filter(png, PNG_FILTER_TYPE_BASE, filter);
  png_set_IHDR(png, info, static_cast<png_uint_32>(image.width()),
               static_cast<png_uint_32>(image.height()), 8, ColourType(bands), PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_BASE, PNG_FILTER_TYPE_BASE);
  // The resolution, as libvips writes it (pixels per metre, from its pixels per millimetre).
  png_set_pHYs(png, info, static_cast<png_uint_32>(VIPS_RINT(in->Xres * 1000)),
               static_cast<png_uint_32>(VIPS_RINT(in->Yres * 1000)), PNG_RESOLUTION_METER);
  png_write_info(png, info);
  for (int y = 0; y < image.height(); ++y) {
    png_write_row(png, VIPS_IMAGE_ADDR(in, 0, y));
  }
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  return bytes;
}

}  // namespace portrait::image::internal
