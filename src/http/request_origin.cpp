#include "http/request_origin.h"

#include <algorithm>
#include <cctype>
#include <random>

#include "common/random.h"

namespace portrait::http {
namespace {

constexpr size_t kGeneratedRequestIdLength = 16;
constexpr std::string_view kRequestIdAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

// Request ids need to be unique, not unguessable: a generator per thread, seeded once from the
// secure source, spares every request the secure source's system calls.
std::string GeneratedRequestId() {
  thread_local std::mt19937_64 generator = [] {
    std::string seed = RandomAlphanumeric(32);
    std::seed_seq sequence(seed.begin(), seed.end());
    return std::mt19937_64(sequence);
  }();
  std::uniform_int_distribution<size_t> pick(0, kRequestIdAlphabet.size() - 1);
  std::string id(kGeneratedRequestIdLength, ' ');
  for (char& c : id) c = kRequestIdAlphabet[pick(generator)];
  return id;
}

bool IsRequestIdChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string Lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<std::string> KnownScheme(std::string_view value) {
  std::string scheme = Lowercase(Trim(value));
  if (scheme == "http" || scheme == "https") return scheme;
  return std::nullopt;
}

// The proto= parameter of the first element of a Forwarded header value.
std::optional<std::string> ProtoFromForwarded(std::string_view forwarded) {
  std::string_view first = forwarded.substr(0, forwarded.find(','));
  while (!first.empty()) {
    size_t semicolon = first.find(';');
    std::string_view pair = Trim(first.substr(0, semicolon));
    first = semicolon == std::string_view::npos ? std::string_view() : first.substr(semicolon + 1);
    size_t equals = pair.find('=');
    if (equals == std::string_view::npos || Lowercase(Trim(pair.substr(0, equals))) != "proto") {
      continue;
    }
    std::string_view value = Trim(pair.substr(equals + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    return KnownScheme(value);
  }
  return std::nullopt;
}

bool IsTrusted(std::string_view address, const std::vector<std::string>& trusted_proxies) {
  return std::find(trusted_proxies.begin(), trusted_proxies.end(), address) !=
         trusted_proxies.end();
}

// "\"[2001:db8::1]:4711\"" -> "2001:db8::1"; "192.0.2.7:80" -> "192.0.2.7"; nothing for what is
// not an IPv4 or IPv6 address.
std::optional<std::string> NodeAddress(std::string_view node) {
  node = Trim(node);
  if (node.size() >= 2 && node.front() == '"' && node.back() == '"') {
    node = Trim(node.substr(1, node.size() - 2));
  }
  if (node.starts_with('[')) {
    size_t close = node.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    node = node.substr(1, close - 1);
  } else if (std::count(node.begin(), node.end(), ':') == 1) {
    node = node.substr(0, node.find(':'));
  }
  const bool ipv6 = node.find(':') != std::string_view::npos;
  if (node.empty() || !std::all_of(node.begin(), node.end(), [ipv6](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) || c == '.' ||
               (ipv6 && (c == ':' || std::isxdigit(static_cast<unsigned char>(c))));
      })) {
    return std::nullopt;
  }
  return Lowercase(node);
}

// Every comma-separated element of every line of the named header, in order.
std::vector<std::string_view> HeaderElements(const Headers& headers, std::string_view name) {
  std::vector<std::string_view> elements;
  for (const auto& [field, value] : headers) {
    if (Lowercase(field) != Lowercase(name)) continue;
    std::string_view rest = value;
    while (true) {
      size_t comma = rest.find(',');
      elements.push_back(rest.substr(0, comma));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return elements;
}

// The for= value of one Forwarded element ("for=192.0.2.7;proto=https"), or "" when it has none.
std::string_view ForwardedFor(std::string_view element) {
  while (!element.empty()) {
    size_t semicolon = element.find(';');
    std::string_view pair = Trim(element.substr(0, semicolon));
    element =
        semicolon == std::string_view::npos ? std::string_view() : element.substr(semicolon + 1);
    size_t equals = pair.find('=');
    if (equals != std::string_view::npos && Lowercase(Trim(pair.substr(0, equals))) == "for") {
      return Trim(pair.substr(equals + 1));
    }
  }
  return {};
}

}  // namespace

std::string RequestIdFrom(std::optional<std::string_view> client_request_id) {
  if (client_request_id && !client_request_id->empty() &&
      client_request_id->size() <= kMaxRequestIdLength &&
      std::all_of(client_request_id->begin(), client_request_id->end(), IsRequestIdChar)) {
    return std::string(*client_request_id);
  }
  return GeneratedRequestId();
}

std::optional<std::string> ForwardedProto(const Headers& headers) {
  if (auto forwarded = FindHeader(headers, "Forwarded")) {
    if (auto proto = ProtoFromForwarded(*forwarded)) return proto;
  }
  if (auto forwarded_proto = FindHeader(headers, "X-Forwarded-Proto")) {
    return KnownScheme(forwarded_proto->substr(0, forwarded_proto->find(',')));
  }
  return std::nullopt;
}

std::string ClientScheme(std::string_view listener_scheme, std::string_view remote_address,
                         const Headers& headers, const std::vector<std::string>& trusted_proxies) {
  bool trusted = std::find(trusted_proxies.begin(), trusted_proxies.end(), remote_address) !=
                 trusted_proxies.end();
  if (trusted) {
    if (auto proto = ForwardedProto(headers)) return *proto;
  }
  return std::string(listener_scheme);
}

std::string ClientAddress(std::string_view remote_address, const Headers& headers,
                          const std::vector<std::string>& trusted_proxies) {
  if (!IsTrusted(remote_address, trusted_proxies)) return std::string(remote_address);
  std::vector<std::string_view> chain;
  for (std::string_view element : HeaderElements(headers, "Forwarded")) {
    // Elements without for= (a proxy that only tells the proto) are not hops of the chain.
    if (std::string_view node = ForwardedFor(element); !node.empty()) chain.push_back(node);
  }
  if (chain.empty()) chain = HeaderElements(headers, "X-Forwarded-For");
  std::string client(remote_address);
  for (auto hop = chain.rbegin(); hop != chain.rend(); ++hop) {
    std::optional<std::string> address = NodeAddress(*hop);
    if (!address) break;
    client = std::move(*address);
    if (!IsTrusted(client, trusted_proxies)) break;
  }
  return client;
}

}  // namespace portrait::http
