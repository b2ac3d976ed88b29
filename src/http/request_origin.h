#pragma once
// Where a request came from, as far as the server can tell: its request id, and the scheme and
// address the client used (possibly in front of a trusted reverse proxy). Pure functions, no
// I/O.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"

namespace portrait::http {

inline constexpr size_t kMaxRequestIdLength = 128;

// The client's X-Request-Id when it is 1..128 characters of [A-Za-z0-9._-]; otherwise a fresh
// random id (so log lines can never be forged or broken by it).
std::string RequestIdFrom(std::optional<std::string_view> client_request_id);

// The proto named by a Forwarded header (RFC 7239, first element) or else X-Forwarded-Proto
// (first value): "http" or "https", nullopt when absent or anything else.
std::optional<std::string> ForwardedProto(const Headers& headers);

// listener_scheme, unless remote_address is one of trusted_proxies and the headers name a
// forwarded proto.
std::string ClientScheme(std::string_view listener_scheme, std::string_view remote_address,
                         const Headers& headers, const std::vector<std::string>& trusted_proxies);

// The client's IP address: remote_address, unless it is one of trusted_proxies. Then the chain
// a proxy forwarded, in Forwarded for= (RFC 7239, every element of every Forwarded line) or,
// when there is none, X-Forwarded-For (every line), is read from its right end, the hop nearest
// this server: trusted proxies are skipped and the first other address is the client (what a
// client writes further left cannot be checked, so it is never believed). A chain made only of
// trusted proxies gives its leftmost; none at all gives remote_address. Addresses lose quotes,
// brackets and ports ("[2001:db8::1]:4711" is "2001:db8::1", "192.0.2.7:80" is "192.0.2.7")
// and are lower-cased; an element that is not an address ("unknown", "_hidden") ends the walk
// with the hop before it.
std::string ClientAddress(std::string_view remote_address, const Headers& headers,
                          const std::vector<std::string>& trusted_proxies);

}  // namespace portrait::http
