#pragma once
// Where a request came from, as far as the server can tell: its request id and the scheme the
// client used (possibly in front of a trusted reverse proxy). Pure functions, no I/O.
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

}  // namespace portrait::http
