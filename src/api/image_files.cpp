#include "api/default_images.h"
#include "api/endpoints.h"
#include "image/image_format.h"

namespace portrait::api {
namespace {

constexpr std::string_view kProfileImagesPrefix = "/profile_images/";
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

http::Response ServeDefaultImage(ApiContext&, const http::Request& request, Call&) {
  std::string_view file_name = request.path().substr(kDefaultImagesPrefix.size());
  std::optional<std::string_view> png = DefaultImageFile(file_name);
  if (!png) return NotFound();
  std::string etag = "\"default-" + std::string(file_name.substr(0, file_name.rfind('.'))) + "\"";
  return ImageResponse(request, std::string(*png), "image/png", std::move(etag));
}

}  // namespace portrait::api
