#include "api/user_json.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "api/entities.h"
#include "common/time_format.h"
#include "image/variant_catalogue.h"

namespace portrait::api {
namespace {

namespace json = boost::json;

// Twitter's default theme, which every user here keeps. Fields with no meaning here keep the
// seed's types with neutral values (SPEC §3): empty background URLs, UTC, zero counts.
constexpr std::string_view kBackgroundColor = "F5F8FA";
constexpr std::string_view kLinkColor = "1DA1F2";
constexpr std::string_view kSidebarBorderColor = "C0DEED";
constexpr std::string_view kSidebarFillColor = "DDEEF6";
constexpr std::string_view kTextColor = "333333";

json::value Nullable(const std::optional<std::string>& text) {
  if (!text || text->empty()) return nullptr;
  return json::string(*text);
}

json::object UrlsNode(std::string_view text) {
  json::array urls;
  for (const UrlEntity& entity : FindUrlEntities(text)) {
    urls.push_back(json::object{{"url", entity.url},
                                {"expanded_url", entity.expanded_url},
                                {"display_url", entity.display_url},
                                {"indices", json::array{entity.start, entity.end}}});
  }
  return json::object{{"urls", std::move(urls)}};
}

json::object EntitiesNode(const store::User& user) {
  json::object entities;
  if (user.url && !user.url->empty()) entities["url"] = UrlsNode(*user.url);
  entities["description"] = UrlsNode(user.description.value_or(""));
  return entities;
}

}  // namespace

std::string ProfileImageUrl(const store::User& user, const std::string& base,
                            std::string_view suffix) {
  if (!user.image) {
    return base + "/" + std::string(image::kDefaultImagePath) + "default_profile" +
           std::string(suffix) + ".png";
  }
  const store::ProfileImage& image = *user.image;
  return base + "/" + image::ProfileImagePath(image.image_id, image.key, suffix, image.extension);
}

std::optional<std::string> ProfileBannerUrl(const store::User& user, const std::string& base) {
  if (!user.banner_id) return std::nullopt;
  return base + "/" + image::ProfileBannerPath(user.id, *user.banner_id);
}

std::string UserJson(const store::User& user, const ImageBase& base,
                     const UserJsonOptions& options) {
  json::object o;
  o.reserve(48);
  o["contributors_enabled"] = false;
  o["created_at"] = TwitterTime(user.created_at);
  o["default_profile"] = true;
  o["default_profile_image"] = !user.image.has_value();
  o["description"] = Nullable(user.description);
  if (options.include_email) o["email"] = Nullable(user.email);
  if (options.include_entities) o["entities"] = EntitiesNode(user);
  o["favourites_count"] = 0;
  o["follow_request_sent"] = false;
  o["followers_count"] = 0;
  o["following"] = false;
  o["friends_count"] = 0;
  o["geo_enabled"] = false;
  o["id"] = user.id;
  o["id_str"] = std::to_string(user.id);
  o["is_translator"] = false;
  o["lang"] = "en";
  o["listed_count"] = 0;
  o["location"] = Nullable(user.location);
  o["name"] = user.name;
  o["notifications"] = false;
  o["profile_background_color"] = kBackgroundColor;
  o["profile_background_image_url"] = "";
  o["profile_background_image_url_https"] = "";
  o["profile_background_tile"] = false;
  if (auto banner = ProfileBannerUrl(user, base.https)) o["profile_banner_url"] = *banner;
  o["profile_image_url"] = ProfileImageUrl(user, base.http);
  o["profile_image_url_https"] = ProfileImageUrl(user, base.https);
  o["profile_link_color"] = user.profile_link_color.value_or(std::string(kLinkColor));
  o["profile_sidebar_border_color"] = kSidebarBorderColor;
  o["profile_sidebar_fill_color"] = kSidebarFillColor;
  o["profile_text_color"] = kTextColor;
  o["profile_use_background_image"] = true;
  o["protected"] = false;
  o["screen_name"] = user.screen_name;
  o["show_all_inline_media"] = false;
  o["statuses_count"] = 0;
  o["time_zone"] = "UTC";
  o["url"] = Nullable(user.url);
  o["utc_offset"] = 0;
  o["verified"] = false;
  return json::serialize(o);
}

}  // namespace portrait::api
