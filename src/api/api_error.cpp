#include "api/api_error.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace portrait::api {

http::Response ErrorResponse(const ApiError& error) {
  boost::json::object entry;
  entry["code"] = error.code;
  entry["message"] = error.message;
  boost::json::object envelope;
  envelope["errors"] = boost::json::array{std::move(entry)};
  return JsonResponse(boost::json::serialize(envelope), error.http_status);
}

http::Response JsonResponse(std::string body, int status) {
  http::Response response;
  response.status = status;
  response.set("Content-Type", std::string(kJsonContentType));
  response.body = std::move(body);
  return response;
}

}  // namespace portrait::api
