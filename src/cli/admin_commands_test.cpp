// The operator commands that write users, run as `portrait ...` would run them, on a real data
// directory: Twitter's rules for screen names and profile fields refuse bad input with a message
// naming the field.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/command.h"
#include "store/store_test_support.h"

namespace portrait::cli {
namespace {

constexpr int kUsageExit = 2;

struct Outcome {
  int exit_code = 0;
  std::string stdout_text;
  std::string stderr_text;
};

class AdminCommandsTest : public ::testing::Test {
 protected:
  Outcome Run(std::vector<std::string> args) {
    args.insert(args.begin(), "portrait");
    args.insert(args.begin() + 3, {"--data-dir", directory_.path().string()});
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    ::testing::internal::CaptureStdout();
    ::testing::internal::CaptureStderr();
    Outcome outcome;
    outcome.exit_code = Main(static_cast<int>(args.size()), argv.data());
    outcome.stdout_text = ::testing::internal::GetCapturedStdout();
    outcome.stderr_text = ::testing::internal::GetCapturedStderr();
    return outcome;
  }

  std::vector<store::User> Users() {
    return store::OpenSqliteStore({(directory_.path() / "portrait.db").string()})->ListUsers();
  }

  store::TemporaryDirectory directory_;
};

TEST_F(AdminCommandsTest, CredentialsCreateRefusesAScreenNameOutsideTwitterRules) {
  for (std::string name : {"two words", "dash-name", "caf\xc3\xa9", "sixteen_chars_xx", ""}) {
    Outcome outcome = Run({"credentials", "create", "--screen-name", name});
    EXPECT_EQ(outcome.exit_code, kUsageExit) << name;
    EXPECT_NE(outcome.stderr_text.find("screen_name "), std::string::npos) << outcome.stderr_text;
    EXPECT_EQ(outcome.stdout_text, "") << name;
  }
  EXPECT_NE(Run({"credentials", "create", "--screen-name", "two words"})
                .stderr_text.find("screen_name may only contain letters, digits and underscores"),
            std::string::npos);
  EXPECT_TRUE(Users().empty());

  Outcome valid = Run({"credentials", "create", "--screen-name", "fifteen_chars_x"});
  EXPECT_EQ(valid.exit_code, 0) << valid.stderr_text;
  EXPECT_NE(valid.stdout_text.find("\"screen_name\":\"fifteen_chars_x\""), std::string::npos);
}

TEST_F(AdminCommandsTest, UsersCreateRefusesAFieldOverItsMaximumNamingTheFieldAndTheMaximum) {
  Outcome outcome =
      Run({"users", "create", "--screen-name", "jack", "--location", std::string(31, 'l')});
  EXPECT_EQ(outcome.exit_code, kUsageExit);
  EXPECT_NE(outcome.stderr_text.find("location is too long (maximum is 30 characters)"),
            std::string::npos)
      << outcome.stderr_text;
  EXPECT_TRUE(Users().empty());

  std::string coffee;
  for (int i = 0; i < 160; ++i) coffee += "\xe2\x98\x95";  // 160 code points, 480 bytes
  outcome = Run({"users", "create", "--screen-name", "jack", "--description", coffee});
  EXPECT_EQ(outcome.exit_code, 0) << outcome.stderr_text;
  ASSERT_EQ(Users().size(), 1u);
  EXPECT_EQ(Users()[0].description, coffee);
}

TEST_F(AdminCommandsTest, UsersCreateRefusesAScreenNameTakenInAnotherCase) {
  ASSERT_EQ(Run({"users", "create", "--screen-name", "Jack"}).exit_code, 0);
  Outcome outcome = Run({"users", "create", "--screen-name", "jACK"});
  EXPECT_EQ(outcome.exit_code, kUsageExit);
  EXPECT_NE(outcome.stderr_text.find("screen_name is already taken"), std::string::npos)
      << outcome.stderr_text;
  EXPECT_EQ(Users().size(), 1u);
}

TEST_F(AdminCommandsTest, UsersUpdateRefusesATooLongNameAndKeepsTheProfile) {
  ASSERT_EQ(Run({"users", "create", "--screen-name", "kim", "--name", "Kim"}).exit_code, 0);
  Outcome outcome = Run({"users", "update", "--screen-name", "kim", "--name", std::string(51, 'k'),
                         "--url", "https://kim.example"});
  EXPECT_EQ(outcome.exit_code, kUsageExit);
  EXPECT_NE(outcome.stderr_text.find("name is too long (maximum is 50 characters)"),
            std::string::npos)
      << outcome.stderr_text;
  ASSERT_EQ(Users().size(), 1u);
  EXPECT_EQ(Users()[0].name, "Kim");
  EXPECT_EQ(Users()[0].url, std::nullopt);

  outcome = Run({"users", "update", "--screen-name", "kim", "--name", std::string(50, 'k')});
  EXPECT_EQ(outcome.exit_code, 0) << outcome.stderr_text;
  EXPECT_EQ(Users()[0].name, std::string(50, 'k'));
}

}  // namespace
}  // namespace portrait::cli
