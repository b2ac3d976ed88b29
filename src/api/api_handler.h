#pragma once
// ApiHandler: routes each request to its endpoint and applies what every response shares:
// the JSON content type for API responses, x-rate-limit-* headers, the mapping of faults to
// 500/131 (the one place where exceptions become Twitter errors), and 404/34 for anything else.
#include "api/api_context.h"
#include "api/api_error.h"
#include "http/server.h"

namespace portrait::api {

class ApiHandler final : public http::RequestHandler {
 public:
  explicit ApiHandler(ApiContext& context) : context_(context) {}

  http::Response Handle(http::Request& request, http::LogFields& log) override;
  http::Response TooLarge() override;

 private:
  http::Response RouteCatchingFaults(http::Request& request, http::LogFields& log);
  http::Response Route(http::Request& request, http::LogFields& log);

  ApiContext& context_;
};

}  // namespace portrait::api
