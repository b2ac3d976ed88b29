#include "oauth/signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <utility>

#include "common/random.h"
#include "common/result.h"

namespace portrait::oauth {
namespace {

constexpr std::string_view kSchemeSeparator = "://";
constexpr std::string_view kFormUrlEncoded = "application/x-www-form-urlencoded";
constexpr std::string_view kOAuthVersion = "1.0";
constexpr size_t kClientNonceLength = 32;

std::string LowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string UpperAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string Base64(const unsigned char* data, size_t size) {
  std::string out(4 * ((size + 2) / 3) + 1, '\0');  // EVP_EncodeBlock adds a NUL
  int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(static_cast<size_t>(written));
  return out;
}

// Splits "host:port" or "[v6]:port" into host and port (port empty when absent).
std::pair<std::string_view, std::string_view> SplitHostPort(std::string_view authority) {
  size_t host_end = 0;
  if (!authority.empty() && authority.front() == '[') {
    size_t bracket = authority.find(']');
    host_end = bracket == std::string_view::npos ? authority.size() : bracket + 1;
  } else {
    host_end = std::min(authority.find(':'), authority.size());
  }
  std::string_view host = authority.substr(0, host_end);
  std::string_view rest = authority.substr(host_end);
  if (!rest.empty() && rest.front() == ':') rest.remove_prefix(1);
  return {host, rest};
}

bool IsDefaultPort(std::string_view scheme, std::string_view port) {
  return port.empty() || (scheme == "http" && port == "80") || (scheme == "https" && port == "443");
}

const EVP_MD* Digest(SignatureMethod method) {
  return method == SignatureMethod::kHmacSha256 ? EVP_sha256() : EVP_sha1();
}

struct AbsoluteUrl {
  std::string_view scheme, host, path, query;
};

// "scheme://host[:port][/path][?query][#fragment]"; throws std::invalid_argument without a scheme.
AbsoluteUrl SplitAbsoluteUrl(std::string_view url) {
  size_t scheme_end = url.find(kSchemeSeparator);
  if (scheme_end == std::string_view::npos || scheme_end == 0) {
    throw std::invalid_argument("not an absolute URL: " + std::string(url));
  }
  AbsoluteUrl parts;
  parts.scheme = url.substr(0, scheme_end);
  std::string_view rest = url.substr(scheme_end + kSchemeSeparator.size());
  rest = rest.substr(0, rest.find('#'));
  size_t path_start = std::min(rest.find_first_of("/?"), rest.size());
  parts.host = rest.substr(0, path_start);
  std::string_view target = rest.substr(path_start);
  size_t query_start = std::min(target.find('?'), target.size());
  parts.path = target.substr(0, query_start);
  parts.query = target.substr(std::min(query_start + 1, target.size()));
  return parts;
}

int64_t SystemSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::optional<SignatureMethod> ParseSignatureMethod(std::string_view name) {
  if (name == "HMAC-SHA1") return SignatureMethod::kHmacSha1;
  if (name == "HMAC-SHA256") return SignatureMethod::kHmacSha256;
  return std::nullopt;
}

std::string_view SignatureMethodName(SignatureMethod method) {
  return method == SignatureMethod::kHmacSha256 ? "HMAC-SHA256" : "HMAC-SHA1";
}

std::string BaseStringUri(std::string_view scheme, std::string_view host, std::string_view path) {
  std::string lower_scheme = LowerAscii(scheme);
  auto [host_name, port] = SplitHostPort(host);
  std::string uri = lower_scheme + std::string(kSchemeSeparator) + LowerAscii(host_name);
  if (!IsDefaultPort(lower_scheme, port)) uri += ":" + std::string(port);
  uri += path.empty() ? std::string_view("/") : path;
  return uri;
}

std::string NormalizedParameters(const Params& params) {
  Params encoded;
  encoded.reserve(params.size());
  for (const auto& [name, value] : params) {
    encoded.emplace_back(PercentEncode(name), PercentEncode(value));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out += '&';
    out.append(name).append(1, '=').append(value);
  }
  return out;
}

std::string SignatureBaseString(std::string_view method, std::string_view base_string_uri,
                                const Params& params) {
  return UpperAscii(method) + '&' + PercentEncode(base_string_uri) + '&' +
         PercentEncode(NormalizedParameters(params));
}

std::string ComputeSignature(SignatureMethod method, std::string_view base_string,
                             std::string_view consumer_secret, std::string_view token_secret) {
  std::string key = PercentEncode(consumer_secret) + '&' + PercentEncode(token_secret);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  if (HMAC(Digest(method), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(base_string.data()), base_string.size(), mac,
           &mac_size) == nullptr) {
    throw Fault("HMAC failed");  // OpenSSL could not allocate
  }
  return Base64(mac, mac_size);
}

std::string BodyHash(std::string_view body) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest);
  return Base64(digest, sizeof digest);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool IsFormUrlEncoded(std::string_view content_type) {
  std::string_view media_type = content_type.substr(0, content_type.find(';'));
  while (!media_type.empty() && (media_type.back() == ' ' || media_type.back() == '\t')) {
    media_type.remove_suffix(1);
  }
  while (!media_type.empty() && (media_type.front() == ' ' || media_type.front() == '\t')) {
    media_type.remove_prefix(1);
  }
  return LowerAscii(media_type) == kFormUrlEncoded;
}

std::string AuthorizationHeader(const ClientCredentials& credentials, std::string_view method,
                                std::string_view url, const Params& params,
                                const SigningOptions& options) {
  AbsoluteUrl parts = SplitAbsoluteUrl(url);
  Params oauth_params = {
      {"oauth_consumer_key", credentials.consumer_key},
      {"oauth_nonce", options.nonce ? *options.nonce : RandomAlphanumeric(kClientNonceLength)},
      {"oauth_signature_method", std::string(SignatureMethodName(options.method))},
      {"oauth_timestamp", std::to_string(options.timestamp.value_or(SystemSeconds()))},
      {"oauth_version", std::string(kOAuthVersion)},
  };
  if (!credentials.token.empty()) oauth_params.emplace_back("oauth_token", credentials.token);
  if (options.hashed_body) {
    oauth_params.emplace_back("oauth_body_hash", BodyHash(*options.hashed_body));
  }

  Params signed_params = ParseUrlEncoded(parts.query);
  signed_params.insert(signed_params.end(), params.begin(), params.end());
  signed_params.insert(signed_params.end(), oauth_params.begin(), oauth_params.end());
  std::string base_string = SignatureBaseString(
      method, BaseStringUri(parts.scheme, parts.host, parts.path), signed_params);
  oauth_params.emplace_back(
      "oauth_signature", ComputeSignature(options.method, base_string, credentials.consumer_secret,
                                          credentials.token_secret));

  std::sort(oauth_params.begin(), oauth_params.end());
  std::string header = "OAuth";
  std::string_view separator = " ";
  for (const auto& [name, value] : oauth_params) {
    header += std::string(separator) + PercentEncode(name) + "=\"" + PercentEncode(value) + '"';
    separator = ", ";
  }
  return header;
}

}  // namespace portrait::oauth
