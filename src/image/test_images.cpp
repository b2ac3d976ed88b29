#include "image/test_images.h"

#include <zlib.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "image/pipeline.h"

namespace portrait::image::testing {
namespace {

constexpr int kTestVipsThreads = 2;

std::string TakeBlob(VipsBlob* blob) {
  std::string bytes(static_cast<const char*>(VIPS_AREA(blob)->data), VIPS_AREA(blob)->length);
  vips_area_unref(VIPS_AREA(blob));
  return bytes;
}

void AppendBigEndian32(std::string& out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>(value >> shift));
  }
}

void AppendLittleEndian16(std::string& out, uint16_t value) {
  out.push_back(static_cast<char>(value & 0xFF));
  out.push_back(static_cast<char>(value >> 8));
}

std::string PngChunk(std::string_view type, std::string_view data) {
  std::string chunk;
  AppendBigEndian32(chunk, static_cast<uint32_t>(data.size()));
  chunk.append(type);
  chunk.append(data);
  uLong crc = crc32(0, reinterpret_cast<const Bytef*>(chunk.data() + 4), chunk.size() - 4);
  AppendBigEndian32(chunk, static_cast<uint32_t>(crc));
  return chunk;
}

std::string Deflate(std::string_view raw) {
  uLongf size = compressBound(raw.size());
  std::string out(size, '\0');
  compress(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(raw.data()),
           raw.size());
  out.resize(size);
  return out;
}

}  // namespace

void StartImageLibrary() { InitImageLibrary(kTestVipsThreads); }

vips::VImage Noise(int width, int height, int bands) {
  vips::VImage image = vips::VImage::gaussnoise(width, height);
  for (int band = 1; band < bands; ++band) {
    image = image.bandjoin(vips::VImage::gaussnoise(width, height));
  }
  return image.cast(VIPS_FORMAT_UCHAR)
      .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

std::string ToJpeg(const vips::VImage& image, vips::VOption* options) {
  return TakeBlob(image.jpegsave_buffer(options));
}

std::string ToPng(const vips::VImage& image, vips::VOption* options) {
  return TakeBlob(image.pngsave_buffer(options));
}

std::string ToGif(const vips::VImage& image, vips::VOption* options) {
  return TakeBlob(image.gifsave_buffer(options));
}

vips::VImage Decode(std::string_view bytes, bool all_pages) {
  bool gif = bytes.starts_with("GIF");
  vips::VImage image =
      vips::VImage::new_from_buffer(bytes.data(), bytes.size(), all_pages && gif ? "n=-1" : "");
  return image.copy_memory();
}

std::string PngDeclaring(uint32_t width, uint32_t height) {
  std::string header;
  AppendBigEndian32(header, width);
  AppendBigEndian32(header, height);
  header.append({8, 2, 0, 0, 0});  // 8-bit RGB, deflate, adaptive filter, not interlaced
  std::string png("\x89PNG\r\n\x1A\n", 8);
  png += PngChunk("IHDR", header);
  png += PngChunk("IDAT", Deflate(std::string(64, '\0')));
  png += PngChunk("IEND", "");
  return png;
}

std::string JpegDeclaring(uint16_t width, uint16_t height) {
  std::string jpeg = ToJpeg(Noise(16, 16));
  size_t frame = jpeg.find("\xFF\xC0");
  if (frame == std::string::npos) {
    throw std::runtime_error("no baseline SOF marker");
  }
  jpeg[frame + 5] = static_cast<char>(height >> 8);
  jpeg[frame + 6] = static_cast<char>(height & 0xFF);
  jpeg[frame + 7] = static_cast<char>(width >> 8);
  jpeg[frame + 8] = static_cast<char>(width & 0xFF);
  return jpeg;
}

std::string GifDeclaring(uint16_t screen_width, uint16_t screen_height, uint16_t frame_width,
                         uint16_t frame_height) {
  std::string gif = "GIF89a";
  AppendLittleEndian16(gif, screen_width);
  AppendLittleEndian16(gif, screen_height);
  gif.append("\x80\x00\x00", 3);              // two-colour global table, background 0
  gif.append("\xFF\xFF\xFF\x00\x00\x00", 6);  // white, black
  gif.push_back('\x2C');                      // image descriptor at 0,0
  AppendLittleEndian16(gif, 0);
  AppendLittleEndian16(gif, 0);
  AppendLittleEndian16(gif, frame_width);
  AppendLittleEndian16(gif, frame_height);
  gif.push_back('\x00');
  gif.append("\x02\x02\x44\x01\x00", 5);  // LZW: one pixel, then end of information
  gif.push_back('\x3B');
  return gif;
}

std::string PadJpeg(std::string jpeg, size_t total_bytes) {
  jpeg.resize(total_bytes, '\0');
  return jpeg;
}

std::string PadPng(const std::string& png, size_t total_bytes) {
  constexpr size_t kChunkOverhead = 12;
  constexpr size_t kIendSize = 12;
  std::string padding(total_bytes - png.size() - kChunkOverhead, 'p');
  std::string out = png.substr(0, png.size() - kIendSize);
  out += PngChunk("prVt", padding);
  out += png.substr(png.size() - kIendSize);
  return out;
}

std::optional<std::filesystem::path> CorpusDir() {
  std::filesystem::path dir;
  if (const char* corpus = std::getenv("PORTRAIT_CORPUS_DIR")) {
    dir = corpus;
  } else if (const char* source = std::getenv("PORTRAIT_SOURCE_DIR")) {
    dir = std::filesystem::path(source) / ".corpus";
  }
  if (dir.empty() || !std::filesystem::is_directory(dir)) {
    return std::nullopt;
  }
  return dir;
}

std::vector<std::filesystem::path> CorpusFiles(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file()) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace portrait::image::testing
