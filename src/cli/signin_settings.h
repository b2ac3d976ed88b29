#pragma once
// The settings of signing people in (signin::SignInOptions) as `serve` and the `users`
// commands read them: flags, PORTRAIT_* variables or a --config file (settings.h).
#include <set>
#include <string>

#include "cli/flags.h"
#include "signin/signin_options.h"

namespace portrait::cli {

// The hashing settings: Argon2id's iterations, memory and concurrency.
extern const std::set<std::string> kPasswordHashFlags;
extern const std::string kPasswordHashUsage;
// Every sign-in setting (the hashing ones included), for serve.
extern const std::set<std::string> kSignInFlags;
extern const std::string kSignInUsage;

// Throws UsageError for a value out of range.
signin::SignInOptions ReadSignInOptions(const Flags& flags);

}  // namespace portrait::cli
