#pragma once
// The three formats Portrait accepts, recognised by their bytes only.
#include <optional>
#include <string_view>

namespace portrait::image {

enum class Format { kJpeg, kPng, kGif };

// By magic bytes: JPEG FF D8 FF, PNG 89 50 4E 47 0D 0A 1A 0A, GIF "GIF87a"/"GIF89a".
std::optional<Format> SniffFormat(std::string_view bytes);
std::optional<Format> FormatFromExtension(std::string_view extension);  // "jpeg", "png", "gif"

std::string_view Extension(Format format);  // "jpeg", "png", "gif"
std::string_view MimeType(Format format);   // "image/jpeg", ...

}  // namespace portrait::image
