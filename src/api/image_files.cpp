#include <algorithm>

#include "api/default_images.h"
#include "api/endpoints.h"
#include "image/image_format.h"
#include "image/variant_catalogue.h"

namespace portrait::api {
namespace {

constexpr std::string_view kProfileImagesPrefix = "/profile_images/";
constexpr std::string_view kProfileBannersPrefix = "/profile_banners/";
constexpr std::string_view kDefaultImagesPrefix = "/sticky/default_profile_images/";
constexpr std::string_view kImmutableCaching = "public, max-age=31536000, immutable";

bool IsDigits(std::string_view text) {
  return !text.empty() && text.size() <= 19 &&
         text.find_first_not_of("0123456789") == std::string_view::npos;
}

// Variant file names are "{key}{suffix}.{ext}" with key and suffix in [a-z0-9_x].
bool IsImageFileName(std::string_view name) {
  size_t dot = name.rfind('.');
  if (dot == 0 || dot == std::string_view::npos || name.size() > 128) return false;
  std::string_view stem = name.substr(0, dot);
  return stem.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string_view::npos;
}

http::Response NotFound() { return ErrorResponse(errors::kPageNotFound); }

bool MatchesEtag(std::optional<std::string_view> if_none_match, std::string_view etag) {
  if (!if_none_match) return false;
  if (*if_none_match == "*") return true;
  return if_none_match->find(etag) != std::string_view::npos;
}

http::Response ImageResponse(const http::Request& request, std::string body,
                             std::string_view content_type, std::string etag) {
  http::Response response;
  response.set("ETag", etag);
  response.set("Cache-Control", std::string(kImmutableCaching));
  response.set("X-Content-Type-Options", "nosniff");
  if (MatchesEtag(request.header("If-None-Match"), etag)) {
    response.status = 304;
    return response;
  }
  response.set("Content-Type", std::string(content_type));
  response.body = std::move(body);
  response.head_only = request.method == "HEAD";
  return response;
}

enum class ImageSource { kAny, kMemoryOnly };

std::optional<http::Response> ProfileImage(ApiContext& context, const http::Request& request,
                                           ImageSource source) {
  std::string_view rest = request.path().substr(kProfileImagesPrefix.size());
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return NotFound();
  std::string_view image_id = rest.substr(0, slash);
  std::string_view file_name = rest.substr(slash + 1);
  if (!IsDigits(image_id) || !IsImageFileName(file_name)) return NotFound();
  auto format = image::FormatFromExtension(file_name.substr(file_name.rfind('.') + 1));
  if (!format) return NotFound();

  std::string key = std::string(kProfileImagesPrefix.substr(1)) + std::string(rest);
  std::optional<std::string> bytes = source == ImageSource::kMemoryOnly
                                         ? context.blobs.GetServedFromMemory(key)
                                         : context.blobs.GetForServing(key);
  if (!bytes) return source == ImageSource::kMemoryOnly ? std::nullopt : std::optional(NotFound());
  // Image URLs are immutable (a new upload gets a new id and key), so the name is the version.
  std::string etag = "\"" + std::string(image_id) + "-" +
                     std::string(file_name.substr(0, file_name.rfind('.'))) + "\"";
  return ImageResponse(request, std::move(*bytes), image::MimeType(*format), std::move(etag));
}

}  // namespace

http::Response ServeProfileImage(ApiContext& context, const http::Request& request, Call&) {
  return *ProfileImage(context, request, ImageSource::kAny);
}

std::optional<http::Response> ServeProfileImageFromMemory(ApiContext& context,
                                                          const http::Request& request) {
  return ProfileImage(context, request, ImageSource::kMemoryOnly);
}

namespace {

// "/profile_banners/{user_id}/{banner_id}/{size}" with a size of the catalogue.
std::optional<http::Response> ProfileBannerFile(ApiContext& context, const http::Request& request,
                                                bool memory_only) {
  const std::string_view path = request.path();
  std::string_view rest = path.substr(kProfileBannersPrefix.size());
  const size_t first = rest.find('/');
  const size_t second = first == std::string_view::npos ? first : rest.find('/', first + 1);
  if (second == std::string_view::npos) return NotFound();
  const std::string_view user_id = rest.substr(0, first);
  const std::string_view banner_id = rest.substr(first + 1, second - first - 1);
  const std::string_view size = rest.substr(second + 1);
  const bool known_size =
      std::any_of(image::kBannerVariants.begin(), image::kBannerVariants.end(),
                  [&](const image::VariantSpec& spec) { return spec.name == size; });
  if (!IsDigits(user_id) || !IsDigits(banner_id) || !known_size) return NotFound();
  const std::string key(path.substr(1));
  std::optional<std::string> bytes =
      memory_only ? context.blobs.GetServedFromMemory(key) : context.blobs.GetForServing(key);
  if (!bytes) return memory_only ? std::nullopt : std::optional(NotFound());
  std::string etag = "\"banner-" + std::string(banner_id) + "-" + std::string(size) + "\"";
  return ImageResponse(request, std::move(*bytes), "image/jpeg", std::move(etag));
}

}  // namespace

http::Response ServeProfileBanner(ApiContext& context, const http::Request& request, Call&) {
  return *ProfileBannerFile(context, request, false);
}

std::optional<http::Response> ServeProfileBannerFromMemory(ApiContext& context,
                                                           const http::Request& request) {
  return ProfileBannerFile(context, request, true);
}

http::Response ServeDefaultImage(ApiContext&, const http::Request& request, Call&) {
  std::string_view file_name = request.path().substr(kDefaultImagesPrefix.size());
  std::optional<std::string_view> png = DefaultImageFile(file_name);
  if (!png) return NotFound();
  std::string etag = "\"default-" + std::string(file_name.substr(0, file_name.rfind('.'))) + "\"";
  return ImageResponse(request, std::string(*png), "image/png", std::move(etag));
}

}  // namespace portrait::api
