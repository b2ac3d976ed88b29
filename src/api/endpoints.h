#pragma once
// The API endpoints, one function each, called by ApiHandler once the route is known.
// Each returns the full response (errors included) and may throw portrait::Fault, which the
// handler maps to 500/131.
#include <optional>
#include <string_view>

#include "api/api_context.h"
#include "api/api_error.h"
#include "api/rate_limiter.h"
#include "api/user_json.h"
#include "common/url_encoding.h"
#include "http/message.h"

namespace portrait::api {

// Per-call state an endpoint reports back to the dispatcher.
struct Call {
  http::LogFields& log;
  std::optional<RateLimitState> rate;  // the x-rate-limit-* headers to send
};

http::Response UsersShow(ApiContext& context, const http::Request& request, Call& call);
http::Response VerifyCredentials(ApiContext& context, const http::Request& request, Call& call);
http::Response UpdateProfileImage(ApiContext& context, const http::Request& request, Call& call);
http::Response IssueBearerToken(ApiContext& context, const http::Request& request, Call& call);
// GET/HEAD /profile_images/{image_id}/{file} and /sticky/default_profile_images/{file}.
// With kMemoryOnly, a profile image is answered only when its bytes are in memory (the blob
// store's serving cache), and nothing otherwise: for a caller that must not wait on storage.
enum class ImageSource { kAny, kMemoryOnly };
std::optional<http::Response> ServeProfileImage(ApiContext& context, const http::Request& request,
                                                ImageSource source);
http::Response ServeDefaultImage(const http::Request& request);

// Shared by the endpoints.
Params RequestParams(const http::Request& request);       // query, then a urlencoded body
bool IsFalseFlag(std::optional<std::string_view> value);  // "false", "f", "0"
bool IsTrueFlag(std::optional<std::string_view> value);   // "true", "t", "1"
ImageBase ImageBaseFor(const ApiContext& context, const http::Request& request);
// Counts the call against the principal's window for this endpoint (or only reports a fresh
// window when limits are off); false when over the limit.
bool TakeRateLimit(ApiContext& context, Call& call, std::string_view rate_key,
                   std::string_view endpoint, int64_t limit);

}  // namespace portrait::api
