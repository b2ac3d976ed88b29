#pragma once
// Where the processed variants of a profile image live in the BlobStore. Shared by the workers
// that write them, the janitor that deletes them and the API layer that serves them.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "store/records.h"

namespace portrait::jobs {

// The file-name suffixes of the seven variants of SPEC §2, in image::RenderVariants' order.
inline constexpr std::array<std::string_view, 7> kVariantSuffixes = {
    "", "_400x400", "_200x200", "_reasonably_small", "_bigger", "_normal", "_mini"};

// "profile_images/{image_id}/{key}{suffix}.{extension}": the served URL path without its
// leading '/'.
std::string VariantBlobKey(const store::ProfileImage& image, std::string_view suffix);

// The keys of all seven variants of image, in kVariantSuffixes' order.
std::vector<std::string> AllVariantBlobKeys(const store::ProfileImage& image);

}  // namespace portrait::jobs
