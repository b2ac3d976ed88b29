#pragma once
// The v1.1 user object of SPEC §3, built from a stored user.
#include <optional>
#include <string>

#include "image/variant_catalogue.h"
#include "store/records.h"

namespace portrait::api {

// Where image URLs point: "{scheme}://{host}" forms, without a trailing slash.
struct ImageBase {
  std::string http;   // for profile_image_url
  std::string https;  // for profile_image_url_https (same as http where no https is served)
};

struct UserJsonOptions {
  bool include_entities = true;
  bool include_email = false;
};

// Serialised JSON, keys in the seed example's (alphabetical) order.
std::string UserJson(const store::User& user, const ImageBase& base,
                     const UserJsonOptions& options);

// "{base}/profile_images/{id}/{key}{suffix}.{ext}", or the default image's URL of that variant;
// by default the _normal variant (profile_image_url).
std::string ProfileImageUrl(const store::User& user, const std::string& base,
                            std::string_view suffix = image::kLinkedSuffix);

// "{base}/profile_banners/{user_id}/{banner_id}" (clients append "/{size}"); nothing without a
// banner. The user object's profile_banner_url, from the https base.
std::optional<std::string> ProfileBannerUrl(const store::User& user, const std::string& base);

}  // namespace portrait::api
