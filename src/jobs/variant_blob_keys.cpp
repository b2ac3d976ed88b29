#include "jobs/variant_blob_keys.h"

namespace portrait::jobs {

std::string VariantBlobKey(const store::ProfileImage& image, std::string_view suffix) {
  std::string key = "profile_images/" + std::to_string(image.image_id) + "/" + image.key;
  key.append(suffix);
  key += ".";
  key += image.extension;
  return key;
}

std::vector<std::string> AllVariantBlobKeys(const store::ProfileImage& image) {
  std::vector<std::string> keys;
  keys.reserve(kVariantSuffixes.size());
  for (std::string_view suffix : kVariantSuffixes) keys.push_back(VariantBlobKey(image, suffix));
  return keys;
}

}  // namespace portrait::jobs
