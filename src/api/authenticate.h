#pragma once
// Who is calling: OAuth 1.0a user context (SPEC §4), an app-only bearer token, or an app alone
// (the consumer, on the OAuth endpoints of SPEC §8).
#include <cstdint>
#include <optional>
#include <string>

#include "api/api_context.h"
#include "api/api_error.h"
#include "common/result.h"
#include "http/message.h"

namespace portrait::api {

struct Principal {
  bool app_only = false;
  int64_t app_id = 0;
  int64_t user_id = 0;         // 0 for app-only
  std::string rate_key;        // "user:{id}" or "app:{id}"
  std::string access_token{};  // the OAuth 1.0a token used; empty for app-only
  // What the token may do; app-only bearer tokens read.
  store::AccessLevel access_level = store::AccessLevel::kRead;
};

// An app signing as itself: oauth/request_token and oauth/access_token.
struct ConsumerCall {
  store::App app;
  // The request token the request was signed with, if any (access_token's leg).
  std::optional<store::RequestToken> request_token;
  Params oauth;  // every oauth_* parameter sent (oauth_callback, oauth_verifier, ...)
};

// Whether the request carries "Authorization: Bearer ..." (app-only authentication).
bool HasBearerToken(const http::Request& request);

// OAuth 1.0a with an access token. A bearer token here gets 403/220.
Result<Principal, ApiError> AuthenticateUser(ApiContext& context, const http::Request& request);

// OAuth 1.0a with an access token, or an app-only bearer token.
Result<Principal, ApiError> AuthenticateUserOrApp(ApiContext& context,
                                                  const http::Request& request);

// OAuth 1.0a signed by an app's consumer key and secret; an oauth_token, when sent, must be a
// request token of that app (whatever its state: the endpoint judges it), whose secret signs
// too. Failures as SPEC §5: 400/215 malformed, 401/32 bad signature or unknown consumer, 401/89
// a token that is no request token of this app, 401/135 the clock.
Result<ConsumerCall, ApiError> AuthenticateConsumer(ApiContext& context,
                                                    const http::Request& request);

}  // namespace portrait::api
