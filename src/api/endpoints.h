#pragma once
// The endpoints, one function each, called by ApiHandler once a row of the route table
// (routes.h) has matched and what the row asks (authentication, rate limit) has passed.
// Each returns the full response (errors included) and may throw portrait::Fault, which the
// handler maps to 500/131.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/api_context.h"
#include "api/api_error.h"
#include "api/authenticate.h"
#include "api/rate_limiter.h"
#include "api/user_json.h"
#include "common/url_encoding.h"
#include "http/message.h"

namespace portrait::api {

// A browser on a page row (Auth::kBrowser, kSignedIn), as the dispatcher found it (browser.h).
struct BrowserCall {
  std::optional<store::WebSession> session;  // the live session its cookie names
  std::optional<store::User> user;           // the session's person, read for this request
  std::string session_cookie;                // the session cookie as sent ("" if none)
  // The token this response's forms carry: the session's, or else the browser's pre-sign-in
  // token (its own cookie; made for this response when the browser had none).
  std::string form_token;
  bool form_token_is_new = false;
  Params form;                           // a POST's fields (urlencoded, or multipart text parts)
  std::vector<std::string> set_cookies;  // Set-Cookie values the response must carry
};

// Per-call state shared by the dispatcher and the endpoint.
struct Call {
  http::LogFields& log;
  std::optional<Principal> principal;    // set for rows with Auth::kUser / kUserWrite / kUserOrApp
  std::optional<RateLimitState> rate;    // the x-rate-limit-* headers to send
  std::optional<ConsumerCall> consumer;  // set for rows with Auth::kConsumer
  std::optional<BrowserCall> browser;    // set for page rows
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
// oauth2/invalidate_token (SPEC §8): Basic consumer credentials, access_token= a bearer token of
// that app; answers {"access_token":"..."}.
http::Response InvalidateBearerToken(ApiContext& context, const http::Request& request, Call& call);

// The OAuth 1.0a endpoints of the three-legged flow (SPEC §8), answering
// application/x-www-form-urlencoded on success and the error envelope otherwise.
// oauth/request_token: oauth_callback (a URL or "oob"), x_auth_access_type.
http::Response RequestToken(ApiContext& context, const http::Request& request, Call& call);
// oauth/access_token: a request token and its oauth_verifier, or xAuth; anything else 401.
http::Response AccessToken(ApiContext& context, const http::Request& request, Call& call);
// 1.1/oauth/invalidate_token: revokes the access token that signed the request.
http::Response InvalidateAccessToken(ApiContext& context, const http::Request& request, Call& call);

// The web pages (SPEC §8), each a page row.
// GET oauth/authorize and oauth/authenticate (which skips the question when the person already
// authorized the app); POST oauth/authorize: Authorize or Cancel, signing in on the way.
http::Response AuthorizePage(ApiContext& context, const http::Request& request, Call& call);
http::Response AuthenticatePage(ApiContext& context, const http::Request& request, Call& call);
http::Response AuthorizeDecision(ApiContext& context, const http::Request& request, Call& call);
// GET and POST /login, /logout, /signup; GET / sends the browser where it belongs.
http::Response SignInForm(ApiContext& context, const http::Request& request, Call& call);
http::Response SignIn(ApiContext& context, const http::Request& request, Call& call);
http::Response SignOutForm(ApiContext& context, const http::Request& request, Call& call);
http::Response SignOut(ApiContext& context, const http::Request& request, Call& call);
http::Response SignUpForm(ApiContext& context, const http::Request& request, Call& call);
http::Response SignUp(ApiContext& context, const http::Request& request, Call& call);
http::Response Home(ApiContext& context, const http::Request& request, Call& call);
// /settings/applications (and its revoke form) and /settings/profile (and its upload form).
http::Response ConnectedApps(ApiContext& context, const http::Request& request, Call& call);
http::Response RevokeApp(ApiContext& context, const http::Request& request, Call& call);
http::Response ProfileSettings(ApiContext& context, const http::Request& request, Call& call);
http::Response UploadFromProfile(ApiContext& context, const http::Request& request, Call& call);
// GET /static/portrait.css.
http::Response ServeStylesheet(ApiContext& context, const http::Request& request, Call& call);
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
