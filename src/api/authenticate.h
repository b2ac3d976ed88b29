#pragma once
// Who is calling: OAuth 1.0a user context (SPEC §4) or an app-only bearer token.
#include <cstdint>
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
};

// Whether the request carries "Authorization: Bearer ..." (app-only authentication).
bool HasBearerToken(const http::Request& request);

// OAuth 1.0a with an access token. A bearer token here gets 403/220.
Result<Principal, ApiError> AuthenticateUser(ApiContext& context, const http::Request& request);

// OAuth 1.0a with an access token, or an app-only bearer token.
Result<Principal, ApiError> AuthenticateUserOrApp(ApiContext& context,
                                                  const http::Request& request);

}  // namespace portrait::api
