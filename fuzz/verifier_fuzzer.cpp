// OAuth verification of arbitrary requests: Authorization header, method, host, path, query,
// Content-Type and body from one input, against one known consumer and token. Half the runs
// re-sign the fuzzed parameters correctly, so the checks past the signature are reached too.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

#include "fuzz_input.h"
#include "oauth/signature.h"
#include "oauth/verifier.h"

namespace {

using namespace portrait::oauth;

constexpr int64_t kNow = 1'700'000'000;

Lookups KnownKeys() {
  Lookups lookups;
  lookups.consumer_secret = [](std::string_view key) -> std::optional<std::string> {
    if (key == "ck") return "cs";
    return std::nullopt;
  };
  lookups.token_secret = [](std::string_view,
                            std::string_view token) -> std::optional<std::string> {
    if (token == "tk") return "ts";
    return std::nullopt;
  };
  lookups.record_nonce = [](std::string_view, std::string_view, std::string_view nonce, int64_t) {
    return nonce != "replayed";
  };
  return lookups;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  bool sign = data[0] & 1;
  auto fields = portrait::fuzz::SplitFields(data + 1, size - 1, 6);
  SignedRequest request;
  request.method = std::string(fields[1]);
  request.scheme = "https";
  request.host = std::string(fields[2]);
  request.path = std::string(fields[3]);
  request.query = std::string(fields[4]);
  request.content_type = "application/x-www-form-urlencoded";
  request.body = fields[5];
  if (sign) {
    std::string url = "https://" + request.host + request.path;
    if (!request.query.empty()) url += "?" + request.query;
    SigningOptions options{.method = SignatureMethod::kHmacSha1,
                           .nonce = std::string(fields[0]),
                           .timestamp = kNow,
                           .hashed_body = std::nullopt};
    try {
      request.authorization = AuthorizationHeader({"ck", "cs", "tk", "ts"}, request.method, url,
                                                  portrait::ParseUrlEncoded(request.body), options);
    } catch (const std::invalid_argument&) {
      return 0;  // the documented refusal of a url without "scheme://"
    }
  } else {
    request.authorization = std::string(fields[0]);
  }
  auto verified = Verify(request, KnownKeys(), {.now = kNow, .timestamp_window_seconds = 600});
  if (verified.ok() && verified->consumer_key != "ck") std::abort();
  return 0;
}
