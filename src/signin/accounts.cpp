#include "signin/accounts.h"

#include <string>

#include "signin/screen_name.h"
#include "signin/throttle_keys.h"

namespace portrait::signin {

std::string DescribeAccountProblem(AccountProblem problem, const PasswordPolicy& policy) {
  switch (problem) {
    case AccountProblem::kBadScreenName:
      return "a screen name takes 1 to 15 letters, digits or underscores";
    case AccountProblem::kScreenNameTaken:
      return "that screen name is taken";
    case AccountProblem::kBadProfile:
      return "a profile field breaks Twitter's rules";
    case AccountProblem::kPasswordTooShort:
      return "a password takes at least " + std::to_string(policy.min_characters) + " characters";
    case AccountProblem::kPasswordTooLong:
      return "a password takes at most " + std::to_string(policy.max_bytes) + " bytes";
    case AccountProblem::kSignUpClosed:
      return "sign-up is closed";
    case AccountProblem::kUnknownUser:
      return "no such user";
  }
  return "unknown problem";
}

Accounts::Accounts(store::MetadataStore& store, const SignInOptions& options)
    : store_(store), options_(options), hasher_(options.hashing) {}

std::optional<AccountProblem> Accounts::CheckNewPassword(const Password& password) const {
  std::optional<PasswordProblem> problem = CheckPassword(password, options_.password_policy);
  if (!problem) return std::nullopt;
  return *problem == PasswordProblem::kTooShort ? AccountProblem::kPasswordTooShort
                                                : AccountProblem::kPasswordTooLong;
}

Result<store::User, AccountProblem> Accounts::CreateAccount(const store::NewUser& profile,
                                                            const Password& password, int64_t now) {
  if (!IsValidScreenName(profile.screen_name)) return Failure{AccountProblem::kBadScreenName};
  if (std::optional<AccountProblem> problem = CheckNewPassword(password)) return Failure{*problem};
  // Hashed before the user exists, so that a failure leaves no account without its password.
  const std::string hash = hasher_.Hash(password);
  Result<store::User, store::ProfileViolation> created = store_.CreateUser(profile, now);
  if (!created.ok()) {
    const store::ProfileViolation& violation = created.error();
    if (violation.field != store::ProfileField::kScreenName) {
      return Failure{AccountProblem::kBadProfile};
    }
    return Failure{violation.problem == store::ProfileProblem::kTaken
                       ? AccountProblem::kScreenNameTaken
                       : AccountProblem::kBadScreenName};
  }
  if (!store_.SetPasswordHash(created->id, hash, now)) {
    throw Fault("the user created a moment ago is gone: " + profile.screen_name);
  }
  return std::move(*created);
}

Result<store::User, AccountProblem> Accounts::SignUp(std::string_view screen_name,
                                                     const Password& password, int64_t now) {
  if (!options_.open_sign_up) return Failure{AccountProblem::kSignUpClosed};
  store::NewUser profile;
  profile.screen_name = std::string(screen_name);
  profile.name = std::string(screen_name);
  return CreateAccount(profile, password, now);
}

Result<store::User, AccountProblem> Accounts::SetPassword(int64_t user_id, const Password& password,
                                                          int64_t now) {
  if (std::optional<AccountProblem> problem = CheckNewPassword(password)) return Failure{*problem};
  std::optional<store::User> user = store_.FindUserById(user_id);
  if (!user) return Failure{AccountProblem::kUnknownUser};
  if (!store_.SetPasswordHash(user_id, hasher_.Hash(password), now)) {
    return Failure{AccountProblem::kUnknownUser};
  }
  return std::move(*user);
}

Result<store::User, SignInRefusal> Accounts::SignIn(std::string_view screen_name,
                                                    const Password& password,
                                                    std::string_view client_address, int64_t now) {
  if (screen_name.starts_with('@')) screen_name.remove_prefix(1);  // as users/show takes it
  const std::string address_key = AddressThrottleKey(client_address);
  if (store_.CountSignInAttempt(address_key, now, options_.throttle.per_address).locked(now)) {
    return Failure{SignInRefusal::kThrottled};
  }
  const bool well_formed = IsValidScreenName(screen_name);
  const std::string account_key = AccountThrottleKey(screen_name);
  if (well_formed &&
      store_.CountSignInAttempt(account_key, now, options_.throttle.per_account).locked(now)) {
    return Failure{SignInRefusal::kThrottled};
  }
  // A password no account can have is wrong without being hashed (and cannot cost the server
  // a hash of a megabyte).
  if (password.size() > options_.password_policy.max_bytes) {
    return Failure{SignInRefusal::kBadCredentials};
  }
  std::optional<store::User> user;
  std::optional<std::string> hash;
  if (well_formed) user = store_.FindUserByScreenName(screen_name);
  if (user) hash = store_.FindPasswordHash(user->id);
  if (!hash) {
    hasher_.VerifyAgainstDummy(password);
    return Failure{SignInRefusal::kBadCredentials};
  }
  if (!hasher_.Verify(*hash, password)) return Failure{SignInRefusal::kBadCredentials};
  store_.ClearSignInAttempts(account_key);
  store_.RefundSignInAttempt(address_key, now);
  if (hasher_.NeedsRehash(*hash)) {
    // Loses, harmlessly, to a password change made since the hash was read.
    store_.ReplacePasswordHash(user->id, *hash, hasher_.Hash(password), now);
  }
  return std::move(*user);
}

}  // namespace portrait::signin
