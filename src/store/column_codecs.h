#pragma once
// How records' enums and lists are written into columns: the same text in both schemas (the
// CHECK constraints of the migrations name the same values).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/records.h"
#include "store/signin_records.h"

namespace portrait::store {

// "read" or "read-write", and back (throws Fault on anything else).
std::string_view AccessLevelName(AccessLevel level);
AccessLevel ParseAccessLevel(std::string_view name);

// "pending", "authorized", "denied" or "used", and back (throws Fault on anything else).
std::string_view RequestTokenStateName(RequestTokenState state);
RequestTokenState ParseRequestTokenState(std::string_view name);

// "profile_image" or "banner", and back (throws Fault on anything else).
std::string_view MediaKindName(MediaKind kind);
MediaKind ParseMediaKind(std::string_view name);

// A banner region as one column: "width,height,offset_left,offset_top"; nothing for none.
// Throws Fault for a column that is not four integers.
std::optional<std::string> EncodeBannerRegion(const std::optional<BannerRegion>& region);
std::optional<BannerRegion> DecodeBannerRegion(const std::optional<std::string>& column);

// Callback URLs as one column: one URL per line. Throws Fault for an empty URL or one holding a
// line break, which would not read back as itself.
std::string JoinCallbackUrls(const std::vector<std::string>& urls);
std::vector<std::string> SplitCallbackUrls(std::string_view column);

}  // namespace portrait::store
