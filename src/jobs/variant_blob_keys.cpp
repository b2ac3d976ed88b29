#include "jobs/variant_blob_keys.h"

#include "image/variant_catalogue.h"

namespace portrait::jobs {

std::string VariantBlobKey(const store::ProfileImage& image, std::string_view suffix) {
  return image::ProfileImagePath(image.image_id, image.key, suffix, image.extension);
}

std::vector<std::string> AllVariantBlobKeys(const store::ProfileImage& image) {
  std::vector<std::string> keys;
  keys.reserve(image::kProfileImageVariants.size());
  for (const image::VariantSpec& variant : image::kProfileImageVariants) {
    keys.push_back(VariantBlobKey(image, variant.suffix));
  }
  return keys;
}

}  // namespace portrait::jobs
