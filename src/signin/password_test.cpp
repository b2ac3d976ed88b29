#include "signin/password.h"

#include <gtest/gtest.h>

#include <string>

namespace portrait::signin {
namespace {

std::optional<PasswordProblem> Check(const std::string& text) {
  return CheckPassword(Password(text), PasswordPolicy{});
}

TEST(PasswordPolicyTest, TakesEightCharactersAndRefusesSeven) {
  EXPECT_EQ(Check("12345678"), std::nullopt);
  EXPECT_EQ(Check("1234567"), PasswordProblem::kTooShort);
  EXPECT_EQ(Check(""), PasswordProblem::kTooShort);
}

TEST(PasswordPolicyTest, CountsCharactersNotBytes) {
  EXPECT_EQ(Check("pässwörd"), std::nullopt);                           // 8 characters, 10 bytes
  EXPECT_EQ(Check("\xF0\x9F\x94\x91\xF0\x9F\x94\x91\xF0\x9F\x94\x91"),  // 3 keys, 12 bytes
            PasswordProblem::kTooShort);
}

TEST(PasswordPolicyTest, AllowsSpacesAndAnyCharacterAndRefusesPastTheMaximumBytes) {
  EXPECT_EQ(Check("correct horse battery staple"), std::nullopt);
  EXPECT_EQ(Check(std::string("with\0nul!", 9)), std::nullopt);
  EXPECT_EQ(Check(std::string(1024, 'x')), std::nullopt);
  EXPECT_EQ(Check(std::string(1025, 'x')), PasswordProblem::kTooLong);
}

TEST(PasswordTest, KeepsItsBytesAndMovesThemOut) {
  Password password(std::string_view("s3cret pass", 11));
  EXPECT_EQ(password.view(), "s3cret pass");
  Password moved(std::move(password));
  EXPECT_EQ(moved.view(), "s3cret pass");
  EXPECT_TRUE(password.empty());  // NOLINT(bugprone-use-after-move): the moved-from state
  Password assigned;
  assigned = std::move(moved);
  EXPECT_EQ(assigned.size(), 11u);
  EXPECT_TRUE(moved.empty());  // NOLINT(bugprone-use-after-move)
}

}  // namespace
}  // namespace portrait::signin
