#include "cli/signin_settings.h"

#include "signin/password_hasher.h"

namespace portrait::cli {
namespace {

int64_t AtLeastOne(const Flags& flags, const std::string& name, int64_t fallback) {
  const int64_t value = flags.integer(name, fallback);
  if (value < 1) throw UsageError("--" + name + " must be 1 or more");
  return value;
}

store::ThrottlePolicy ReadThrottle(const Flags& flags, const std::string& prefix,
                                   const store::ThrottlePolicy& defaults) {
  store::ThrottlePolicy policy;
  policy.max_attempts = AtLeastOne(flags, prefix + "-attempts", defaults.max_attempts);
  policy.window_seconds = AtLeastOne(flags, prefix + "-window-seconds", defaults.window_seconds);
  policy.lockout_seconds = AtLeastOne(flags, prefix + "-lockout-seconds", defaults.lockout_seconds);
  return policy;
}

}  // namespace

const std::set<std::string> kPasswordHashFlags = {"argon2-iterations", "argon2-memory-bytes",
                                                  "argon2-concurrency"};

const std::string kPasswordHashUsage =
    "  --argon2-iterations N       password hashing passes (default 2: libsodium's INTERACTIVE)\n"
    "  --argon2-memory-bytes N     memory per password hash (default 67108864, 64 MiB)\n"
    "  --argon2-concurrency N      password hashes computed at once at most (default 2)\n";

const std::set<std::string> kSignInFlags = {"argon2-iterations",
                                            "argon2-memory-bytes",
                                            "argon2-concurrency",
                                            "sign-up",
                                            "signin-account-attempts",
                                            "signin-account-window-seconds",
                                            "signin-account-lockout-seconds",
                                            "signin-address-attempts",
                                            "signin-address-window-seconds",
                                            "signin-address-lockout-seconds",
                                            "session-idle-seconds",
                                            "session-max-seconds",
                                            "request-token-seconds"};

const std::string kSignInUsage =
    kPasswordHashUsage +
    "  --sign-up on|off            people may make their own accounts (default off)\n"
    "  --signin-account-attempts N, --signin-account-window-seconds N,\n"
    "  --signin-account-lockout-seconds N   sign-in attempts per screen name in a window, then\n"
    "                              locked (defaults 5, 900, 900)\n"
    "  --signin-address-attempts N, --signin-address-window-seconds N,\n"
    "  --signin-address-lockout-seconds N   the same per client address, IPv6 per /64\n"
    "                              (defaults 20, 900, 900)\n"
    "  --session-idle-seconds N    a web session ends after this long unused (default 1800)\n"
    "  --session-max-seconds N     and this long after sign-in in any case (default 28800)\n"
    "  --request-token-seconds N   a request token (and its verifier) of the sign-in flow\n"
    "                              expires this long after it was issued (default 900)\n";

signin::SignInOptions ReadSignInOptions(const Flags& flags) {
  signin::SignInOptions options;
  signin::PasswordHashOptions& hashing = options.hashing;
  hashing.iterations = static_cast<uint64_t>(
      AtLeastOne(flags, "argon2-iterations", static_cast<int64_t>(hashing.iterations)));
  hashing.memory_bytes = static_cast<size_t>(
      AtLeastOne(flags, "argon2-memory-bytes", static_cast<int64_t>(hashing.memory_bytes)));
  hashing.max_concurrent =
      static_cast<int>(AtLeastOne(flags, "argon2-concurrency", hashing.max_concurrent));
  if (Status checked = signin::CheckPasswordHashOptions(hashing); !checked.ok()) {
    throw UsageError(checked.message());
  }
  options.open_sign_up = flags.on_off("sign-up", options.open_sign_up);
  options.throttle.per_account =
      ReadThrottle(flags, "signin-account", options.throttle.per_account);
  options.throttle.per_address =
      ReadThrottle(flags, "signin-address", options.throttle.per_address);
  options.sessions.idle_seconds =
      AtLeastOne(flags, "session-idle-seconds", options.sessions.idle_seconds);
  options.sessions.absolute_seconds =
      AtLeastOne(flags, "session-max-seconds", options.sessions.absolute_seconds);
  options.flow.request_token_seconds =
      AtLeastOne(flags, "request-token-seconds", options.flow.request_token_seconds);
  return options;
}

}  // namespace portrait::cli
