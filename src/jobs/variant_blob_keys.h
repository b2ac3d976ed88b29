#pragma once
// Where the processed variants of a profile image live in the BlobStore. Shared by the workers
// that write them, the janitor that deletes them and the API layer that serves them.
#include <string>
#include <string_view>
#include <vector>

#include "store/records.h"

namespace portrait::jobs {

// image::ProfileImagePath of one variant of image (suffix as in image::kProfileImageVariants).
std::string VariantBlobKey(const store::ProfileImage& image, std::string_view suffix);

// The keys of all seven variants of image, in image::kProfileImageVariants' order.
std::vector<std::string> AllVariantBlobKeys(const store::ProfileImage& image);

}  // namespace portrait::jobs
