#pragma once
// ApiHandler: finds each request's row in the route table (routes.h), applies what the row asks
// (authentication, rate limit, where it may be answered) and what every response shares:
// x-rate-limit-* headers on API responses, the mapping of faults to 500/131 (the one place where
// exceptions become Twitter errors), and 404/34 for anything no row serves.
#include <chrono>
#include <optional>

#include "api/api_context.h"
#include "api/api_error.h"
#include "http/server.h"

namespace portrait::api {

struct Route;

class ApiHandler final : public http::RequestHandler {
 public:
  explicit ApiHandler(ApiContext& context) : context_(context) {}

  http::Response Handle(http::Request& request, http::LogFields& log) override;
  // Inline (on the I/O thread): what the row's Inline policy allows (an image in the
  // served-image cache, a default image, /healthz, users/show with a bearer token on a local
  // store). Everything else goes to Handle.
  std::optional<http::Response> HandleInline(http::Request& request, http::LogFields& log) override;
  // The row's body limit, else ApiOptions::max_body_bytes.
  uint64_t BodyLimit(std::string_view method, std::string_view target) override;
  http::Response TooLarge() override;

 private:
  void Count(const Route* route, const http::Request& request, const http::Response& response,
             std::chrono::steady_clock::time_point started);
  http::Response DispatchCatchingFaults(const Route* route, http::Request& request,
                                        http::LogFields& log);
  http::Response Dispatch(const Route* route, http::Request& request, http::LogFields& log);

  ApiContext& context_;
};

}  // namespace portrait::api
