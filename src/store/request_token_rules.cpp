#include "store/request_token_rules.h"

#include <openssl/crypto.h>

namespace portrait::store {
namespace {

bool SameSecret(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

ExchangeDecision DecideExchange(const std::optional<RequestToken>& token, int64_t app_id,
                                std::string_view verifier, int64_t now) {
  if (!token) return {ExchangeRefusal::kUnknownToken, false};
  if (token->app_id != app_id) return {ExchangeRefusal::kWrongApp, false};
  if (now >= token->expires_at) return {ExchangeRefusal::kExpired, false};
  switch (token->state) {
    case RequestTokenState::kPending:
      return {ExchangeRefusal::kNotAuthorized, false};
    case RequestTokenState::kDenied:
      return {ExchangeRefusal::kDenied, false};
    case RequestTokenState::kUsed:
      return {ExchangeRefusal::kAlreadyUsed, false};
    case RequestTokenState::kAuthorized:
      break;
  }
  if (!token->verifier || !token->user_id || !SameSecret(*token->verifier, verifier)) {
    return {ExchangeRefusal::kWrongVerifier, true};
  }
  return {std::nullopt, true};
}

RequestTokenRefusal WhyUndecidable(const std::optional<RequestToken>& token, int64_t now) {
  if (!token) return RequestTokenRefusal::kUnknown;
  if (now >= token->expires_at) return RequestTokenRefusal::kExpired;
  return RequestTokenRefusal::kAlreadyDecided;
}

}  // namespace portrait::store
