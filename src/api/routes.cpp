#include "api/routes.h"

#include <algorithm>
#include <array>

namespace portrait::api {
namespace {

constexpr std::string_view kJsonSuffix = ".json";

// Twitter's v1.1 limits per 15-minute window (SPEC §6, §9).
constexpr RateLimit kNotLimited{};
constexpr RateLimit kUsersShowLimit{"users", "/users/show/:id", 900, 900, "rate-limit-users-show"};
constexpr RateLimit kUsersLookupLimit{"users", "/users/lookup", 900, 300,
                                      "rate-limit-users-lookup"};
constexpr RateLimit kRateLimitStatusLimit{"application", "/application/rate_limit_status", 180, 180,
                                          "rate-limit-rate-limit-status"};
// Writes Twitter published no window for get Portrait's own, so that rate_limit_status covers
// every endpoint a user calls (docs/DECISIONS.md).
constexpr RateLimit kUpdateProfileLimit{"account", "/account/update_profile", 60, 60,
                                        "rate-limit-update-profile"};
constexpr RateLimit kUpdateProfileBannerLimit{"account", "/account/update_profile_banner", 30, 30,
                                              "rate-limit-update-profile-banner"};
constexpr RateLimit kRemoveProfileBannerLimit{"account", "/account/remove_profile_banner", 30, 30,
                                              "rate-limit-remove-profile-banner"};
constexpr RateLimit kProfileBannerLimit{"users", "/users/profile_banner", 180, 180,
                                        "rate-limit-profile-banner"};
// A 5 MB banner as base64 in a form is about 6.7 MB, or 7 MB once percent-encoded.
constexpr uint64_t kBannerBodyBytes = 8 * 1024 * 1024;
constexpr RateLimit kVerifyCredentialsLimit{"account", "/account/verify_credentials", 75, 75,
                                            "rate-limit-verify-credentials"};
constexpr RateLimit kUpdateProfileImageLimit{"account", "/account/update_profile_image", 30, 30,
                                             "rate-limit-update-profile-image"};

constexpr std::array kRoutes = {
    Route{Method::kGet, "/1.1/users/show", PathMatch::kApi, "users/show", Auth::kUserOrApp,
          kUsersShowLimit, Inline::kBearerWhenLocal, UsersShow},
    Route{Method::kGet, "/1.1/users/lookup", PathMatch::kApi, "users/lookup", Auth::kUserOrApp,
          kUsersLookupLimit, Inline::kNever, UsersLookup},
    Route{Method::kPost, "/1.1/users/lookup", PathMatch::kApi, "users/lookup", Auth::kUserOrApp,
          kUsersLookupLimit, Inline::kNever, UsersLookup},
    Route{Method::kGet, "/1.1/account/verify_credentials", PathMatch::kApi,
          "account/verify_credentials", Auth::kUser, kVerifyCredentialsLimit, Inline::kNever,
          VerifyCredentials},
    Route{Method::kPost, "/1.1/account/update_profile", PathMatch::kApi, "account/update_profile",
          Auth::kUserWrite, kUpdateProfileLimit, Inline::kNever, UpdateProfile},
    Route{Method::kPost, "/1.1/account/update_profile_image", PathMatch::kApi,
          "account/update_profile_image", Auth::kUserWrite, kUpdateProfileImageLimit,
          Inline::kNever, UpdateProfileImage},
    Route{Method::kGet, "/1.1/application/rate_limit_status", PathMatch::kApi,
          "application/rate_limit_status", Auth::kUserOrApp, kRateLimitStatusLimit, Inline::kNever,
          RateLimitStatus},
    Route{Method::kPost, "/1.1/account/update_profile_banner", PathMatch::kApi,
          "account/update_profile_banner", Auth::kUserWrite, kUpdateProfileBannerLimit,
          Inline::kNever, UpdateProfileBanner, nullptr, kBannerBodyBytes},
    Route{Method::kPost, "/1.1/account/remove_profile_banner", PathMatch::kApi,
          "account/remove_profile_banner", Auth::kUserWrite, kRemoveProfileBannerLimit,
          Inline::kNever, RemoveProfileBanner},
    Route{Method::kGet, "/1.1/users/profile_banner", PathMatch::kApi, "users/profile_banner",
          Auth::kUserOrApp, kProfileBannerLimit, Inline::kNever, ProfileBanner},
    Route{Method::kPost, "/oauth2/token", PathMatch::kApi, "oauth2/token", Auth::kNone, kNotLimited,
          Inline::kNever, IssueBearerToken},
    Route{Method::kPost, "/oauth2/invalidate_token", PathMatch::kApi, "oauth2/invalidate_token",
          Auth::kNone, kNotLimited, Inline::kNever, InvalidateBearerToken},
    // Signing users in (SPEC §8): the OAuth endpoints, then the pages.
    Route{Method::kPost, "/oauth/request_token", PathMatch::kExact, "oauth/request_token",
          Auth::kConsumer, kNotLimited, Inline::kNever, RequestToken},
    Route{Method::kPost, "/oauth/access_token", PathMatch::kExact, "oauth/access_token",
          Auth::kConsumer, kNotLimited, Inline::kNever, AccessToken},
    Route{Method::kPost, "/1.1/oauth/invalidate_token", PathMatch::kApi, "oauth/invalidate_token",
          Auth::kUser, kNotLimited, Inline::kNever, InvalidateAccessToken},
    Route{Method::kGet, "/oauth/authorize", PathMatch::kExact, "oauth/authorize", Auth::kBrowser,
          kNotLimited, Inline::kNever, AuthorizePage, nullptr, 0, Serves::kApi, false},
    Route{Method::kPost, "/oauth/authorize", PathMatch::kExact, "oauth/authorize", Auth::kBrowser,
          kNotLimited, Inline::kNever, AuthorizeDecision, nullptr, 0, Serves::kApi, false},
    Route{Method::kGet, "/oauth/authenticate", PathMatch::kExact, "oauth/authenticate",
          Auth::kBrowser, kNotLimited, Inline::kNever, AuthenticatePage, nullptr, 0, Serves::kApi,
          false},
    Route{Method::kGet, "/", PathMatch::kExact, "home", Auth::kBrowser, kNotLimited, Inline::kNever,
          Home, nullptr, 0, Serves::kApi, false},
    Route{Method::kGet, "/login", PathMatch::kExact, "login", Auth::kBrowser, kNotLimited,
          Inline::kNever, SignInForm, nullptr, 0, Serves::kApi, false},
    Route{Method::kPost, "/login", PathMatch::kExact, "login", Auth::kBrowser, kNotLimited,
          Inline::kNever, SignIn, nullptr, 0, Serves::kApi, false},
    Route{Method::kGet, "/logout", PathMatch::kExact, "logout", Auth::kBrowser, kNotLimited,
          Inline::kNever, SignOutForm, nullptr, 0, Serves::kApi, false},
    Route{Method::kPost, "/logout", PathMatch::kExact, "logout", Auth::kBrowser, kNotLimited,
          Inline::kNever, SignOut, nullptr, 0, Serves::kApi, false},
    Route{Method::kGet, "/signup", PathMatch::kExact, "signup", Auth::kBrowser, kNotLimited,
          Inline::kNever, SignUpForm, nullptr, 0, Serves::kApi, false},
    Route{Method::kPost, "/signup", PathMatch::kExact, "signup", Auth::kBrowser, kNotLimited,
          Inline::kNever, SignUp, nullptr, 0, Serves::kApi, false},
    Route{Method::kGet, "/settings/applications", PathMatch::kExact, "settings/applications",
          Auth::kSignedIn, kNotLimited, Inline::kNever, ConnectedApps, nullptr, 0, Serves::kApi,
          false},
    Route{Method::kPost, "/settings/applications/revoke", PathMatch::kExact,
          "settings/applications/revoke", Auth::kSignedIn, kNotLimited, Inline::kNever, RevokeApp,
          nullptr, 0, Serves::kApi, false},
    Route{Method::kGet, "/settings/profile", PathMatch::kExact, "settings/profile", Auth::kSignedIn,
          kNotLimited, Inline::kNever, ProfileSettings, nullptr, 0, Serves::kApi, false},
    Route{Method::kPost, "/settings/profile", PathMatch::kExact, "settings/profile",
          Auth::kSignedIn, kNotLimited, Inline::kNever, UploadFromProfile, nullptr, 0, Serves::kApi,
          false},
    Route{Method::kGet, "/static/portrait.css", PathMatch::kExact, "static", Auth::kNone,
          kNotLimited, Inline::kAlways, ServeStylesheet, nullptr, 0, Serves::kApi, false},
    Route{Method::kGet, "/profile_images/", PathMatch::kPrefix, "profile_images", Auth::kNone,
          kNotLimited, Inline::kFromMemory, ServeProfileImage, ServeProfileImageFromMemory, 0,
          Serves::kApi, false},
    Route{Method::kGet, "/profile_banners/", PathMatch::kPrefix, "profile_banners", Auth::kNone,
          kNotLimited, Inline::kFromMemory, ServeProfileBanner, ServeProfileBannerFromMemory, 0,
          Serves::kApi, false},
    Route{Method::kGet, "/sticky/default_profile_images/", PathMatch::kPrefix,
          "default_profile_images", Auth::kNone, kNotLimited, Inline::kAlways, ServeDefaultImage,
          nullptr, 0, Serves::kEveryNode, false},
    Route{Method::kGet, "/healthz", PathMatch::kExact, "healthz", Auth::kNone, kNotLimited,
          Inline::kAlways, Healthz, nullptr, 0, Serves::kEveryNode, false},
    Route{Method::kGet, "/readyz", PathMatch::kExact, "readyz", Auth::kNone, kNotLimited,
          Inline::kNever, Readiness, nullptr, 0, Serves::kEveryNode, false},
    Route{Method::kGet, "/metrics", PathMatch::kExact, "metrics", Auth::kNone, kNotLimited,
          Inline::kNever, MetricsText, nullptr, 0, Serves::kEveryNode, false},
};

bool MethodMatches(Method method, std::string_view request_method) {
  switch (method) {
    case Method::kGet:
      return request_method == "GET" || request_method == "HEAD";
    case Method::kPost:
      return request_method == "POST";
  }
  return false;
}

bool PathMatches(const Route& route, std::string_view path) {
  switch (route.match) {
    case PathMatch::kExact:
      return path == route.path;
    case PathMatch::kApi:
      if (path.size() > kJsonSuffix.size() && path.ends_with(kJsonSuffix)) {
        path.remove_suffix(kJsonSuffix.size());
      }
      return path == route.path;
    case PathMatch::kPrefix:
      return path.starts_with(route.path);
  }
  return false;
}

}  // namespace

std::span<const Route> RouteTable() { return kRoutes; }

bool IsPage(const Route& route) {
  return route.auth == Auth::kBrowser || route.auth == Auth::kSignedIn;
}

const Route* FindRoute(std::string_view method, std::string_view path) {
  for (const Route& route : kRoutes) {
    if (MethodMatches(route.method, method) && PathMatches(route, path)) return &route;
  }
  return nullptr;
}

int64_t RateLimitFor(const Route& route, const RateLimitOptions& options, bool app_only) {
  if (app_only) {
    const std::string app_setting = std::string(route.rate.setting) + "-app";
    if (auto it = options.limits.find(app_setting); it != options.limits.end()) return it->second;
  }
  if (auto it = options.limits.find(route.rate.setting); it != options.limits.end()) {
    return it->second;
  }
  return app_only ? route.rate.app_limit : route.rate.user_limit;
}

uint64_t LargestBodyBytes(uint64_t default_max_body_bytes) {
  uint64_t largest = default_max_body_bytes;
  for (const Route& route : kRoutes) largest = std::max(largest, route.max_body_bytes);
  return largest;
}

}  // namespace portrait::api
