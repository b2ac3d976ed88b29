// A signed-in person's settings pages (SPEC §8): the apps she authorized, and her profile image
// with an upload form that goes through update_profile_image's own path (profile_upload.h).
#include <charconv>
#include <ctime>

#include "api/browser.h"
#include "api/endpoints.h"
#include "api/profile_upload.h"
#include "common/time_format.h"
#include "image/variant_catalogue.h"
#include "web/pages.h"

namespace portrait::api {
namespace {

constexpr std::string_view kAppsPath = "/settings/applications";
constexpr std::string_view kProfilePath = "/settings/profile";
constexpr std::string_view kProcessing =
    "Your new image is being processed. This page reloads until it is live.";

// "2 March 2025"
std::string DayOf(int64_t epoch_seconds) {
  const std::time_t time = static_cast<std::time_t>(epoch_seconds);
  std::tm utc{};
  gmtime_r(&time, &utc);
  char text[32];
  const size_t length = std::strftime(text, sizeof text, "%e %B %Y", &utc);
  std::string_view day(text, length);
  while (day.starts_with(' ')) day.remove_prefix(1);
  return std::string(day);
}

std::optional<int64_t> ParseId(std::optional<std::string_view> text) {
  if (!text || text->empty()) return std::nullopt;
  int64_t id = 0;
  auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), id);
  if (error != std::errc() || end != text->data() + text->size() || id <= 0) return std::nullopt;
  return id;
}

struct ProfileState {
  std::string notice;
  std::string error;
  bool processing = false;
};

// What ?job=ID says about an upload of this person's: processing, live, or failed.
ProfileState StateOfUpload(ApiContext& context, int64_t user_id, std::optional<int64_t> job_id) {
  ProfileState state;
  if (!job_id) return state;
  std::optional<store::UploadJob> job = context.store.FindJob(*job_id);
  if (!job || job->user_id != user_id) return state;
  switch (job->state) {
    case store::JobState::kQueued:
    case store::JobState::kProcessing:
      state.notice = std::string(kProcessing);
      state.processing = true;
      break;
    case store::JobState::kDone:
      state.notice = "Your new image is live.";
      break;
    case store::JobState::kFailed:
      state.error = "Your image could not be processed. Try another one.";
      break;
  }
  return state;
}

http::Response Profile(ApiContext& context, const http::Request& request,
                       const BrowserCall& browser, const ProfileState& state, int status) {
  const store::User& user = *browser.user;
  const ImageBase bases = ImageBaseFor(context, request);
  const std::string& base = request.scheme == "https" ? bases.https : bases.http;
  web::ProfileView view;
  view.screen_name = user.screen_name;
  view.name = user.name;
  view.notice = state.notice;
  view.error = state.error;
  view.csrf_token = browser.form_token;
  for (const image::VariantSpec& variant : image::kProfileImageVariants) {
    int width = variant.width;
    int height = variant.height;
    if (!user.image && variant.shape == image::VariantShape::kFitWidth) {
      width = height = image::kDefaultOriginalSize;
    }
    view.variants.push_back(
        {std::string(variant.name), ProfileImageUrl(user, base, variant.suffix), width, height});
  }
  web::Frame frame = FrameFor(browser, "Your profile");
  frame.refresh = state.processing;
  return PageResponse(web::ProfilePage(frame, view), status);
}

}  // namespace

http::Response ConnectedApps(ApiContext& context, const http::Request& request, Call& call) {
  const BrowserCall& browser = *call.browser;
  std::vector<web::ConnectedAppView> apps;
  for (const store::ConnectedApp& connected : context.flow.ConnectedApps(browser.user->id)) {
    apps.push_back({connected.app.id,
                    {connected.app.name, connected.app.description, connected.app.website,
                     connected.access_level == store::AccessLevel::kReadWrite},
                    DayOf(connected.first_authorized_at)});
  }
  const Params query = ParseUrlEncoded(request.query());
  const std::string_view notice = FindParam(query, "revoked") ? "Access revoked." : "";
  return PageResponse(web::ConnectedAppsPage(FrameFor(browser, "Connected apps"), apps, notice));
}

http::Response RevokeApp(ApiContext& context, const http::Request& request, Call& call) {
  const BrowserCall& browser = *call.browser;
  std::optional<int64_t> app_id = ParseId(FindParam(browser.form, "app_id"));
  if (!app_id) {
    return ErrorPageResponse(&browser, 400, "No such app", "That app is not one you authorized.");
  }
  context.flow.Disconnect(browser.user->id, *app_id);
  return RedirectResponse(std::string(kAppsPath) + "?revoked=1");
}

http::Response ProfileSettings(ApiContext& context, const http::Request& request, Call& call) {
  const Params query = ParseUrlEncoded(request.query());
  const ProfileState state =
      StateOfUpload(context, call.browser->user->id, ParseId(FindParam(query, "job")));
  return Profile(context, request, *call.browser, state, 200);
}

http::Response UploadFromProfile(ApiContext& context, const http::Request& request, Call& call) {
  auto accepted = AcceptProfileImage(context, request, call.browser->user->id);
  if (!accepted.ok()) {
    // The API's own words for the refusal, on the page, with the API's status.
    ProfileState state;
    state.error = std::string(accepted.error().message);
    return Profile(context, request, *call.browser, state, accepted.error().http_status);
  }
  call.log.user_id = accepted->user.id;
  return RedirectResponse(std::string(kProfilePath) + "?job=" + std::to_string(accepted->job.id));
}

}  // namespace portrait::api
