#include "oauth/verifier.h"

#include <algorithm>
#include <charconv>

#include "oauth/authorization_header.h"
#include "oauth/signature.h"

namespace portrait::oauth {
namespace {

constexpr std::string_view kOAuthPrefix = "oauth_";
constexpr std::string_view kSignatureParam = "oauth_signature";
constexpr std::string_view kSupportedVersion = "1.0";
constexpr size_t kMaxNonceLength = 64;
constexpr size_t kMaxTimestampDigits = 18;  // fits int64_t with room for the window arithmetic

// oauth::Failure (the enum) hides portrait::Failure (the Result wrapper) in this namespace.
portrait::Failure<Failure> Refuse(Failure failure) { return {failure}; }

bool IsProtocolParam(std::string_view name) { return name.starts_with(kOAuthPrefix); }

bool HasDuplicateNames(const Params& params) {
  std::vector<std::string_view> names;
  names.reserve(params.size());
  for (const auto& param : params) names.push_back(param.first);
  std::sort(names.begin(), names.end());
  return std::adjacent_find(names.begin(), names.end()) != names.end();
}

// The request's parameters as the signature sees them, and which of them carry the credentials.
struct RequestParams {
  Params protocol;  // every oauth_* parameter, from the header, the query and a form body
  Params covered;   // everything the base string covers, oauth_signature excluded
};

Result<RequestParams, Failure> CollectParams(const SignedRequest& request) {
  RequestParams params;
  if (request.authorization) {
    auto parsed = ParseAuthorizationHeader(*request.authorization);
    if (parsed.ok()) {
      params.covered = std::move(parsed.value());
    } else if (parsed.error() == AuthorizationHeaderError::kMalformed) {
      return Refuse(Failure::kMissingCredentials);
    }
  }
  Params query = ParseUrlEncoded(request.query);
  params.covered.insert(params.covered.end(), query.begin(), query.end());
  if (IsFormUrlEncoded(request.content_type)) {
    Params body = ParseUrlEncoded(request.body);
    params.covered.insert(params.covered.end(), body.begin(), body.end());
  }

  // RFC 5849 §3.1-3.2: a protocol parameter appears once per request, wherever it is sent; a
  // second one is a bad request whichever value was meant. Taking one copy and signing the other
  // would let a client present a nonce that is never recorded (swap the two and replay).
  for (const auto& param : params.covered) {
    if (IsProtocolParam(param.first)) params.protocol.push_back(param);
  }
  if (HasDuplicateNames(params.protocol)) return Refuse(Failure::kMissingCredentials);
  std::erase_if(params.covered, [](const Param& param) { return param.first == kSignatureParam; });
  return params;
}

std::string_view ValueOrEmpty(const Params& params, std::string_view name) {
  return FindParam(params, name).value_or(std::string_view());
}

std::optional<int64_t> ParseTimestamp(std::string_view text) {
  if (text.empty() || text.size() > kMaxTimestampDigits) return std::nullopt;
  if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

bool IsAcceptableNonce(std::string_view nonce) {
  return !nonce.empty() && nonce.size() <= kMaxNonceLength &&
         std::all_of(nonce.begin(), nonce.end(), [](char c) { return c >= ' ' && c <= '~'; });
}

}  // namespace

Result<Verified, Failure> Verify(const SignedRequest& request, const Lookups& lookups,
                                 const VerifyOptions& options) {
  auto collected = CollectParams(request);
  if (!collected.ok()) return Refuse(collected.error());
  const Params& protocol = collected->protocol;

  std::string_view consumer_key = ValueOrEmpty(protocol, "oauth_consumer_key");
  std::string_view signature = ValueOrEmpty(protocol, "oauth_signature");
  std::string_view method_name = ValueOrEmpty(protocol, "oauth_signature_method");
  std::string_view timestamp_text = ValueOrEmpty(protocol, "oauth_timestamp");
  std::string_view nonce = ValueOrEmpty(protocol, "oauth_nonce");
  std::string_view token = ValueOrEmpty(protocol, "oauth_token");
  if (consumer_key.empty() || signature.empty() || method_name.empty() || timestamp_text.empty() ||
      nonce.empty() || (options.require_token && token.empty())) {
    return Refuse(Failure::kMissingCredentials);
  }
  std::optional<std::string_view> version = FindParam(protocol, "oauth_version");
  std::optional<SignatureMethod> method = ParseSignatureMethod(method_name);
  std::optional<int64_t> timestamp = ParseTimestamp(timestamp_text);
  if ((version && *version != kSupportedVersion) || !method || !timestamp) {
    return Refuse(Failure::kMissingCredentials);
  }

  const int64_t window = options.timestamp_window_seconds;
  if (*timestamp < options.now - window || *timestamp > options.now + window) {
    return Refuse(Failure::kTimestampOutOfBounds);
  }
  if (!IsAcceptableNonce(nonce)) return Refuse(Failure::kBadSignature);

  FoundSecrets found;
  if (lookups.keys_secrets) {
    found = lookups.keys_secrets(consumer_key, token);
  } else {
    found.consumer_secret = lookups.consumer_secret(consumer_key);
    if (found.consumer_secret && !token.empty()) {
      found.token_secret = lookups.token_secret(consumer_key, token);
    }
  }
  if (!found.consumer_secret) return Refuse(Failure::kBadSignature);
  const std::optional<std::string>& consumer_secret = found.consumer_secret;
  std::string token_secret;
  if (!token.empty()) {
    if (!found.token_secret) return Refuse(Failure::kInvalidToken);
    token_secret = std::move(*found.token_secret);
  }

  std::string base_string =
      SignatureBaseString(request.method, BaseStringUri(request.scheme, request.host, request.path),
                          collected->covered);
  std::string expected = ComputeSignature(*method, base_string, *consumer_secret, token_secret);
  if (!ConstantTimeEquals(expected, signature)) return Refuse(Failure::kBadSignature);

  std::optional<std::string_view> body_hash = FindParam(protocol, "oauth_body_hash");
  if (body_hash && !ConstantTimeEquals(BodyHash(request.body), *body_hash)) {
    return Refuse(Failure::kBadSignature);
  }

  // The store treats a nonce as expired once expires_at <= now; a request stays acceptable
  // until now == timestamp + window, so keep the nonce one second past the later of the two.
  const int64_t expires_at = std::max(*timestamp, options.now) + window + 1;
  if (!lookups.record_nonce(consumer_key, token, nonce, expires_at)) {
    return Refuse(Failure::kBadSignature);
  }
  return Verified{std::string(consumer_key), std::string(token), protocol};
}

}  // namespace portrait::oauth
