// The OAuth Authorization header parser on arbitrary headers; checks the limits it promises.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "oauth/authorization_header.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view header(reinterpret_cast<const char*>(data), size);
  auto params = portrait::oauth::ParseAuthorizationHeader(header);
  if (!params.ok()) return 0;
  if (header.size() > portrait::oauth::kMaxAuthorizationHeaderBytes) std::abort();
  if (params->size() > portrait::oauth::kMaxAuthorizationParams) std::abort();
  for (const auto& [name, value] : *params) {
    if (name.empty() || name == "realm") std::abort();
  }
  return 0;
}
