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

}  // namespace portrait::http
