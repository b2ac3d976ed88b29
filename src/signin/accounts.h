#pragma once
// People and their passwords: creating accounts (by the operator, or by sign-up when it is
// open), changing passwords, and the sign-in check.
//
// The sign-in check answers one of three things: the user, kBadCredentials or kThrottled.
// kBadCredentials is the same answer, at a comparable cost, whether the screen name is unknown,
// has no password, or the password is wrong (an unknown name is verified against a dummy hash).
// Each attempt is counted, before any password is looked at, under the client's address and,
// for a well-formed screen name, under that name (known or not, so a lock-out tells nothing
// either); past either limit the answer is kThrottled whether or not the password is right.
// A success forgets the name's attempts, takes its own attempt back from the address, and
// rehashes the password when the hashing limits changed.
//
// Passwords are never logged and never kept beyond the call. Safe for concurrent use; the store
// must outlive this object.
#include <string_view>

#include "common/result.h"
#include "signin/password.h"
#include "signin/password_hasher.h"
#include "signin/signin_options.h"
#include "store/metadata_store.h"

namespace portrait::signin {

enum class AccountProblem {
  kBadScreenName,  // not Twitter's [A-Za-z0-9_]{1,15}
  kScreenNameTaken,
  kBadProfile,  // a profile field breaks store::CheckNewUser (the store's message says which)
  kPasswordTooShort,
  kPasswordTooLong,
  kSignUpClosed,
  kUnknownUser,
};

// An operator-facing sentence ("passwords take at least 8 characters"); never holds the
// password.
std::string DescribeAccountProblem(AccountProblem problem, const PasswordPolicy& policy);

enum class SignInRefusal {
  kBadCredentials,  // unknown name, no password, or a wrong one: one answer for all
  kThrottled,       // too many attempts for this name or from this address
};

class Accounts {
 public:
  // Throws Fault when the hashing options are out of libsodium's range.
  Accounts(store::MetadataStore& store, const SignInOptions& options);

  // A new person with a password (the operator's `users create`). The profile's screen name
  // must be valid and free; the password must meet the policy.
  Result<store::User, AccountProblem> CreateAccount(const store::NewUser& profile,
                                                    const Password& password, int64_t now);
  // A person making her own account; kSignUpClosed unless options.open_sign_up.
  Result<store::User, AccountProblem> SignUp(std::string_view screen_name, const Password& password,
                                             int64_t now);
  // Sets (or replaces) the password of an existing person and ends all of her web sessions.
  Result<store::User, AccountProblem> SetPassword(int64_t user_id, const Password& password,
                                                  int64_t now);

  // screen_name may start with '@'; client_address is the peer's IP as the server saw it.
  Result<store::User, SignInRefusal> SignIn(std::string_view screen_name, const Password& password,
                                            std::string_view client_address, int64_t now);

  const SignInOptions& options() const { return options_; }

 private:
  std::optional<AccountProblem> CheckNewPassword(const Password& password) const;

  store::MetadataStore& store_;
  const SignInOptions options_;
  PasswordHasher hasher_;
};

}  // namespace portrait::signin
