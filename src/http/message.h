#pragma once
// Request and Response as the API layer sees them: plain values with no Boost.Beast types, so
// only the http/ translation units pay for Beast's headers.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace portrait::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

// Case-insensitive lookup of the first header with this name.
std::optional<std::string_view> FindHeader(const Headers& headers, std::string_view name);

struct Request {
  std::string method;  // "GET", "POST", ... as sent
  std::string target;  // origin-form: path and optional "?query", as sent
  std::string scheme;  // "http" or "https": what the client used (see ServerOptions)
  std::string host;    // the Host header ("example.com:8443"), empty if absent
  Headers headers;
  std::string body;
  std::string remote_address;  // peer IP
  // The client's IP: remote_address, or behind a trusted proxy the address it forwarded for
  // (ClientAddress in request_origin.h).
  std::string client_address;
  std::string request_id;  // from X-Request-Id or generated; echoed in the response

  std::string_view path() const;   // target up to '?'
  std::string_view query() const;  // after '?', empty if none
  std::optional<std::string_view> header(std::string_view name) const {
    return FindHeader(headers, name);
  }
};

struct Response {
  int status = 200;
  Headers headers;  // Date, Content-Length, Connection and X-Request-Id are added by the server
  std::string body;
  bool head_only = false;  // HEAD: send headers (Content-Length of body) without the body

  void set(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

// Filled by the handler for the access log (what the server cannot know by itself).
struct LogFields {
  std::optional<int64_t> user_id;
};

}  // namespace portrait::http
