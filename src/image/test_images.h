#pragma once
// Test-only helpers for src/image: images generated with libvips, hostile files crafted byte by
// byte, and the real-image corpus fetched by scripts/fetch-corpus (tests/corpus/MANIFEST).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include <vips/vips8>

namespace portrait::image::testing {

// Starts libvips exactly as the server does (loaders and savers blocked).
void StartImageLibrary();

// A uchar sRGB image of random pixels with `bands` bands (3, or 4 for an alpha channel).
vips::VImage Noise(int width, int height, int bands = 3);

std::string ToJpeg(const vips::VImage& image, vips::VOption* options = nullptr);
std::string ToPng(const vips::VImage& image, vips::VOption* options = nullptr);
std::string ToGif(const vips::VImage& image, vips::VOption* options = nullptr);

// Decodes with the format's own loader; `all_pages` loads every GIF frame.
vips::VImage Decode(std::string_view bytes, bool all_pages = false);

// Pixel floods: a few hundred bytes whose headers declare huge images.
std::string PngDeclaring(uint32_t width, uint32_t height);
std::string JpegDeclaring(uint16_t width, uint16_t height);
std::string GifDeclaring(uint16_t screen_width, uint16_t screen_height, uint16_t frame_width,
                         uint16_t frame_height);

// Grows a valid file to exactly `total_bytes` without changing its pixels: bytes after a JPEG's
// EOI, or a private ancillary chunk before a PNG's IEND.
std::string PadJpeg(std::string jpeg, size_t total_bytes);
std::string PadPng(const std::string& png, size_t total_bytes);

// $PORTRAIT_CORPUS_DIR, else $PORTRAIT_SOURCE_DIR/.corpus; nullopt when neither exists.
std::optional<std::filesystem::path> CorpusDir();
std::vector<std::filesystem::path> CorpusFiles(const std::filesystem::path& dir);
std::string ReadFile(const std::filesystem::path& path);

}  // namespace portrait::image::testing
