#include "common/random.h"

#include <openssl/rand.h>

#include <string_view>

#include "common/result.h"

namespace portrait {
namespace {

std::string RandomFrom(std::string_view alphabet, size_t length) {
  std::string out;
  out.reserve(length);
  // Rejection sampling keeps the distribution uniform for any alphabet size.
  const unsigned limit = 256 - (256 % alphabet.size());
  unsigned char buffer[64];
  while (out.size() < length) {
    if (RAND_bytes(buffer, sizeof buffer) != 1) throw Fault("RAND_bytes failed");
    for (unsigned char b : buffer) {
      if (b >= limit) continue;
      out.push_back(alphabet[b % alphabet.size()]);
      if (out.size() == length) break;
    }
  }
  return out;
}

}  // namespace

std::string RandomAlphanumeric(size_t length) {
  return RandomFrom("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", length);
}

std::string RandomLowerAlphanumeric(size_t length) {
  return RandomFrom("abcdefghijklmnopqrstuvwxyz0123456789", length);
}

}  // namespace portrait
