#pragma once
// The rules a request token follows, decided once for both backends: each backend reads the
// token's row under its write lock, asks these functions, and applies the answer.
#include <cstdint>
#include <optional>
#include <string_view>

#include "store/signin_records.h"

namespace portrait::store {

struct ExchangeDecision {
  std::optional<ExchangeRefusal> refusal;  // empty: issue the access token
  bool use_up = false;                     // mark the request token used
};

// Whether token (the row as it stands, if any) may be exchanged by app_id with verifier at now.
// In order: unknown, another app's (left as it was), expired, still pending, denied, used; an
// authorized token with a wrong verifier (compared in constant time) is used up unexchanged.
ExchangeDecision DecideExchange(const std::optional<RequestToken>& token, int64_t app_id,
                                std::string_view verifier, int64_t now);

// Why a token could not be authorized or denied: it is unknown, expired, or decided already.
RequestTokenRefusal WhyUndecidable(const std::optional<RequestToken>& token, int64_t now);

}  // namespace portrait::store
