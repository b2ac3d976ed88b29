#include "http/wire_message.h"

#include <boost/asio/ip/address.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>

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

// Fields the server sets itself; a handler's own are dropped.
bool IsServerField(std::string_view name) {
  for (std::string_view reserved :
       {"Date", "X-Request-Id", "Content-Length", "Connection", "Transfer-Encoding"}) {
    if (boost::beast::iequals(name, reserved)) return true;
  }
  return false;
}

void AppendField(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ").append(value).append("\r\n");
}

// The Date field's value, formatted once per second per thread.
const std::string& CurrentHttpDate() {
  thread_local int64_t formatted_at = -1;
  thread_local std::string date;
  const int64_t now = NowSeconds();
  if (now != formatted_at) {
    date = HttpDate(now);
    formatted_at = now;
  }
  return date;
}

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

std::string WireResponse::Head() const {
  const std::string_view reason = bhttp::obsolete_reason(static_cast<bhttp::status>(status));
  std::string head;
  head.reserve(fields.size() + reason.size() + 48);
  head.append(version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ").append(std::to_string(status));
  head.append(" ").append(reason).append("\r\n").append(fields);
  // HTTP/1.1 connections persist unless closed; HTTP/1.0 ones close unless kept alive.
  if (version >= 11 && !keep_alive) AppendField(head, "Connection", "close");
  if (version < 11 && keep_alive) AppendField(head, "Connection", "keep-alive");
  head.append("\r\n");
  return head;
}

WireResponse ToWireResponse(Response response, unsigned version, bool head, bool keep_alive,
                            const std::string& request_id) {
  WireResponse wire;
  wire.version = version;
  wire.status = response.status >= 100 && response.status <= 999 ? response.status : 500;
  wire.keep_alive = keep_alive;
  std::string& fields = wire.fields;
  fields.reserve(256);
  for (const auto& [name, value] : response.headers) {
    if (name.empty() || !IsSafeFieldText(name) || !IsSafeFieldText(value)) continue;
    if (IsServerField(name)) continue;
    AppendField(fields, name, value);
  }
  AppendField(fields, "Date", CurrentHttpDate());
  if (IsSafeFieldText(request_id)) AppendField(fields, "X-Request-Id", request_id);
  if (!StatusHasNoBody(wire.status)) {
    AppendField(fields, "Content-Length", std::to_string(response.body.size()));
    if (!head) wire.body = std::move(response.body);
  }
  return wire;
}

WireResponse ContinueResponse(unsigned version) {
  WireResponse wire;
  wire.version = version;
  wire.status = 100;
  return wire;
}

bool ExpectsContinue(const bhttp::request_header<>& header) {
  return header.version() >= 11 &&
         boost::beast::iequals(header[bhttp::field::expect], "100-continue");
}

namespace {

// Whether the Transfer-Encoding fields, taken together, name exactly one coding: chunked.
bool IsOnlyChunked(const bhttp::request_header<>& header) {
  int codings = 0;
  bool chunked = false;
  // Every field in order: fields of one name need not be next to each other.
  for (const auto& field : header) {
    if (field.name() != bhttp::field::transfer_encoding) continue;
    std::string_view list = field.value();
    while (!list.empty()) {
      const size_t comma = list.find(',');
      std::string_view coding = list.substr(0, comma);
      list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
      const size_t first = coding.find_first_not_of(" \t");
      if (first == std::string_view::npos) continue;  // empty list elements are allowed
      coding = coding.substr(first, coding.find_last_not_of(" \t") - first + 1);
      ++codings;
      chunked = boost::beast::iequals(coding, "chunked");
    }
  }
  return codings == 1 && chunked;
}

// A field line that begins with a space or tab continues the one before it (obs-fold). raw_header
// may start at the first field line (the start line taken earlier), whose leading space or tab
// would continue the start line. Bare LF is refused by the parser already.
bool HasObsFold(std::string_view raw_header) {
  if (!raw_header.empty() && (raw_header.front() == ' ' || raw_header.front() == '\t')) return true;
  for (size_t at = raw_header.find('\n'); at != std::string_view::npos;
       at = raw_header.find('\n', at + 1)) {
    if (at + 1 < raw_header.size() && (raw_header[at + 1] == ' ' || raw_header[at + 1] == '\t')) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::optional<std::string_view> FramingViolation(const bhttp::request_header<>& header,
                                                 std::string_view raw_header) {
  if (header.count(bhttp::field::transfer_encoding) > 0 && !IsOnlyChunked(header)) {
    return "unsupported transfer coding";
  }
  if (HasObsFold(raw_header)) return "obs-fold in a header field";
  const size_t hosts = header.count(bhttp::field::host);
  if (hosts > 1) return "more than one Host";
  if (hosts == 0 && header.version() >= 11) return "no Host in an HTTP/1.1 request";
  return std::nullopt;
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
