#include "image/image_format.h"

#include <array>

namespace portrait::image {
namespace {

constexpr std::string_view kJpegMagic("\xFF\xD8\xFF", 3);
constexpr std::string_view kPngMagic("\x89PNG\r\n\x1A\n", 8);
constexpr std::array<std::string_view, 2> kGifMagics = {"GIF87a", "GIF89a"};

}  // namespace

std::optional<Format> SniffFormat(std::string_view bytes) {
  if (bytes.starts_with(kJpegMagic)) {
    return Format::kJpeg;
  }
  if (bytes.starts_with(kPngMagic)) {
    return Format::kPng;
  }
  for (std::string_view magic : kGifMagics) {
    if (bytes.starts_with(magic)) {
      return Format::kGif;
    }
  }
  return std::nullopt;
}

std::optional<Format> FormatFromExtension(std::string_view extension) {
  if (extension == "jpeg") {
    return Format::kJpeg;
  }
  if (extension == "png") {
    return Format::kPng;
  }
  if (extension == "gif") {
    return Format::kGif;
  }
  return std::nullopt;
}

std::string_view Extension(Format format) {
  switch (format) {
    case Format::kJpeg:
      return "jpeg";
    case Format::kPng:
      return "png";
    case Format::kGif:
      return "gif";
  }
  return "";
}

std::string_view MimeType(Format format) {
  switch (format) {
    case Format::kJpeg:
      return "image/jpeg";
    case Format::kPng:
      return "image/png";
    case Format::kGif:
      return "image/gif";
  }
  return "";
}

}  // namespace portrait::image
