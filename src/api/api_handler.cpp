#include "api/api_handler.h"

#include <chrono>

#include "api/authenticate.h"
#include "api/browser.h"
#include "api/endpoints.h"
#include "api/routes.h"
#include "common/time_format.h"
#include "http/access_log.h"

namespace portrait::api {
namespace {

// The label of requests that match no route.
constexpr std::string_view kUnknownEndpoint = "other";
// An answer that knows no window (no principal, or no rate-limited route) still carries the
// x-rate-limit-* headers clients read: those of a fresh users/show window.
constexpr std::string_view kFallbackRateRoute = "/1.1/users/show";

void AddRateLimitHeaders(http::Response& response, const RateLimitState& state) {
  response.set("x-rate-limit-limit", std::to_string(state.limit));
  response.set("x-rate-limit-remaining", std::to_string(state.remaining));
  response.set("x-rate-limit-reset", std::to_string(state.reset));
}

// Counts the call against the principal's window for this route (or only reports a fresh
// window when limits are off); false when over the limit.
bool TakeRateLimit(ApiContext& context, const Route& route, Call& call) {
  const int64_t now = NowSeconds();
  const int64_t limit = RateLimitFor(route, context.options.rate_limits, call.principal->app_only);
  if (!context.options.rate_limits.enabled) {
    call.rate = context.rate_limiter.Peek(limit, now);
    return true;
  }
  // Keyed by the resource, so the GET and POST rows of one endpoint share a window.
  std::string key = call.principal->rate_key + "|" + std::string(route.rate.resource);
  call.rate = context.rate_limiter.Take(key, limit, now);
  if (!call.rate->allowed) context.metrics.CountRateLimited(route.name);
  return call.rate->allowed;
}

// A page row: the browser's session, a POST's form and whether it is genuine, and for kSignedIn
// a signed-in person (browser.h).
std::optional<http::Response> CheckBrowser(ApiContext& context, const Route& route,
                                           const http::Request& request, Call& call) {
  call.browser = ResumeBrowser(context, request, NowSeconds());
  BrowserCall& browser = *call.browser;
  if (browser.user) call.log.user_id = browser.user->id;
  const bool reads = request.method == "GET" || request.method == "HEAD";
  if (!reads) {
    browser.form = FormFields(request);
    if (!FormIsGenuine(request, browser)) {
      return ErrorPageResponse(&browser, 403, "This form has expired",
                               "The form was not sent from this Portrait page in this browser, "
                               "or it is too old. Go back, reload the page and try again.");
    }
  }
  if (route.auth == Auth::kSignedIn && !browser.user) {
    if (reads) return RedirectResponse("/login?next=" + PercentEncode(request.target));
    return ErrorPageResponse(&browser, 403, "Sign in first",
                             "Your session has ended. Sign in again and try once more.");
  }
  return std::nullopt;
}

// What the row asks before its handler: authentication (a write-capable token, for
// kUserWrite), then the rate limit.
std::optional<http::Response> CheckAccess(ApiContext& context, const Route& route,
                                          const http::Request& request, Call& call) {
  switch (route.auth) {
    case Auth::kNone:
      return std::nullopt;
    case Auth::kBrowser:
    case Auth::kSignedIn:
      return CheckBrowser(context, route, request, call);
    case Auth::kConsumer: {
      auto consumer = AuthenticateConsumer(context, request);
      if (!consumer.ok()) return ErrorResponse(consumer.error());
      call.consumer = std::move(*consumer);
      return std::nullopt;
    }
    case Auth::kUser:
    case Auth::kUserWrite:
    case Auth::kUserOrApp:
      break;
  }
  auto principal = route.auth == Auth::kUserOrApp ? AuthenticateUserOrApp(context, request)
                                                  : AuthenticateUser(context, request);
  if (!principal.ok()) return ErrorResponse(principal.error());
  call.principal = std::move(*principal);
  if (!call.principal->app_only) call.log.user_id = call.principal->user_id;
  if (route.auth == Auth::kUserWrite &&
      call.principal->access_level != store::AccessLevel::kReadWrite) {
    return ErrorResponse(errors::kReadOnlyToken);
  }
  if (route.rate.user_limit > 0 && !TakeRateLimit(context, route, call)) {
    return ErrorResponse(errors::kRateLimited);
  }
  return std::nullopt;
}

bool ServesRoute(const ApiContext& context, const Route* route) {
  return route && (route->serves == Serves::kEveryNode || context.options.serve_api);
}

}  // namespace

http::Response ApiHandler::Handle(http::Request& request, http::LogFields& log) {
  const auto started = std::chrono::steady_clock::now();
  const Route* route = FindRoute(request.method, request.path());
  http::Response response = DispatchCatchingFaults(route, request, log);
  Count(route, request, response, started);
  return response;
}

std::optional<http::Response> ApiHandler::HandleInline(http::Request& request,
                                                       http::LogFields& log) {
  const auto started = std::chrono::steady_clock::now();
  const Route* route = FindRoute(request.method, request.path());
  if (!ServesRoute(context_, route)) return std::nullopt;
  std::optional<http::Response> response;
  switch (route->answered) {
    case Inline::kNever:
      return std::nullopt;
    case Inline::kAlways:
      response = DispatchCatchingFaults(route, request, log);
      break;
    case Inline::kFromMemory:
      response = route->from_memory(context_, request);
      if (response) response->head_only = request.method == "HEAD";
      break;
    case Inline::kBearerWhenLocal:
      if (!HasBearerToken(request) || !context_.store.ReadsAreLocal() ||
          context_.options.rate_limits.shared) {
        return std::nullopt;
      }
      response = DispatchCatchingFaults(route, request, log);
      break;
  }
  if (response) Count(route, request, *response, started);
  return response;
}

uint64_t ApiHandler::BodyLimit(std::string_view method, std::string_view target) {
  const Route* route = FindRoute(method, target.substr(0, target.find('?')));
  if (route && route->max_body_bytes > 0) return route->max_body_bytes;
  return context_.options.max_body_bytes;
}

void ApiHandler::Count(const Route* route, const http::Request& request,
                       const http::Response& response,
                       std::chrono::steady_clock::time_point started) {
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
  context_.metrics.CountRequest(route ? route->name : kUnknownEndpoint, response.status,
                                elapsed.count(), request.body.size(),
                                response.head_only ? 0 : response.body.size());
}

http::Response ApiHandler::DispatchCatchingFaults(const Route* route, http::Request& request,
                                                  http::LogFields& log) {
  const bool page = route && ServesRoute(context_, route) && IsPage(*route);
  http::Response response;
  try {
    return Dispatch(route, request, log);
  } catch (const TransientFault& fault) {
    // The storage is full, failing or unreachable for now (common/result.h): the same request
    // can succeed later, so it is answered as a full queue is (503/130), which clients retry.
    http::WriteServerLog("warn", "unavailable",
                         "request " + request.request_id + ": " + fault.what());
    if (!page) return ErrorResponse(errors::kOverCapacity);
    response = ErrorPageResponse(nullptr, errors::kOverCapacity.http_status, "Try again soon",
                                 "Portrait cannot take this right now. Try again in a minute.");
  } catch (const std::exception& fault) {
    // The message may hold anything (a path, a server's answer): quoted, so the line stays JSON.
    http::WriteFaultLog(request.request_id, std::string_view(fault.what()).substr(0, 200));
    if (!page) return ErrorResponse(errors::kInternal);
    response = ErrorPageResponse(nullptr, errors::kInternal.http_status, "Something went wrong",
                                 "Portrait met an internal error. Try again later.");
  }
  // Errors on pages are pages, with the page headers (and no half-made cookies).
  FinishPage(context_, request, nullptr, response);
  response.head_only = request.method == "HEAD";
  return response;
}

http::Response ApiHandler::TooLarge() { return ErrorResponse(errors::kEntityTooLarge); }

http::Response ApiHandler::Dispatch(const Route* route, http::Request& request,
                                    http::LogFields& log) {
  if (!ServesRoute(context_, route)) route = nullptr;
  Call call{log, std::nullopt, std::nullopt, std::nullopt, std::nullopt};
  http::Response response;
  if (!route) {
    response = ErrorResponse(errors::kPageNotFound);
  } else if (std::optional<http::Response> refused = CheckAccess(context_, *route, request, call)) {
    response = std::move(*refused);
  } else {
    response = route->handler(context_, request, call);
  }
  if (route && IsPage(*route)) {
    FinishPage(context_, request, call.browser ? &*call.browser : nullptr, response);
  }
  if (!route || route->api) {
    if (!call.rate) {
      const Route& rated =
          route && route->rate.user_limit > 0 ? *route : *FindRoute("GET", kFallbackRateRoute);
      const bool app_only = call.principal && call.principal->app_only;
      call.rate = context_.rate_limiter.Peek(
          RateLimitFor(rated, context_.options.rate_limits, app_only), NowSeconds());
    }
    AddRateLimitHeaders(response, *call.rate);
  }
  response.head_only = request.method == "HEAD";
  return response;
}

}  // namespace portrait::api
