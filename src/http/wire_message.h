#pragma once
// Conversions between Beast's messages and Portrait's Request/Response. Internal to the http
// component (only the session and its tests include Beast headers).
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.h"

namespace portrait::http {

using WireRequest = boost::beast::http::request<boost::beast::http::string_body>;

// A response rendered for the wire: every header line but Connection, then the body. Sent as
// one gather write of Head() and body; cheaper than Beast's serializer for small answers.
struct WireResponse {
  unsigned version = 11;
  int status = 200;
  std::string fields;  // "Name: value\r\n" lines, Connection excluded
  std::string body;    // empty for HEAD and bodiless statuses
  bool keep_alive = true;

  // The status line, the fields, the Connection field when needed and the blank line.
  std::string Head() const;
};

// method, target, host, headers and body of message; scheme and request_id are left empty.
Request ToRequest(WireRequest&& message, std::string remote_address);

// The response as sent: handler headers with CR, LF or NUL are dropped; Date, X-Request-Id,
// Content-Length (none for 1xx, 204 and 304) and Connection are set by the server. A head
// response keeps the Content-Length of its body but not the body. A status outside 100..999
// becomes 500.
WireResponse ToWireResponse(Response response, unsigned version, bool head, bool keep_alive,
                            const std::string& request_id);

// "HTTP/1.1 100 Continue".
WireResponse ContinueResponse(unsigned version);

// Whether the client waits for 100 Continue before sending its body.
bool ExpectsContinue(const boost::beast::http::request_header<>& header);

// RFC 9112 rules that Beast's parser does not enforce, checked once the header is whole
// (raw_header: its field lines as received, with or without the start line before them). Nothing
// when the request may proceed; otherwise why it is refused, with 400 and the connection closed,
// since where its body ends cannot be trusted:
// - a Transfer-Encoding that is not exactly "chunked" (§6.1, §6.3: "chunked, identity", "gzip",
//   "xchunked"... would otherwise be read as no body, and the body as the next request, while a
//   proxy in front framed it differently: request smuggling);
// - an obs-fold continuation line in any field (§5.2);
// - an HTTP/1.1 request without Host, or any request with more than one Host field (§3.2).
std::optional<std::string_view> FramingViolation(const boost::beast::http::request_header<>& header,
                                                 std::string_view raw_header);

// A parse error the client caused (bad syntax, header over its limit), as opposed to the
// connection ending or timing out.
bool IsMalformedRequest(boost::system::error_code ec);

std::optional<std::string_view> OptionalField(const boost::beast::http::request_header<>& header,
                                              std::string_view name);

// The peer's IP address; IPv4-mapped IPv6 addresses in their IPv4 form. Empty on error.
std::string PeerAddress(const boost::asio::ip::tcp::socket& socket);

// 500 with the Twitter envelope (code 131), for a handler that broke its no-throw contract.
Response InternalErrorResponse();

}  // namespace portrait::http
