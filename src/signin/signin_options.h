#pragma once
// How signing people in behaves: password rules and hashing cost, throttling of failed
// sign-ins, web sessions, open sign-up and request tokens. Defaults live here only; `portrait
// serve` and the `users` commands read settings into these (src/cli).
#include <cstddef>
#include <cstdint>

#include "store/signin_records.h"

namespace portrait::signin {

// OWASP's Authentication Cheat Sheet: at least 8 characters, long passphrases allowed, every
// character allowed, nothing truncated.
struct PasswordPolicy {
  size_t min_characters = 8;  // Unicode code points
  size_t max_bytes = 1024;    // longer ones are refused, never truncated
};

// Argon2id through libsodium's crypto_pwhash_str. The defaults are libsodium's INTERACTIVE
// limits (2 passes over 64 MiB), above OWASP's minimum (2 passes over 19 MiB); on a 2-core
// machine shared with other work one hash took about 0.2 s (MODERATE, 3 passes over 256 MiB,
// took 1.1 s, too slow for a sign-in page). Hashes made with other limits still verify, and are
// redone with these at the next successful sign-in.
struct PasswordHashOptions {
  uint64_t iterations = 2;                 // crypto_pwhash's opslimit
  size_t memory_bytes = size_t{64} << 20;  // crypto_pwhash's memlimit
  // Hashes computed at once at most; more wait. Each holds memory_bytes while it runs.
  int max_concurrent = 2;
};

struct ThrottleOptions {
  // Counted per screen name (known or not, so a lock-out reveals nothing) and per client address
  // (IPv6 by its /64). A success forgets the account's attempts and takes its own attempt back
  // from the address.
  store::ThrottlePolicy per_account{5, 900, 900};
  store::ThrottlePolicy per_address{20, 900, 900};
};

// OWASP's Session Management Cheat Sheet: an idle and an absolute timeout.
struct SessionOptions {
  int64_t idle_seconds = int64_t{30} * 60;
  int64_t absolute_seconds = int64_t{8} * 60 * 60;
};

struct FlowOptions {
  int64_t request_token_seconds = int64_t{15} * 60;  // as Twitter's
};

struct SignInOptions {
  PasswordPolicy password_policy;
  PasswordHashOptions hashing;
  ThrottleOptions throttle;
  SessionOptions sessions;
  FlowOptions flow;
  bool open_sign_up = false;  // people may make their own accounts
};

}  // namespace portrait::signin
