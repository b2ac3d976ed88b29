#pragma once
// Argon2id password hashes through libsodium (crypto_pwhash_str and friends): the encoded form
// carries the algorithm, its limits and a random salt, so hashes made with other limits still
// verify and NeedsRehash says when to redo one.
//
// Cost: each Hash or Verify takes options.memory_bytes of memory and, with the defaults, about
// 0.2 s of one core. At most options.max_concurrent run at once; callers beyond that wait, so a
// flood of sign-ins queues instead of exhausting memory. Safe for concurrent use.
#include <mutex>
#include <semaphore>
#include <string>
#include <string_view>

#include "common/result.h"
#include "signin/password.h"
#include "signin/signin_options.h"

namespace portrait::signin {

// Whether libsodium accepts these limits; Status::Error names the range.
Status CheckPasswordHashOptions(const PasswordHashOptions& options);

class PasswordHasher {
 public:
  // Throws Fault when libsodium cannot start or the options are outside its limits.
  explicit PasswordHasher(const PasswordHashOptions& options);

  // The encoded hash. Throws Fault when the memory cannot be had.
  std::string Hash(const Password& password);
  // Whether password matches encoded; false for anything that is not a valid encoded hash.
  bool Verify(std::string_view encoded, const Password& password);
  // Does the work of Verify against a hash of this hasher's limits and discards the answer, so
  // an unknown screen name costs what a wrong password costs. The first call also makes that
  // hash (one Hash more, once per process), so that a hasher that never meets an unknown name,
  // as in most CLI commands, never pays for it.
  void VerifyAgainstDummy(const Password& password);
  // Whether encoded was made with other limits (or another algorithm) than this hasher's.
  bool NeedsRehash(std::string_view encoded) const;

 private:
  const PasswordHashOptions options_;
  std::counting_semaphore<> slots_;
  std::once_flag dummy_made_;
  std::string dummy_hash_;  // a hash of random bytes, made by the first VerifyAgainstDummy
};

}  // namespace portrait::signin
