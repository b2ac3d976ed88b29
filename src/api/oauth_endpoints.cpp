// The OAuth 1.0a endpoints of Twitter's three-legged flow and xAuth (SPEC §8), and
// 1.1/oauth/invalidate_token. The signature has been verified by the dispatcher (Auth::kConsumer,
// or kUser for invalidate_token); what is left is the flow's own rules (signin/
// authorization_flow.h).
#include <openssl/crypto.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "api/endpoints.h"
#include "common/time_format.h"
#include "signin/password.h"

namespace portrait::api {
namespace {

constexpr std::string_view kFormContentType = "application/x-www-form-urlencoded";

http::Response FormResponse(const Params& fields) {
  http::Response response;
  for (const auto& [name, value] : fields) {
    if (!response.body.empty()) response.body += '&';
    response.body += PercentEncode(name) + "=" + PercentEncode(value);
  }
  response.set("Content-Type", std::string(kFormContentType));
  return response;
}

http::Response GrantResponse(const signin::Grant& grant) {
  return FormResponse({{"oauth_token", grant.token.token},
                       {"oauth_token_secret", grant.token.secret},
                       {"user_id", std::to_string(grant.user.id)},
                       {"screen_name", grant.user.screen_name}});
}

ApiError FromRequestTokenProblem(signin::RequestTokenProblem problem) {
  switch (problem) {
    case signin::RequestTokenProblem::kAppRevoked:
      return errors::kCouldNotAuthenticate;
    case signin::RequestTokenProblem::kBadCallback:
    case signin::RequestTokenProblem::kCallbackNotApproved:
      return errors::kCallbackNotApproved;
    case signin::RequestTokenProblem::kBadAccessType:
      return errors::kAccessTypeInvalid;
  }
  return errors::kCouldNotAuthenticate;
}

ApiError FromXAuthRefusal(signin::XAuthRefusal refusal) {
  switch (refusal) {
    case signin::XAuthRefusal::kNotAllowed:
    case signin::XAuthRefusal::kBadCredentials:
      return errors::kCouldNotAuthenticate;
    case signin::XAuthRefusal::kThrottled:
      return errors::kRateLimited;
    case signin::XAuthRefusal::kBadAccessType:
      return errors::kAccessTypeInvalid;
  }
  return errors::kCouldNotAuthenticate;
}

http::Response XAuth(ApiContext& context, const http::Request& request,
                     const ConsumerCall& consumer, Params& params) {
  const std::string screen_name(FindParam(params, "x_auth_username").value_or(""));
  std::optional<signin::Password> password;
  for (auto& [name, value] : params) {
    if (name != "x_auth_password") continue;
    password.emplace(value);
    OPENSSL_cleanse(value.data(), value.size());
    break;
  }
  if (screen_name.empty() || !password || password->empty()) {
    return ErrorResponse(errors::kCouldNotAuthenticate);
  }
  auto granted = context.flow.XAuth(consumer.app, screen_name, *password, request.client_address,
                                    FindParam(params, "x_auth_access_type"), NowSeconds());
  if (!granted.ok()) return ErrorResponse(FromXAuthRefusal(granted.error()));
  return GrantResponse(*granted);
}

}  // namespace

http::Response RequestToken(ApiContext& context, const http::Request& request, Call& call) {
  const ConsumerCall& consumer = *call.consumer;
  // A request token is asked for by the consumer alone.
  if (consumer.request_token) return ErrorResponse(errors::kCouldNotAuthenticate);
  std::optional<std::string_view> callback = FindParam(consumer.oauth, "oauth_callback");
  if (!callback || callback->empty()) return ErrorResponse(errors::kBadAuthenticationData);
  const Params params = RequestParams(request);
  auto issued = context.flow.IssueRequestToken(
      consumer.app, *callback, FindParam(params, "x_auth_access_type"), NowSeconds());
  if (!issued.ok()) return ErrorResponse(FromRequestTokenProblem(issued.error()));
  return FormResponse({{"oauth_token", issued->token},
                       {"oauth_token_secret", issued->secret},
                       {"oauth_callback_confirmed", "true"}});
}

http::Response AccessToken(ApiContext& context, const http::Request& request, Call& call) {
  const ConsumerCall& consumer = *call.consumer;
  if (consumer.request_token) {
    const std::string_view verifier = FindParam(consumer.oauth, "oauth_verifier").value_or("");
    auto exchanged =
        context.flow.Exchange(consumer.app, consumer.request_token->token, verifier, NowSeconds());
    if (!exchanged.ok()) return ErrorResponse(errors::kInvalidToken);
    return GrantResponse(*exchanged);
  }
  Params params = RequestParams(request);
  if (FindParam(params, "x_auth_mode") == "client_auth") {
    return XAuth(context, request, consumer, params);
  }
  // Signed by the consumer alone, with neither a request token nor xAuth (twurl asks this
  // first, and falls back to the PIN flow on 401).
  return ErrorResponse(errors::kCouldNotAuthenticate);
}

http::Response InvalidateAccessToken(ApiContext& context, const http::Request& request,
                                     Call& call) {
  const std::string& token = call.principal->access_token;
  if (!context.store.RevokeAccessToken(token)) return ErrorResponse(errors::kInvalidToken);
  return JsonResponse(boost::json::serialize(boost::json::object{{"access_token", token}}));
}

}  // namespace portrait::api
