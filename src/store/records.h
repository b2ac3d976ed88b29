#pragma once
// The records the metadata store keeps. Plain values; times are Unix epoch seconds.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace portrait::store {

// A processed profile image: served at /profile_images/{image_id}/{key}{_variant}.{extension}.
// What an upload job makes: a profile image (SPEC §2) or a profile banner (SPEC §9).
enum class MediaKind { kProfileImage, kBanner };

// The part of a banner upload its banner is cut from, in upright pixels (SPEC §9).
struct BannerRegion {
  int width = 0;
  int height = 0;
  int offset_left = 0;
  int offset_top = 0;
};

struct ProfileImage {
  int64_t image_id = 0;
  std::string key;        // random, unguessable, [a-z0-9]
  std::string extension;  // "jpeg", "png" or "gif"
};

struct User {
  int64_t id = 0;
  std::string screen_name;
  std::string name;
  std::optional<std::string> location;
  std::optional<std::string> description;
  std::optional<std::string> url;
  std::optional<std::string> email;
  int64_t created_at = 0;
  std::optional<ProfileImage> image;              // empty: the default ("egg") image
  std::optional<std::string> profile_link_color;  // "1DA1F2"; empty: Twitter's default
  std::optional<int64_t> banner_id;               // the job that made the banner; empty: none
};

struct NewUser {
  std::string screen_name;
  std::string name;
  std::optional<std::string> location;
  std::optional<std::string> description;
  std::optional<std::string> url;
  std::optional<std::string> email;
};

// Each field that holds a value replaces the stored one; an empty string clears a nullable field.
struct ProfileUpdate {
  std::optional<std::string> name;
  std::optional<std::string> location;
  std::optional<std::string> description;
  std::optional<std::string> url;
  std::optional<std::string> email;
  std::optional<std::string> profile_link_color;  // six upper-case hex digits (CheckProfileUpdate)
};

// What an access token lets an app do, as Twitter's app permissions: read, or read and write.
enum class AccessLevel { kRead, kReadWrite };

struct App {
  int64_t id = 0;
  std::string name;
  std::string consumer_key;
  std::string consumer_secret;
  bool revoked = false;
  int64_t created_at = 0;
  // Shown on the authorize page.
  std::string description;
  std::string website;
  // Where the three-legged flow may send a person back; empty: any http(s) URL (signin/
  // callback_url.h has the matching rule). Never contain a newline.
  std::vector<std::string> callback_urls;
  // Whether the app may trade a screen name and password for a token (xAuth).
  bool allow_xauth = false;
  // The most an app's tokens may do; a request token may ask for less.
  AccessLevel access_level = AccessLevel::kReadWrite;
};

// A new app's settings; the store generates its consumer key and secret.
struct NewApp {
  std::string name;
  std::string description;
  std::string website;
  std::vector<std::string> callback_urls;
  bool allow_xauth = false;
  AccessLevel access_level = AccessLevel::kReadWrite;
};

// Each field that holds a value replaces the stored one.
struct AppUpdate {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> website;
  std::optional<std::vector<std::string>> callback_urls;
  std::optional<bool> allow_xauth;
  std::optional<AccessLevel> access_level;
};

// An OAuth 1.0a access token; token looks like "{user_id}-{random}".
struct AccessToken {
  std::string token;
  std::string secret;
  int64_t user_id = 0;
  int64_t app_id = 0;
  bool revoked = false;
  int64_t created_at = 0;
  AccessLevel access_level = AccessLevel::kReadWrite;
};

// An app found by its consumer key and the access token looked up with it, in one read; the
// token may belong to another app (the caller compares app ids).
struct AppAndAccessToken {
  App app;
  std::optional<AccessToken> token;  // nothing when no token has that value
};

// An app-only OAuth 2 bearer token.
struct BearerToken {
  std::string token;
  int64_t app_id = 0;
  bool revoked = false;
  int64_t created_at = 0;
};

enum class JobState { kQueued, kProcessing, kDone, kFailed };

// One accepted upload awaiting (or past) processing. The upload's bytes live in the blob store
// under upload_blob_key until the job is done.
struct UploadJob {
  int64_t id = 0;  // increases with acceptance order: the basis of "last upload wins"
  int64_t user_id = 0;
  std::string upload_blob_key;
  std::string format;  // "jpeg", "png" or "gif", as validated at intake
  int64_t upload_bytes = 0;
  JobState state = JobState::kQueued;
  int attempts = 0;  // claims, transient ones included
  // Claims that ended in a transient fault (see MetadataStore::PostponeJob); attempts minus
  // transient_failures is what counts against the job's attempt budget.
  int transient_failures = 0;
  std::string last_error;  // reason of the last failed attempt
  int64_t created_at = 0;
  int64_t updated_at = 0;              // for kFailed: when it failed
  int64_t due_at = 0;                  // while kQueued: not claimed before then
  int64_t lease_until = 0;             // while kProcessing: the claim expires then
  std::string worker;                  // who holds or last held the lease
  std::optional<ProfileImage> result;  // set when kDone
  bool upload_removed = false;         // kFailed: the janitor deleted its upload blob
  MediaKind kind = MediaKind::kProfileImage;
  std::optional<BannerRegion> banner_region{};  // banners only; empty: the whole image
};

struct NewUploadJob {
  int64_t user_id = 0;
  std::string upload_blob_key;
  std::string format;
  int64_t upload_bytes = 0;
  MediaKind kind = MediaKind::kProfileImage;
  std::optional<BannerRegion> banner_region{};  // banners only; empty: the whole image
};

// A replaced image or banner whose files may be deleted once delete_after has passed. For a
// banner, image.image_id is the banner id and user_id its user's (its files' place).
struct RetiredImage {
  ProfileImage image;
  int64_t delete_after = 0;
  MediaKind kind = MediaKind::kProfileImage;
  int64_t user_id = 0;
};

// A rate-limit window after counting a request in it: [start, end) and the requests counted,
// the one just made included (refused ones too).
struct RateWindow {
  int64_t start = 0;
  int64_t end = 0;
  int64_t count = 0;
};

}  // namespace portrait::store
