#include "store/column_codecs.h"

#include <charconv>

#include "common/result.h"

namespace portrait::store {

std::string_view AccessLevelName(AccessLevel level) {
  return level == AccessLevel::kRead ? "read" : "read-write";
}

AccessLevel ParseAccessLevel(std::string_view name) {
  if (name == "read") return AccessLevel::kRead;
  if (name == "read-write") return AccessLevel::kReadWrite;
  throw Fault("unknown access level in database: " + std::string(name));
}

std::string_view RequestTokenStateName(RequestTokenState state) {
  switch (state) {
    case RequestTokenState::kPending:
      return "pending";
    case RequestTokenState::kAuthorized:
      return "authorized";
    case RequestTokenState::kDenied:
      return "denied";
    case RequestTokenState::kUsed:
      return "used";
  }
  throw Fault("unknown request token state");
}

RequestTokenState ParseRequestTokenState(std::string_view name) {
  for (RequestTokenState state : {RequestTokenState::kPending, RequestTokenState::kAuthorized,
                                  RequestTokenState::kDenied, RequestTokenState::kUsed}) {
    if (RequestTokenStateName(state) == name) return state;
  }
  throw Fault("unknown request token state in database: " + std::string(name));
}

std::string JoinCallbackUrls(const std::vector<std::string>& urls) {
  std::string column;
  for (const std::string& url : urls) {
    if (url.empty() || url.find_first_of("\r\n") != std::string::npos) {
      throw Fault("a callback URL is empty or holds a line break");
    }
    if (!column.empty()) column += '\n';
    column += url;
  }
  return column;
}

std::vector<std::string> SplitCallbackUrls(std::string_view column) {
  std::vector<std::string> urls;
  while (!column.empty()) {
    const size_t end = column.find('\n');
    urls.emplace_back(column.substr(0, end));
    if (end == std::string_view::npos) break;
    column.remove_prefix(end + 1);
  }
  return urls;
}

std::string_view MediaKindName(MediaKind kind) {
  return kind == MediaKind::kBanner ? "banner" : "profile_image";
}

MediaKind ParseMediaKind(std::string_view name) {
  if (name == "profile_image") return MediaKind::kProfileImage;
  if (name == "banner") return MediaKind::kBanner;
  throw Fault("unknown media kind in the store: " + std::string(name));
}

std::optional<std::string> EncodeBannerRegion(const std::optional<BannerRegion>& region) {
  if (!region) return std::nullopt;
  return std::to_string(region->width) + "," + std::to_string(region->height) + "," +
         std::to_string(region->offset_left) + "," + std::to_string(region->offset_top);
}

std::optional<BannerRegion> DecodeBannerRegion(const std::optional<std::string>& column) {
  if (!column) return std::nullopt;
  int values[4] = {};
  std::string_view rest = *column;
  for (int i = 0; i < 4; ++i) {
    const size_t comma = rest.find(',');
    const std::string_view part = rest.substr(0, comma);
    auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), values[i]);
    if (error != std::errc() || end != part.data() + part.size() ||
        (i < 3) == (comma == std::string_view::npos)) {
      throw Fault("malformed banner region in the store: " + *column);
    }
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  return BannerRegion{values[0], values[1], values[2], values[3]};
}

}  // namespace portrait::store
