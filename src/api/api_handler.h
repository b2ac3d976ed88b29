#pragma once
// ApiHandler: routes each request to its endpoint and applies what every response shares:
// the JSON content type for API responses, x-rate-limit-* headers, the mapping of faults to
// 500/131 (the one place where exceptions become Twitter errors), and 404/34 for anything else.
#include <chrono>
#include <optional>

#include "api/api_context.h"
#include "api/api_error.h"
#include "http/server.h"

namespace portrait::api {

class ApiHandler final : public http::RequestHandler {
 public:
  explicit ApiHandler(ApiContext& context) : context_(context) {}

  http::Response Handle(http::Request& request, http::LogFields& log) override;
  // Inline (on the I/O thread): an image in the served-image cache, a default image, /healthz,
  // and users/show with a bearer token when the metadata store reads locally (SQLite) and rate
  // limits are counted in memory. Everything else goes to Handle.
  std::optional<http::Response> HandleInline(http::Request& request, http::LogFields& log) override;
  http::Response TooLarge() override;

 private:
  std::optional<http::Response> RouteInline(http::Request& request, http::LogFields& log);
  void Count(const http::Request& request, const http::Response& response,
             std::chrono::steady_clock::time_point started);
  http::Response RouteCatchingFaults(http::Request& request, http::LogFields& log);
  http::Response Route(http::Request& request, http::LogFields& log);

  ApiContext& context_;
};

}  // namespace portrait::api
