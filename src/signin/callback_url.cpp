#include "signin/callback_url.h"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <charconv>
#include <cstdint>

#include "signin/screen_name.h"

namespace portrait::signin {
namespace {

namespace urls = boost::urls;

constexpr uint16_t kHttpPort = 80;
constexpr uint16_t kHttpsPort = 443;

// The parts a callback is compared by, after normalisation.
struct CallbackOrigin {
  urls::scheme scheme = urls::scheme::none;
  std::string host;
  uint16_t port = 0;
  std::string path;  // "/" for an empty one
  bool has_query = false;
};

std::optional<CallbackOrigin> Parse(std::string_view text) {
  if (text.empty() || text.size() > kMaxCallbackBytes) return std::nullopt;
  // absolute-URI has no fragment, so a '#' fails here.
  auto parsed = urls::parse_absolute_uri(text);
  if (!parsed) return std::nullopt;
  urls::url url(*parsed);
  url.normalize();
  CallbackOrigin origin;
  origin.scheme = url.scheme_id();
  if (origin.scheme != urls::scheme::http && origin.scheme != urls::scheme::https) {
    return std::nullopt;
  }
  if (!url.has_authority() || url.has_userinfo() || url.encoded_host().empty()) {
    return std::nullopt;
  }
  origin.host = std::string(url.encoded_host());
  if (origin.host.find('%') != std::string::npos) return std::nullopt;
  const uint16_t default_port = origin.scheme == urls::scheme::https ? kHttpsPort : kHttpPort;
  if (url.has_port() && !url.port().empty()) {
    // port_number() wraps values past 65535, so the digits are read here.
    const std::string_view digits = url.port();
    uint32_t port = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (error != std::errc() || end != digits.data() + digits.size() || port == 0 ||
        port > UINT16_MAX) {
      return std::nullopt;
    }
    origin.port = static_cast<uint16_t>(port);
  } else {
    origin.port = default_port;
  }
  origin.path = url.encoded_path().empty() ? "/" : std::string(url.encoded_path());
  origin.has_query = url.has_query();
  return origin;
}

bool PathContinues(std::string_view requested, std::string_view registered) {
  if (!requested.starts_with(registered)) return false;
  if (requested.size() == registered.size() || registered.ends_with('/')) return true;
  return requested[registered.size()] == '/';
}

bool Matches(const CallbackOrigin& requested, const CallbackOrigin& registered) {
  return requested.scheme == registered.scheme && requested.host == registered.host &&
         requested.port == registered.port && PathContinues(requested.path, registered.path);
}

}  // namespace

bool IsOutOfBand(std::string_view callback) { return FoldScreenName(callback) == "oob"; }

Result<std::string, CallbackProblem> ApproveCallback(std::string_view requested,
                                                     const std::vector<std::string>& registered) {
  if (IsOutOfBand(requested)) return std::string("oob");
  std::optional<CallbackOrigin> origin = Parse(requested);
  if (!origin) return Failure{CallbackProblem::kMalformed};
  if (registered.empty()) return std::string(requested);
  for (const std::string& allowed : registered) {
    std::optional<CallbackOrigin> allowed_origin = Parse(allowed);
    if (allowed_origin && Matches(*origin, *allowed_origin)) return std::string(requested);
  }
  return Failure{CallbackProblem::kNotApproved};
}

Status CheckRegistrableCallback(std::string_view url) {
  std::optional<CallbackOrigin> origin = Parse(url);
  if (!origin) {
    return Status::Error(
        "a callback URL must be an absolute http or https URL with a host, no "
        "user name, no fragment, at most " +
        std::to_string(kMaxCallbackBytes) + " bytes: " + std::string(url));
  }
  if (origin->has_query) {
    return Status::Error("a registered callback URL takes no query (requests may add one): " +
                         std::string(url));
  }
  return Status::Ok();
}

std::string WithQueryParameters(
    std::string_view callback, const std::vector<std::pair<std::string, std::string>>& parameters) {
  urls::url url(callback);
  for (const auto& [name, value] : parameters) url.params().append({name, value});
  return std::string(url.buffer());
}

}  // namespace portrait::signin
