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

// The live app whose consumer key and secret the Basic credentials are.
std::optional<store::App> BasicConsumer(ApiContext& context, const http::Request& request) {
  auto credentials = ParseBasic(request.header("Authorization"));
  if (!credentials) return std::nullopt;
  auto app = context.store.FindAppByConsumerKey(credentials->key);
  if (!app || app->revoked || app->consumer_secret.size() != credentials->secret.size() ||
      CRYPTO_memcmp(app->consumer_secret.data(), credentials->secret.data(),
                    credentials->secret.size()) != 0) {
    return std::nullopt;
  }
  return app;
}

}  // namespace

http::Response IssueBearerToken(ApiContext& context, const http::Request& request, Call& call) {
  std::optional<store::App> app = BasicConsumer(context, request);
  if (!app) return ErrorResponse(errors::kUnableToVerifyCredentials);
  Params params = RequestParams(request);
  auto grant_type = FindParam(params, "grant_type");
  if (!grant_type || *grant_type != "client_credentials") {
    return ErrorResponse(errors::kMissingGrantType);
  }
  store::BearerToken token = context.store.IssueBearerToken(app->id, NowSeconds());
  boost::json::object body{{"token_type", "bearer"}, {"access_token", token.token}};
  return JsonResponse(boost::json::serialize(body));
}

http::Response InvalidateBearerToken(ApiContext& context, const http::Request& request,
                                     Call& call) {
  std::optional<store::App> app = BasicConsumer(context, request);
  if (!app) return ErrorResponse(errors::kUnableToVerifyCredentials);
  Params params = RequestParams(request);
  std::optional<std::string_view> bearer = FindParam(params, "access_token");
  if (!bearer || bearer->empty()) return ErrorResponse(errors::kAccessTokenMissing);
  auto revoked = context.flow.InvalidateBearerToken(*app, *bearer);
  if (!revoked.ok()) return ErrorResponse(errors::kInvalidToken);
  return JsonResponse(
      boost::json::serialize(boost::json::object{{"access_token", revoked->token}}));
}

}  // namespace portrait::api
