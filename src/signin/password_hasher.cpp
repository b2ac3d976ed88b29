#include "signin/password_hasher.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "common/random.h"
#include "common/result.h"
#include "signin/libsodium.h"

namespace portrait::signin {
namespace {

static_assert(PasswordHashOptions{}.iterations == crypto_pwhash_OPSLIMIT_INTERACTIVE);
static_assert(PasswordHashOptions{}.memory_bytes == crypto_pwhash_MEMLIMIT_INTERACTIVE);

constexpr size_t kDummyPasswordLength = 32;

// Holds one of the hasher's slots for the duration of a hash or a verification.
class Slot {
 public:
  explicit Slot(std::counting_semaphore<>& slots) : slots_(slots) { slots_.acquire(); }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;
  ~Slot() { slots_.release(); }

 private:
  std::counting_semaphore<>& slots_;
};

// crypto_pwhash's encoded form as the NUL-terminated buffer libsodium reads; false when it
// cannot be one.
bool CopyEncoded(std::string_view encoded, char (&buffer)[crypto_pwhash_STRBYTES]) {
  if (encoded.size() >= sizeof buffer || encoded.find('\0') != std::string_view::npos) {
    return false;
  }
  std::memcpy(buffer, encoded.data(), encoded.size());
  buffer[encoded.size()] = '\0';
  return true;
}

}  // namespace

Status CheckPasswordHashOptions(const PasswordHashOptions& options) {
  if (options.iterations < crypto_pwhash_OPSLIMIT_MIN ||
      options.iterations > crypto_pwhash_OPSLIMIT_MAX) {
    return Status::Error("Argon2id iterations must be " +
                         std::to_string(crypto_pwhash_OPSLIMIT_MIN) + " to " +
                         std::to_string(crypto_pwhash_OPSLIMIT_MAX));
  }
  if (options.memory_bytes < crypto_pwhash_MEMLIMIT_MIN ||
      options.memory_bytes > crypto_pwhash_MEMLIMIT_MAX) {
    return Status::Error("Argon2id memory must be " + std::to_string(crypto_pwhash_MEMLIMIT_MIN) +
                         " to " + std::to_string(crypto_pwhash_MEMLIMIT_MAX) + " bytes");
  }
  if (options.max_concurrent < 1) return Status::Error("at least one hash must be allowed at once");
  return Status::Ok();
}

PasswordHasher::PasswordHasher(const PasswordHashOptions& options)
    : options_(options), slots_(std::max(1, options.max_concurrent)) {
  InitLibsodium();
  if (Status checked = CheckPasswordHashOptions(options); !checked.ok()) {
    throw Fault(checked.message());
  }
}

std::string PasswordHasher::Hash(const Password& password) {
  char encoded[crypto_pwhash_STRBYTES];
  Slot slot(slots_);
  if (crypto_pwhash_str(encoded, password.view().data(), password.size(), options_.iterations,
                        options_.memory_bytes) != 0) {
    throw Fault("password hashing ran out of memory");
  }
  return encoded;
}

bool PasswordHasher::Verify(std::string_view encoded, const Password& password) {
  char buffer[crypto_pwhash_STRBYTES];
  if (!CopyEncoded(encoded, buffer)) return false;
  Slot slot(slots_);
  return crypto_pwhash_str_verify(buffer, password.view().data(), password.size()) == 0;
}

void PasswordHasher::VerifyAgainstDummy(const Password& password) {
  std::call_once(dummy_made_, [this] {
    dummy_hash_ = Hash(Password(RandomAlphanumeric(kDummyPasswordLength)));
  });
  [[maybe_unused]] const bool matched = Verify(dummy_hash_, password);
}

bool PasswordHasher::NeedsRehash(std::string_view encoded) const {
  char buffer[crypto_pwhash_STRBYTES];
  if (!CopyEncoded(encoded, buffer)) return true;
  return crypto_pwhash_str_needs_rehash(buffer, options_.iterations, options_.memory_bytes) != 0;
}

}  // namespace portrait::signin
