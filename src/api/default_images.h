#pragma once
// The default ("egg") profile image in every variant, rendered once on first use and kept in
// memory. Thread-safe.
#include <optional>
#include <string>
#include <string_view>

namespace portrait::api {

// PNG bytes for "default_profile{suffix}.png" (suffix as in SPEC §2, e.g. "_normal"), or
// nothing for any other name.
std::optional<std::string_view> DefaultImageFile(std::string_view file_name);

}  // namespace portrait::api
