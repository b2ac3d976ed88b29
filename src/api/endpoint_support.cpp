#include <strings.h>

#include "api/endpoints.h"
#include "common/time_format.h"

namespace portrait::api {

Params RequestParams(const http::Request& request) {
  Params params = ParseUrlEncoded(request.query());
  auto content_type = request.header("Content-Type");
  constexpr std::string_view kForm = "application/x-www-form-urlencoded";
  if (content_type && content_type->size() >= kForm.size() &&
      strncasecmp(content_type->data(), kForm.data(), kForm.size()) == 0) {
    Params body = ParseUrlEncoded(request.body);
    params.insert(params.end(), std::make_move_iterator(body.begin()),
                  std::make_move_iterator(body.end()));
  }
  return params;
}

bool IsFalseFlag(std::optional<std::string_view> value) {
  return value && (*value == "false" || *value == "f" || *value == "0");
}

bool IsTrueFlag(std::optional<std::string_view> value) {
  return value && (*value == "true" || *value == "t" || *value == "1");
}

namespace {

// "example.com:8080" -> "example.com"; "[::1]:8080" -> "[::1]".
std::string_view HostWithoutPort(std::string_view host) {
  if (!host.empty() && host.front() == '[') return host.substr(0, host.find(']') + 1);
  return host.substr(0, host.find(':'));
}

}  // namespace

ImageBase ImageBaseFor(const ApiContext& context, const http::Request& request) {
  const ApiOptions& options = context.options;
  if (!options.image_base_url.empty()) {
    return ImageBase{options.image_base_url, options.image_base_url_https.empty()
                                                 ? options.image_base_url
                                                 : options.image_base_url_https};
  }
  std::string host = request.host.empty() ? "localhost" : request.host;
  std::string self = request.scheme + "://" + host;
  if (request.scheme == "https" || !options.https_port) return ImageBase{self, self};
  std::string https = "https://" + std::string(HostWithoutPort(host));
  if (*options.https_port != 443) https += ":" + std::to_string(*options.https_port);
  return ImageBase{self, https};
}

}  // namespace portrait::api
