#include "image/jpeg_encoder.h"

// jpeglib.h needs FILE and size_t declared first.
#include <jpeglib.h>

#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <memory>

namespace portrait::image::internal {
namespace {

// libvips keeps chroma at full resolution from quality 90 up.
constexpr int kFullChromaFromQuality = 90;

// libjpeg reports errors through error_exit, which must not return: it jumps back here.
struct ErrorManager {
  jpeg_error_mgr base;
  std::jmp_buf resume;
  char message[JMSG_LENGTH_MAX];
};

[[noreturn]] void ExitOnError(j_common_ptr info) {
  auto* manager = reinterpret_cast<ErrorManager*>(info->err);
  (*info->err->format_message)(info, manager->message);
  std::longjmp(manager->resume, 1);
}

}  // namespace

std::string EncodeJpeg(const vips::VImage& image, int quality) {
  VipsImage* in = image.get_image();
  if (vips_image_wio_input(in) != 0) throw vips::VError();
  const int bands = image.bands();
  if (image.format() != VIPS_FORMAT_UCHAR || (bands != 1 && bands != 3)) {
    throw vips::VError("jpeg: 8-bit images of 1 or 3 bands only");
  }

  jpeg_compress_struct compress{};
  ErrorManager errors{};
  compress.err = jpeg_std_error(&errors.base);
  errors.base.error_exit = ExitOnError;
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  // Everything that outlives a longjmp is declared above; nothing with a destructor is created
  // between here and jpeg_destroy_compress.
  if (setjmp(errors.resume) != 0) {
    jpeg_destroy_compress(&compress);
    std::free(buffer);
    throw vips::VError(std::string("jpeg: ") + errors.message);
  }
  jpeg_create_compress(&compress);
  jpeg_mem_dest(&compress, &buffer, &size);
  compress.image_width = static_cast<JDIMENSION>(image.width());
  compress.image_height = static_cast<JDIMENSION>(image.height());
  compress.input_components = bands;
  compress.in_color_space = bands == 3 ? JCS_RGB : JCS_GRAYSCALE;
  jpeg_set_defaults(&compress);
  jpeg_set_quality(&compress, quality, TRUE);
  compress.optimize_coding = TRUE;
  compress.write_JFIF_header = FALSE;  // a stripped jpegsave writes no APP0 either
  if (bands == 3 && quality >= kFullChromaFromQuality) {
    for (int component = 0; component < 3; ++component) {
      compress.comp_info[component].h_samp_factor = 1;
      compress.comp_info[component].v_samp_factor = 1;
    }
  }
  jpeg_start_compress(&compress, TRUE);
  while (compress.next_scanline < compress.image_height) {
    JSAMPROW row = VIPS_IMAGE_ADDR(in, 0, static_cast<int>(compress.next_scanline));
    jpeg_write_scanlines(&compress, &row, 1);
  }
  jpeg_finish_compress(&compress);
  jpeg_destroy_compress(&compress);
  std::string bytes(reinterpret_cast<const char*>(buffer), size);
  std::free(buffer);
  return bytes;
}

}  // namespace portrait::image::internal
