#pragma once
// The default ("egg") profile image in every variant, rendered once on first use and kept in
// memory. Thread-safe.
#include <optional>
#include <string>
#include <string_view>

#include "blob/blob_store.h"
#include "common/result.h"

namespace portrait::api {

// PNG bytes for "default_profile{suffix}.png" (suffix as in SPEC §2, e.g. "_normal"), or
// nothing for any other name.
std::optional<std::string_view> DefaultImageFile(std::string_view file_name);

// Stores every default variant in blobs under "sticky/default_profile_images/{name}" (the path
// Portrait serves them at) unless it is there already, so that a bucket serving image URLs
// directly (--image-base-url) serves the default image too.
Status PublishDefaultImages(blob::BlobStore& blobs);

}  // namespace portrait::api
