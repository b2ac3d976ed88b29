#include "api/default_images.h"

#include <map>
#include <mutex>
#include <vips/vips8>

#include "image/variant_catalogue.h"

namespace portrait::api {
namespace {

// A pale silhouette (head and shoulders) on a grey-blue square, drawn pixel by pixel.
std::string RenderSilhouette(int size) {
  constexpr unsigned char kBackground[] = {0xCC, 0xD6, 0xDD};
  constexpr unsigned char kFigure[] = {0xF5, 0xF8, 0xFA};
  std::string pixels(static_cast<size_t>(size) * size * 3, '\0');
  const double s = size;
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      double dx = x + 0.5 - s / 2;
      double head_dy = y + 0.5 - s * 0.38;
      double body_dy = y + 0.5 - s * 1.02;
      bool head = dx * dx + head_dy * head_dy <= (s * 0.19) * (s * 0.19);
      bool body = dx * dx + body_dy * body_dy <= (s * 0.42) * (s * 0.42);
      const unsigned char* colour = head || body ? kFigure : kBackground;
      for (int band = 0; band < 3; ++band) {
        pixels[(static_cast<size_t>(y) * size + x) * 3 + band] = static_cast<char>(colour[band]);
      }
    }
  }
  // new_from_memory does not copy: pixels outlives the image, which is saved before returning.
  vips::VImage image =
      vips::VImage::new_from_memory(pixels.data(), pixels.size(), size, size, 3, VIPS_FORMAT_UCHAR);
  void* buffer = nullptr;
  size_t length = 0;
  image.write_to_buffer(".png", &buffer, &length);
  std::string png(static_cast<const char*>(buffer), length);
  g_free(buffer);
  return png;
}

const std::map<std::string, std::string, std::less<>>& Files() {
  static const auto* files = [] {
    auto* rendered = new std::map<std::string, std::string, std::less<>>;
    for (const image::VariantSpec& variant : image::kProfileImageVariants) {
      const int size = variant.shape == image::VariantShape::kFitWidth ? image::kDefaultOriginalSize
                                                                       : variant.width;
      (*rendered)["default_profile" + std::string(variant.suffix) + ".png"] =
          RenderSilhouette(size);
    }
    return rendered;
  }();
  return *files;
}

}  // namespace

std::optional<std::string_view> DefaultImageFile(std::string_view file_name) {
  const auto& files = Files();
  auto it = files.find(file_name);
  if (it == files.end()) return std::nullopt;
  return std::string_view(it->second);
}

Status PublishDefaultImages(blob::BlobStore& blobs) {
  for (const auto& [name, png] : Files()) {
    const std::string key = std::string(image::kDefaultImagePath) + name;
    if (blobs.Get(key)) continue;
    if (Status stored = blobs.Put(key, png); !stored.ok()) return stored;
  }
  return Status::Ok();
}

}  // namespace portrait::api
