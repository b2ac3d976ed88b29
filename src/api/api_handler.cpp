#include "api/api_handler.h"

#include <chrono>
#include <cstdio>

#include "api/authenticate.h"
#include "api/endpoints.h"
#include "common/time_format.h"
#include "http/access_log.h"

namespace portrait::api {
namespace {

constexpr std::string_view kJsonSuffix = ".json";

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// "/1.1/users/show.json" and "/1.1/users/show" name the same endpoint.
std::string_view WithoutJsonSuffix(std::string_view path) {
  if (path.size() > kJsonSuffix.size() && path.ends_with(kJsonSuffix)) {
    path.remove_suffix(kJsonSuffix.size());
  }
  return path;
}

int64_t LimitFor(const RateLimitOptions& limits, std::string_view path) {
  if (path == "/1.1/account/verify_credentials") return limits.verify_credentials;
  if (path == "/1.1/account/update_profile_image") return limits.update_profile_image;
  return limits.users_show;
}

void AddRateLimitHeaders(http::Response& response, const RateLimitState& state) {
  response.set("x-rate-limit-limit", std::to_string(state.limit));
  response.set("x-rate-limit-remaining", std::to_string(state.remaining));
  response.set("x-rate-limit-reset", std::to_string(state.reset));
}

// The metrics label of a path: the endpoint name for API paths, a family name for files.
std::string_view EndpointLabel(std::string_view path) {
  if (StartsWith(path, "/profile_images/")) return "profile_images";
  if (StartsWith(path, "/sticky/")) return "default_profile_images";
  path = WithoutJsonSuffix(path);
  for (std::string_view known :
       {"/1.1/users/show", "/1.1/account/verify_credentials", "/1.1/account/update_profile_image",
        "/oauth2/token", "/healthz", "/readyz", "/metrics"}) {
    if (path == known) return known.substr(known.find_first_not_of("/1."));
  }
  return "other";
}

// Ready when the metadata store answers, the blob store is writable and the upload queue is
// below its bound; 503 with the reasons otherwise, so a load balancer can route around.
http::Response Readiness(ApiContext& context) {
  std::string problems;
  try {
    if (context.store.CountPendingJobs() >= context.options.max_pending_jobs) {
      problems += "\"upload queue full\",";
    }
  } catch (const std::exception&) {
    problems += "\"metadata store unreachable\",";
  }
  if (!context.blobs.Healthy()) problems += "\"blob store unavailable\",";
  if (problems.empty()) return JsonResponse("{\"status\":\"ready\"}");
  problems.pop_back();
  return JsonResponse("{\"status\":\"unavailable\",\"problems\":[" + problems + "]}", 503);
}

}  // namespace

http::Response ApiHandler::Handle(http::Request& request, http::LogFields& log) {
  const auto started = std::chrono::steady_clock::now();
  http::Response response = RouteCatchingFaults(request, log);
  Count(request, response, started);
  return response;
}

std::optional<http::Response> ApiHandler::HandleInline(http::Request& request,
                                                       http::LogFields& log) {
  const auto started = std::chrono::steady_clock::now();
  std::optional<http::Response> response = RouteInline(request, log);
  if (response) Count(request, *response, started);
  return response;
}

void ApiHandler::Count(const http::Request& request, const http::Response& response,
                       std::chrono::steady_clock::time_point started) {
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
  context_.metrics.CountRequest(EndpointLabel(request.path()), response.status, elapsed.count(),
                                request.body.size(), response.head_only ? 0 : response.body.size());
}

std::optional<http::Response> ApiHandler::RouteInline(http::Request& request,
                                                      http::LogFields& log) {
  if (request.method != "GET" && request.method != "HEAD") return std::nullopt;
  const std::string_view path = request.path();
  if (StartsWith(path, "/profile_images/")) {
    if (!context_.options.serve_api) return std::nullopt;
    return ServeProfileImage(context_, request, ImageSource::kMemoryOnly);
  }
  if (StartsWith(path, "/sticky/default_profile_images/") || path == "/healthz") {
    return Route(request, log);
  }
  if (WithoutJsonSuffix(path) == "/1.1/users/show" && context_.options.serve_api &&
      HasBearerToken(request) && context_.store.ReadsAreLocal() &&
      !context_.options.rate_limits.shared) {
    return RouteCatchingFaults(request, log);
  }
  return std::nullopt;
}

http::Response ApiHandler::RouteCatchingFaults(http::Request& request, http::LogFields& log) {
  try {
    return Route(request, log);
  } catch (const std::exception& fault) {
    // The message may hold anything (a path, a server's answer): quoted, so the line stays JSON.
    http::WriteFaultLog(request.request_id, std::string_view(fault.what()).substr(0, 200));
    return ErrorResponse(errors::kInternal);
  }
}

http::Response ApiHandler::TooLarge() { return ErrorResponse(errors::kEntityTooLarge); }

http::Response ApiHandler::Route(http::Request& request, http::LogFields& log) {
  const std::string_view raw_path = request.path();
  const std::string& method = request.method;
  const bool read = method == "GET" || method == "HEAD";

  if (StartsWith(raw_path, "/profile_images/") && read && context_.options.serve_api) {
    return *ServeProfileImage(context_, request, ImageSource::kAny);
  }
  if (StartsWith(raw_path, "/sticky/default_profile_images/") && read) {
    return ServeDefaultImage(request);
  }
  if (raw_path == "/healthz" && read) {
    return JsonResponse("{\"status\":\"ok\"}");
  }
  if (raw_path == "/readyz" && read) return Readiness(context_);
  if (raw_path == "/metrics" && read) {
    http::Response metrics;
    metrics.set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    metrics.body = context_.metrics.Render(context_.store, NowSeconds());
    return metrics;
  }

  if (!context_.options.serve_api) return ErrorResponse(errors::kPageNotFound);

  const std::string_view path = WithoutJsonSuffix(raw_path);
  Call call{log, std::nullopt};
  http::Response response;
  if (path == "/1.1/users/show" && read) {
    response = UsersShow(context_, request, call);
  } else if (path == "/1.1/account/verify_credentials" && read) {
    response = VerifyCredentials(context_, request, call);
  } else if (path == "/1.1/account/update_profile_image" && method == "POST") {
    response = UpdateProfileImage(context_, request, call);
  } else if (path == "/oauth2/token" && method == "POST") {
    response = IssueBearerToken(context_, request, call);
  } else {
    response = ErrorResponse(errors::kPageNotFound);
  }
  if (!call.rate)
    call.rate =
        context_.rate_limiter.Peek(LimitFor(context_.options.rate_limits, path), NowSeconds());
  AddRateLimitHeaders(response, *call.rate);
  response.head_only = method == "HEAD";
  return response;
}

}  // namespace portrait::api
