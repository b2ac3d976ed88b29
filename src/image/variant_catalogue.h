#pragma once
// The catalogue of what Portrait renders and serves: every variant of a profile image (SPEC §2)
// and of a profile banner (SPEC §9), with its size, its file name and where it lives. The one
// definition below the pipeline, the workers that store the variants, the janitor that deletes
// them, the API (the URLs in the user object, the image routes, the default image) and the CLI.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace portrait::image {

enum class VariantShape {
  kFitWidth,  // at most width wide, aspect kept, only ever scaled down
  kCover,     // a centre crop covering exactly width x height, scaled up or down
};

struct VariantSpec {
  std::string_view name;    // "original", "400x400", "web_retina", ...
  std::string_view suffix;  // profile images: in the file name, "{key}{suffix}.{extension}"
  VariantShape shape;
  int width;
  int height;  // 0 for kFitWidth
};

// The seven profile image variants, largest first (the order the pipeline renders them in:
// each square is cut from the next larger).
inline constexpr std::array<VariantSpec, 7> kProfileImageVariants = {{
    {"original", "", VariantShape::kFitWidth, 500, 0},
    {"400x400", "_400x400", VariantShape::kCover, 400, 400},
    {"200x200", "_200x200", VariantShape::kCover, 200, 200},
    {"reasonably_small", "_reasonably_small", VariantShape::kCover, 128, 128},
    {"bigger", "_bigger", VariantShape::kCover, 73, 73},
    {"normal", "_normal", VariantShape::kCover, 48, 48},
    {"mini", "_mini", VariantShape::kCover, 24, 24},
}};

// The variant profile_image_url names; clients derive the others by replacing this suffix.
inline constexpr std::string_view kLinkedSuffix = "_normal";

// "profile_images/{image_id}/{key}{suffix}.{extension}": the variant's blob key, and its URL
// path after the image base URL's "/".
std::string ProfileImagePath(int64_t image_id, std::string_view key, std::string_view suffix,
                             std::string_view extension);

// The default ("egg") image's file names, "default_profile{suffix}.png", under this URL path; its
// "original" is 400 px square, as Twitter's was.
inline constexpr std::string_view kDefaultImagePath = "sticky/default_profile_images/";
inline constexpr int kDefaultOriginalSize = 400;

// Twitter's ten banner sizes, each a centre-cover crop of the chosen region.
inline constexpr std::array<VariantSpec, 10> kBannerVariants = {{
    {"1500x500", "", VariantShape::kCover, 1500, 500},
    {"web_retina", "", VariantShape::kCover, 1040, 520},
    {"ipad_retina", "", VariantShape::kCover, 1252, 626},
    {"1080x360", "", VariantShape::kCover, 1080, 360},
    {"mobile_retina", "", VariantShape::kCover, 640, 320},
    {"ipad", "", VariantShape::kCover, 626, 313},
    {"600x200", "", VariantShape::kCover, 600, 200},
    {"web", "", VariantShape::kCover, 520, 260},
    {"mobile", "", VariantShape::kCover, 320, 160},
    {"300x100", "", VariantShape::kCover, 300, 100},
}};

// "profile_banners/{user_id}/{banner_id}": the banner's base (profile_banner_url is the image
// base URL, "/", and this); a size's blob key and URL path is "{base}/{size name}".
std::string ProfileBannerPath(int64_t user_id, int64_t banner_id);

}  // namespace portrait::image
