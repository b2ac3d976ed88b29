#include <openssl/crypto.h>
#include <strings.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "api/endpoints.h"
#include "common/time_format.h"
#include "upload/base64.h"

namespace portrait::api {
namespace {

constexpr std::string_view kBasicPrefix = "Basic ";

struct ClientCredentials {
  std::string key;
  std::string secret;
};

// RFC 6749 §2.3.1: "Basic base64(urlencode(key):urlencode(secret))".
std::optional<ClientCredentials> ParseBasic(std::optional<std::string_view> header) {
  if (!header || header->size() <= kBasicPrefix.size() ||
      strncasecmp(header->data(), kBasicPrefix.data(), kBasicPrefix.size()) != 0) {
    return std::nullopt;
  }
  auto decoded = upload::DecodeBase64(header->substr(kBasicPrefix.size()));
  if (!decoded) return std::nullopt;
  size_t colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  return ClientCredentials{PercentDecode(decoded->substr(0, colon)),
                           PercentDecode(decoded->substr(colon + 1))};
}

}  // namespace

http::Response IssueBearerToken(ApiContext& context, const http::Request& request, Call& call) {
  auto credentials = ParseBasic(request.header("Authorization"));
  if (!credentials) return ErrorResponse(errors::kUnableToVerifyCredentials);
  auto app = context.store.FindAppByConsumerKey(credentials->key);
  if (!app || app->revoked || app->consumer_secret.size() != credentials->secret.size() ||
      CRYPTO_memcmp(app->consumer_secret.data(), credentials->secret.data(),
                    credentials->secret.size()) != 0) {
    return ErrorResponse(errors::kUnableToVerifyCredentials);
  }
  Params params = RequestParams(request);
  auto grant_type = FindParam(params, "grant_type");
  if (!grant_type || *grant_type != "client_credentials") {
    return ErrorResponse(errors::kMissingGrantType);
  }
  store::BearerToken token = context.store.IssueBearerToken(app->id, NowSeconds());
  boost::json::object body{{"token_type", "bearer"}, {"access_token", token.token}};
  return JsonResponse(boost::json::serialize(body));
}

}  // namespace portrait::api
