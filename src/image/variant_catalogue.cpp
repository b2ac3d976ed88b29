#include "image/variant_catalogue.h"

namespace portrait::image {

std::string ProfileImagePath(int64_t image_id, std::string_view key, std::string_view suffix,
                             std::string_view extension) {
  std::string path = "profile_images/" + std::to_string(image_id) + "/";
  path.append(key).append(suffix).append(".").append(extension);
  return path;
}

std::string ProfileBannerPath(int64_t user_id, int64_t banner_id) {
  return "profile_banners/" + std::to_string(user_id) + "/" + std::to_string(banner_id);
}

}  // namespace portrait::image
