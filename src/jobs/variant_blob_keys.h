#pragma once
// Where the processed variants of a profile image, and the sizes of a banner, live in the
// BlobStore. Shared by the workers
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

// "profile_banners/{user_id}/{banner_id}/{size}" for each size, in image::kBannerVariants' order.
std::vector<std::string> BannerBlobKeys(int64_t user_id, int64_t banner_id);

// The files a retired image or banner leaves in the blob store.
std::vector<std::string> RetiredBlobKeys(const store::RetiredImage& retired);

}  // namespace portrait::jobs
