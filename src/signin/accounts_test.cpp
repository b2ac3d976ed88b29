#include "signin/accounts.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include "signin/signin_test_fixture.h"

namespace portrait::signin {
namespace {

constexpr const char* kAddress = "203.0.113.9";

store::NewUser Profile(const std::string& screen_name) {
  store::NewUser profile;
  profile.screen_name = screen_name;
  profile.name = screen_name;
  return profile;
}

class AccountsTest : public SignInTest {
 protected:
  store::User Create(const std::string& screen_name, const std::string& password) {
    Result<store::User, AccountProblem> user =
        accounts_.CreateAccount(Profile(screen_name), Password(password), kNow);
    EXPECT_TRUE(user.ok());
    return user.ok() ? *user : store::User{};
  }

  Result<store::User, SignInRefusal> SignIn(const std::string& screen_name,
                                            const std::string& password,
                                            const std::string& address = kAddress,
                                            int64_t now = kNow + 1) {
    return accounts_.SignIn(screen_name, Password(password), address, now);
  }

  std::optional<SignInRefusal> Refusal(const std::string& screen_name, const std::string& password,
                                       const std::string& address = kAddress,
                                       int64_t now = kNow + 1) {
    Result<store::User, SignInRefusal> result = SignIn(screen_name, password, address, now);
    if (result.ok()) return std::nullopt;
    return result.error();
  }

  Accounts accounts_{*store_, options_};
};

TEST_F(AccountsTest, CreatedPersonSignsInWithHerPasswordOnly) {
  store::User jack = Create("jack", "correct horse battery");
  Result<store::User, SignInRefusal> signed_in = SignIn("jack", "correct horse battery");
  ASSERT_TRUE(signed_in.ok());
  EXPECT_EQ(signed_in->id, jack.id);
  EXPECT_TRUE(SignIn("JACK", "correct horse battery").ok());
  EXPECT_TRUE(SignIn("@jack", "correct horse battery").ok());
  EXPECT_EQ(Refusal("jack", "correct horse batter"), SignInRefusal::kBadCredentials);
  // The store holds a hash, not the password.
  std::optional<std::string> hash = store_->FindPasswordHash(jack.id);
  ASSERT_TRUE(hash);
  EXPECT_TRUE(hash->starts_with("$argon2id$"));
  EXPECT_EQ(hash->find("correct horse"), std::string::npos);
}

TEST_F(AccountsTest, UnknownNameWrongPasswordAndNoPasswordGetOneAnswer) {
  Create("known", "the right password");
  ASSERT_TRUE(store_->CreateUser(Profile("nopassword"), kNow).ok());
  EXPECT_EQ(Refusal("known", "a wrong password"), SignInRefusal::kBadCredentials);
  EXPECT_EQ(Refusal("unknown", "a wrong password"), SignInRefusal::kBadCredentials);
  EXPECT_EQ(Refusal("nopassword", "a wrong password"), SignInRefusal::kBadCredentials);
  EXPECT_EQ(Refusal("not a name!", "a wrong password"), SignInRefusal::kBadCredentials);
  EXPECT_EQ(Refusal("known", std::string(5000, 'x')), SignInRefusal::kBadCredentials);
}

template <class Work>
double MedianMillis(Work work) {
  std::vector<double> times;
  for (int i = 0; i < 7; ++i) {
    const auto start = std::chrono::steady_clock::now();
    work(i);
    times.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

TEST_F(AccountsTest, UnknownNameCostsWhatAWrongPasswordCosts) {
  SignInOptions costly = options_;
  costly.hashing.iterations = 3;
  costly.hashing.memory_bytes = 8 << 20;  // tens of milliseconds a hash
  costly.throttle.per_account.max_attempts = 100;
  Accounts accounts(*store_, costly);
  ASSERT_TRUE(accounts.CreateAccount(Profile("timed"), Password("the right password"), kNow).ok());
  auto wrong_guess = [&](const std::string& screen_name) {
    return [&accounts, screen_name](int i) {
      EXPECT_FALSE(accounts
                       .SignIn(screen_name, Password("wrong guess " + std::to_string(i)),
                               "198.51.100." + std::to_string(i), kNow + i)
                       .ok());
    };
  };
  const double wrong_password = MedianMillis(wrong_guess("timed"));
  const double unknown_name = MedianMillis(wrong_guess("nobody_here"));
  PasswordHasher hasher(costly.hashing);
  const std::string hash = hasher.Hash(Password("x"));
  const double one_hash =
      MedianMillis([&](int) { EXPECT_FALSE(hasher.Verify(hash, Password("y"))); });
  // Without the dummy verification an unknown name would answer one hash sooner.
  EXPECT_LT(std::abs(unknown_name - wrong_password), one_hash / 2)
      << "unknown " << unknown_name << " ms, wrong password " << wrong_password << " ms, one hash "
      << one_hash << " ms";
}

TEST_F(AccountsTest, AccountIsThrottledAfterFiveFailuresEvenForTheRightPassword) {
  Create("target", "the right password");
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Refusal("target", "guess " + std::to_string(i), "198.51.100." + std::to_string(i)),
              SignInRefusal::kBadCredentials);
  }
  EXPECT_EQ(Refusal("target", "the right password", "192.0.2.1"), SignInRefusal::kThrottled);
  EXPECT_EQ(Refusal("TARGET", "another guess", "192.0.2.2"), SignInRefusal::kThrottled);
  // The lock lasts 15 minutes.
  EXPECT_EQ(Refusal("target", "the right password", "192.0.2.1", kNow + 900),
            SignInRefusal::kThrottled);
  EXPECT_TRUE(SignIn("target", "the right password", "192.0.2.1", kNow + 902).ok());
}

TEST_F(AccountsTest, UnknownNameIsThrottledLikeAKnownOne) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Refusal("ghost", "guess", "198.51.100." + std::to_string(i)),
              SignInRefusal::kBadCredentials);
  }
  EXPECT_EQ(Refusal("ghost", "guess", "192.0.2.1"), SignInRefusal::kThrottled);
}

TEST_F(AccountsTest, AddressIsThrottledAfterTwentyFailuresAcrossAccounts) {
  Create("victim", "the right password");
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(Refusal("name" + std::to_string(i), "guess", "2001:db8:5:5::" + std::to_string(i)),
              SignInRefusal::kBadCredentials);
  }
  // Another address in the same /64 is the same client.
  EXPECT_EQ(Refusal("victim", "the right password", "2001:db8:5:5:ffff::1"),
            SignInRefusal::kThrottled);
  EXPECT_TRUE(SignIn("victim", "the right password", "2001:db8:5:6::1").ok());
}

TEST_F(AccountsTest, SuccessForgetsTheAccountsFailuresButNotTheAddresses) {
  options_.throttle.per_address.max_attempts = 6;
  Accounts accounts(*store_, options_);
  ASSERT_TRUE(accounts.CreateAccount(Profile("typo"), Password("the right password"), kNow).ok());
  auto attempt = [&](const std::string& password) {
    return accounts.SignIn("typo", Password(password), kAddress, kNow + 1);
  };
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(attempt("typo " + std::to_string(i)).ok());
  EXPECT_TRUE(attempt("the right password").ok());
  // Four more failures would lock the account had the four before been kept; the address has
  // counted its four failures (the success took only its own attempt back): two more pass.
  EXPECT_EQ(attempt("again").error(), SignInRefusal::kBadCredentials);
  EXPECT_EQ(attempt("again").error(), SignInRefusal::kBadCredentials);
  EXPECT_EQ(attempt("the right password").error(), SignInRefusal::kThrottled);
}

TEST_F(AccountsTest, CreateAccountRefusesBadNamesTakenNamesAndWeakPasswords) {
  Create("taken", "a good password");
  auto problem = [&](const std::string& name, const std::string& password) {
    return accounts_.CreateAccount(Profile(name), Password(password), kNow).error();
  };
  EXPECT_EQ(problem("no spaces please", "a good password"), AccountProblem::kBadScreenName);
  EXPECT_EQ(problem("sixteen_chars_xx", "a good password"), AccountProblem::kBadScreenName);
  EXPECT_EQ(problem("TAKEN", "a good password"), AccountProblem::kScreenNameTaken);
  EXPECT_EQ(problem("short", "1234567"), AccountProblem::kPasswordTooShort);
  EXPECT_EQ(problem("long", std::string(1025, 'x')), AccountProblem::kPasswordTooLong);
  // A refused password leaves no account behind.
  EXPECT_FALSE(store_->FindUserByScreenName("short"));
  EXPECT_EQ(DescribeAccountProblem(AccountProblem::kPasswordTooShort, options_.password_policy),
            "a password takes at least 8 characters");
}

TEST_F(AccountsTest, SignUpIsRefusedUnlessOpen) {
  EXPECT_EQ(accounts_.SignUp("newcomer", Password("a good password"), kNow).error(),
            AccountProblem::kSignUpClosed);
  EXPECT_FALSE(store_->FindUserByScreenName("newcomer"));
  options_.open_sign_up = true;
  Accounts open(*store_, options_);
  Result<store::User, AccountProblem> user = open.SignUp("newcomer", Password("a good pass"), kNow);
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->screen_name, "newcomer");
  EXPECT_TRUE(open.SignIn("newcomer", Password("a good pass"), kAddress, kNow + 1).ok());
  EXPECT_EQ(open.SignUp("NEWCOMER", Password("a good pass"), kNow).error(),
            AccountProblem::kScreenNameTaken);
}

TEST_F(AccountsTest, NewPasswordReplacesTheOldOneAndEndsEverySession) {
  store::User user = Create("changer", "the old password");
  store_->CreateWebSession(
      store::WebSession{"hash", user.id, "csrf", kNow, kNow, kNow + 600, kNow + 3600});
  ASSERT_TRUE(accounts_.SetPassword(user.id, Password("the new password"), kNow + 1).ok());
  EXPECT_EQ(Refusal("changer", "the old password"), SignInRefusal::kBadCredentials);
  EXPECT_TRUE(SignIn("changer", "the new password").ok());
  EXPECT_FALSE(store_->TouchWebSession("hash", kNow + 2, 600));
  EXPECT_EQ(accounts_.SetPassword(user.id, Password("short"), kNow).error(),
            AccountProblem::kPasswordTooShort);
  EXPECT_EQ(accounts_.SetPassword(user.id + 100, Password("long enough"), kNow).error(),
            AccountProblem::kUnknownUser);
}

TEST_F(AccountsTest, SignInRehashesAPasswordHashedWithOtherLimits) {
  store::User user = Create("upgraded", "the right password");
  const std::string old_hash = *store_->FindPasswordHash(user.id);
  SignInOptions stronger = options_;
  stronger.hashing.iterations = 2;
  Accounts upgraded(*store_, stronger);
  ASSERT_TRUE(upgraded.SignIn("upgraded", Password("the right password"), kAddress, kNow).ok());
  const std::string new_hash = *store_->FindPasswordHash(user.id);
  EXPECT_NE(new_hash, old_hash);
  EXPECT_NE(new_hash.find("t=2"), std::string::npos) << new_hash;
  EXPECT_TRUE(upgraded.SignIn("upgraded", Password("the right password"), kAddress, kNow).ok());
  EXPECT_EQ(*store_->FindPasswordHash(user.id), new_hash);  // no rehash without need
}

}  // namespace
}  // namespace portrait::signin
