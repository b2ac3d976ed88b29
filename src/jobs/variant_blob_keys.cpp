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

std::vector<std::string> BannerBlobKeys(int64_t user_id, int64_t banner_id) {
  const std::string base = image::ProfileBannerPath(user_id, banner_id);
  std::vector<std::string> keys;
  keys.reserve(image::kBannerVariants.size());
  for (const image::VariantSpec& size : image::kBannerVariants) {
    keys.push_back(base + "/" + std::string(size.name));
  }
  return keys;
}

std::vector<std::string> RetiredBlobKeys(const store::RetiredImage& retired) {
  if (retired.kind == store::MediaKind::kBanner) {
    return BannerBlobKeys(retired.user_id, retired.image.image_id);
  }
  return AllVariantBlobKeys(retired.image);
}

}  // namespace portrait::jobs
