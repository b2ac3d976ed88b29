#include "http/wire_message.h"

#include <boost/asio/ip/address.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>

#include "common/time_format.h"

namespace portrait::http {
namespace {

namespace bhttp = boost::beast::http;

constexpr std::string_view kInternalErrorBody =
    R"({"errors":[{"code":131,"message":"Internal error."}]})";

bool IsSafeFieldText(std::string_view text) {
  return text.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

bool StatusHasNoBody(int status) { return status < 200 || status == 204 || status == 304; }

}  // namespace

Request ToRequest(WireRequest&& message, std::string remote_address) {
  Request request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  request.headers.reserve(std::distance(message.begin(), message.end()));
  for (const auto& field : message) {
    request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  request.host = std::string(request.header("Host").value_or(""));
  request.body = std::move(message.body());
  request.remote_address = std::move(remote_address);
  return request;
}

WireResponse ToWireResponse(Response response, unsigned version, bool head, bool keep_alive,
                            const std::string& request_id) {
  const int status = response.status >= 100 && response.status <= 999 ? response.status : 500;
  WireResponse wire;
  wire.version(version);
  wire.result(static_cast<unsigned>(status));
  for (const auto& [name, value] : response.headers) {
    if (name.empty() || !IsSafeFieldText(name) || !IsSafeFieldText(value)) continue;
    wire.insert(name, value);
  }
  wire.set(bhttp::field::date, HttpDate(NowSeconds()));
  wire.set("X-Request-Id", request_id);
  wire.erase(bhttp::field::connection);
  wire.erase(bhttp::field::transfer_encoding);
  if (StatusHasNoBody(status)) {
    wire.erase(bhttp::field::content_length);
  } else {
    wire.content_length(response.body.size());
    if (!head) wire.body() = std::move(response.body);
  }
  wire.keep_alive(keep_alive);
  return wire;
}

WireResponse ContinueResponse(unsigned version) {
  return WireResponse(bhttp::status::continue_, version);
}

bool ExpectsContinue(const bhttp::request_header<>& header) {
  return header.version() >= 11 &&
         boost::beast::iequals(header[bhttp::field::expect], "100-continue");
}

bool IsMalformedRequest(boost::system::error_code ec) {
  static const boost::system::error_category& http_category =
      bhttp::make_error_code(bhttp::error::bad_method).category();
  return ec.category() == http_category && ec != bhttp::error::end_of_stream &&
         ec != bhttp::error::partial_message && ec != bhttp::error::need_more;
}

std::optional<std::string_view> OptionalField(const bhttp::request_header<>& header,
                                              std::string_view name) {
  auto it = header.find(name);
  if (it == header.end()) return std::nullopt;
  return it->value();
}

std::string PeerAddress(const boost::asio::ip::tcp::socket& socket) {
  boost::system::error_code ec;
  auto endpoint = socket.remote_endpoint(ec);
  if (ec) return "";
  boost::asio::ip::address address = endpoint.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    address = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6());
  }
  return address.to_string();
}

Response InternalErrorResponse() {
  Response response;
  response.status = 500;
  response.set("Content-Type", "application/json;charset=utf-8");
  response.body = std::string(kInternalErrorBody);
  return response;
}

}  // namespace portrait::http
