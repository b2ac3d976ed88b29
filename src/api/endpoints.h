#pragma once
// The endpoints, one function each, called by ApiHandler once a row of the route table
// (routes.h) has matched and what the row asks (authentication, rate limit) has passed.
// Each returns the full response (errors included) and may throw portrait::Fault, which the
// handler maps to 500/131.
#include <optional>
#include <string_view>

#include "api/api_context.h"
#include "api/api_error.h"
#include "api/authenticate.h"
#include "api/rate_limiter.h"
#include "api/user_json.h"
#include "common/url_encoding.h"
#include "http/message.h"

namespace portrait::api {

// Per-call state shared by the dispatcher and the endpoint.
struct Call {
  http::LogFields& log;
  std::optional<Principal> principal;  // set for rows with Auth::kUser / kUserOrApp
  std::optional<RateLimitState> rate;  // the x-rate-limit-* headers to send
};

http::Response UsersShow(ApiContext& context, const http::Request& request, Call& call);
// users/lookup (SPEC §9): up to 100 user_id and screen_name terms, comma-separated.
http::Response UsersLookup(ApiContext& context, const http::Request& request, Call& call);
// application/rate_limit_status (SPEC §9): the caller's window of every rate-limited endpoint,
// grouped by family; resources=users,account filters the families.
http::Response RateLimitStatus(ApiContext& context, const http::Request& request, Call& call);
http::Response VerifyCredentials(ApiContext& context, const http::Request& request, Call& call);
// account/update_profile (SPEC §9): name, url, location, description, profile_link_color.
http::Response UpdateProfile(ApiContext& context, const http::Request& request, Call& call);
http::Response UpdateProfileImage(ApiContext& context, const http::Request& request, Call& call);
http::Response IssueBearerToken(ApiContext& context, const http::Request& request, Call& call);
// GET/HEAD /profile_images/{image_id}/{file}: from the blob store (its serving cache first).
http::Response ServeProfileImage(ApiContext& context, const http::Request& request, Call& call);
// The same answer when the image's bytes are in the blob store's serving cache; nothing
// otherwise (for a caller that must not wait on storage).
std::optional<http::Response> ServeProfileImageFromMemory(ApiContext& context,
                                                          const http::Request& request);
// GET/HEAD /sticky/default_profile_images/{file}.
http::Response ServeDefaultImage(ApiContext& context, const http::Request& request, Call& call);
// /healthz (alive), /readyz (store answers, blob store writable, queue below its bound; 503
// with the reasons otherwise) and /metrics (Prometheus text).
http::Response Healthz(ApiContext& context, const http::Request& request, Call& call);
http::Response Readiness(ApiContext& context, const http::Request& request, Call& call);
http::Response MetricsText(ApiContext& context, const http::Request& request, Call& call);

// account/update_profile_banner, account/remove_profile_banner, users/profile_banner (SPEC §9).
http::Response UpdateProfileBanner(ApiContext& context, const http::Request& request, Call& call);
http::Response RemoveProfileBanner(ApiContext& context, const http::Request& request, Call& call);
http::Response ProfileBanner(ApiContext& context, const http::Request& request, Call& call);
// GET/HEAD /profile_banners/{user_id}/{banner_id}/{size}, as ServeProfileImage.
http::Response ServeProfileBanner(ApiContext& context, const http::Request& request, Call& call);
std::optional<http::Response> ServeProfileBannerFromMemory(ApiContext& context,
                                                           const http::Request& request);

// Shared by the endpoints.
// The user named by user_id or screen_name (a leading '@' allowed): 400/38 with neither, 404/50
// when there is no such user.
Result<store::User, ApiError> FindUserByParams(ApiContext& context, const Params& params);
Params RequestParams(const http::Request& request);       // query, then a urlencoded body
bool IsFalseFlag(std::optional<std::string_view> value);  // "false", "f", "0"
bool IsTrueFlag(std::optional<std::string_view> value);   // "true", "t", "1"
ImageBase ImageBaseFor(const ApiContext& context, const http::Request& request);

}  // namespace portrait::api
