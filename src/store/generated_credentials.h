#pragma once
// The credentials the store generates, shaped as Twitter's: random characters from [A-Za-z0-9]
// (unreserved in RFC 3986, so no client escapes them differently), the same on every backend.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/random.h"

namespace portrait::store {

inline constexpr size_t kConsumerKeyLength = 25;
inline constexpr size_t kConsumerSecretLength = 50;
inline constexpr size_t kAccessTokenRandomLength = 40;
inline constexpr size_t kAccessTokenSecretLength = 45;
inline constexpr std::string_view kBearerTokenPrefix = "AAAAAAAAAAAAAAAAAAAAA";  // as Twitter's
inline constexpr size_t kBearerTokenRandomLength = 80;
inline constexpr size_t kRequestTokenLength = 32;
inline constexpr size_t kRequestTokenSecretLength = 32;

inline std::string GenerateConsumerKey() { return RandomAlphanumeric(kConsumerKeyLength); }
inline std::string GenerateConsumerSecret() { return RandomAlphanumeric(kConsumerSecretLength); }
// "{user_id}-{random}", as Twitter's access tokens look.
inline std::string GenerateAccessToken(int64_t user_id) {
  return std::to_string(user_id) + "-" + RandomAlphanumeric(kAccessTokenRandomLength);
}
inline std::string GenerateAccessTokenSecret() {
  return RandomAlphanumeric(kAccessTokenSecretLength);
}
inline std::string GenerateBearerToken() {
  return std::string(kBearerTokenPrefix) + RandomAlphanumeric(kBearerTokenRandomLength);
}
inline std::string GenerateRequestToken() { return RandomAlphanumeric(kRequestTokenLength); }
inline std::string GenerateRequestTokenSecret() {
  return RandomAlphanumeric(kRequestTokenSecretLength);
}

}  // namespace portrait::store
