// The users and apps commands as an operator's script runs them: passwords only on standard
// input, never in arguments, output or `config show`; apps with their sign-in settings.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "cli/cli_test_support.h"
#include "signin/accounts.h"
#include "store/store_test_support.h"

namespace portrait::cli {
namespace {

constexpr const char* kPassword = "a long passphrase 7Qx";

class AccountCommandsTest : public ::testing::Test {
 protected:
  // Cheap hashing: the cost is not what these tests are about.
  std::vector<std::string> WithDir(std::vector<std::string> args, bool hashing = true) {
    args.insert(args.end(), {"--data-dir", dir_});
    if (hashing)
      args.insert(args.end(), {"--argon2-iterations", "1", "--argon2-memory-bytes", "8192"});
    return args;
  }

  Result<store::User, signin::SignInRefusal> SignIn(const std::string& screen_name,
                                                    const std::string& password) {
    std::unique_ptr<store::MetadataStore> store =
        store::OpenSqliteStore(store::SqliteOptions{dir_ + "/portrait.db"});
    signin::SignInOptions options;
    options.hashing.iterations = 1;
    options.hashing.memory_bytes = 8192;
    signin::Accounts accounts(*store, options);
    return accounts.SignIn(screen_name, signin::Password(password), "127.0.0.1", store::kTestNow);
  }

  std::unique_ptr<store::MetadataStore> OpenStore() {
    return store::OpenSqliteStore(store::SqliteOptions{dir_ + "/portrait.db"});
  }

  store::TemporaryDirectory directory_;
  std::string dir_ = directory_.path().string();
};

TEST_F(AccountCommandsTest, UsersCreateTakesThePasswordFromStandardInputOnly) {
  CommandRun run =
      RunPortrait(WithDir({"users", "create", "--screen-name", "alice", "--password-stdin"}),
                  std::string(kPassword) + "\n");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("alice"), std::string::npos);
  EXPECT_EQ(run.all().find(kPassword), std::string::npos);
  EXPECT_TRUE(SignIn("alice", kPassword).ok());
  EXPECT_FALSE(SignIn("alice", "a long passphrase 7Qy").ok());
}

TEST_F(AccountCommandsTest, RefusedPasswordLeavesNoUserAndIsNotRepeated) {
  CommandRun run = RunPortrait(
      WithDir({"users", "create", "--screen-name", "bob", "--password-stdin"}), "seven7\n");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("at least 8 characters"), std::string::npos) << run.err;
  EXPECT_EQ(run.all().find("seven7"), std::string::npos);
  EXPECT_FALSE(OpenStore()->FindUserByScreenName("bob"));
}

TEST_F(AccountCommandsTest, APasswordFlagIsRefusedWithoutPrintingItsValue) {
  for (const std::string& form : {std::string("--password"), std::string("--password=")}) {
    std::vector<std::string> args = WithDir({"users", "create", "--screen-name", "carol"});
    if (form == "--password") {
      args.insert(args.end(), {"--password", kPassword});
    } else {
      args.push_back(form + kPassword);
    }
    CommandRun run = RunPortrait(args);
    EXPECT_EQ(run.exit_code, 2) << form;
    EXPECT_NE(run.err.find("unknown flag: --password"), std::string::npos) << run.err;
    EXPECT_EQ(run.all().find(kPassword), std::string::npos) << form;
  }
  EXPECT_FALSE(OpenStore()->FindUserByScreenName("carol"));
}

TEST_F(AccountCommandsTest, SetPasswordReplacesThePasswordAndEndsEverySession) {
  ASSERT_EQ(RunPortrait(WithDir({"users", "create", "--screen-name", "dana", "--password-stdin"}),
                        std::string(kPassword) + "\n")
                .exit_code,
            0);
  const int64_t user_id = OpenStore()->FindUserByScreenName("dana")->id;
  OpenStore()->CreateWebSession(store::WebSession{"session-hash", user_id, "csrf", store::kTestNow,
                                                  store::kTestNow, store::kTestNow + 600,
                                                  store::kTestNow + 3600});
  CommandRun run =
      RunPortrait(WithDir({"users", "set-password", "--screen-name", "dana", "--password-stdin"}),
                  "the new passphrase\n");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.all().find("the new passphrase"), std::string::npos);
  EXPECT_FALSE(SignIn("dana", kPassword).ok());
  EXPECT_TRUE(SignIn("dana", "the new passphrase").ok());
  EXPECT_FALSE(OpenStore()->TouchWebSession("session-hash", store::kTestNow + 1, 600));

  EXPECT_EQ(
      RunPortrait(WithDir({"users", "set-password", "--screen-name", "nobody", "--password-stdin"}),
                  "the new passphrase\n")
          .exit_code,
      2);
}

TEST_F(AccountCommandsTest, WithoutPasswordStdinOrATerminalThereIsNothingToReadFrom) {
  const int terminal = open("/dev/tty", O_RDWR | O_NOCTTY);
  if (terminal >= 0) {
    close(terminal);
    GTEST_SKIP() << "run on a terminal: the command would ask on it";
  }
  ASSERT_EQ(RunPortrait(WithDir({"users", "create", "--screen-name", "finn"})).exit_code, 0);
  CommandRun run = RunPortrait(WithDir({"users", "set-password", "--screen-name", "finn"}),
                               std::string(kPassword) + "\n");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("--password-stdin"), std::string::npos) << run.err;
  EXPECT_FALSE(OpenStore()->FindPasswordHash(OpenStore()->FindUserByScreenName("finn")->id));
}

TEST_F(AccountCommandsTest, ConfigShowNeverShowsAPassword) {
  setenv("PORTRAIT_PASSWORD", kPassword, 1);
  CommandRun shown = RunPortrait({"config", "show", "--data-dir", dir_});
  unsetenv("PORTRAIT_PASSWORD");
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_EQ(shown.all().find(kPassword), std::string::npos);
  boost::json::object settings = boost::json::parse(shown.out).as_object();
  EXPECT_FALSE(settings.contains("password"));
  EXPECT_EQ(settings["sign-up"].at("values").as_array()[0].as_string(), "off");
  EXPECT_EQ(settings["argon2-memory-bytes"].at("values").as_array()[0].as_string(), "67108864");

  const std::string file = dir_ + "/portrait.conf";
  std::ofstream(file) << "password = " << kPassword << "\n";
  CommandRun refused = RunPortrait({"config", "show", "--data-dir", dir_, "--config", file});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_EQ(refused.all().find(kPassword), std::string::npos) << refused.err;
}

TEST_F(AccountCommandsTest, AppsCreateKeepsItsSignInSettings) {
  CommandRun run = RunPortrait(
      WithDir({"apps", "create", "--name", "Photo Client", "--description", "Changes your image",
               "--website", "https://photos.example", "--callback-url", "https://photos.example/cb",
               "--callback-url", "http://127.0.0.1:8000/cb", "--allow-xauth", "--access-level",
               "read", "--json"},
              false));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string key = std::string(
      boost::json::parse(run.out).as_array()[0].as_object().at("consumer_key").as_string());
  std::optional<store::App> app = OpenStore()->FindAppByConsumerKey(key);
  ASSERT_TRUE(app);
  EXPECT_EQ(app->description, "Changes your image");
  EXPECT_EQ(app->website, "https://photos.example");
  EXPECT_EQ(app->callback_urls,
            (std::vector<std::string>{"https://photos.example/cb", "http://127.0.0.1:8000/cb"}));
  EXPECT_TRUE(app->allow_xauth);
  EXPECT_EQ(app->access_level, store::AccessLevel::kRead);

  CommandRun update = RunPortrait(WithDir({"apps", "update", "--consumer-key", key, "--allow-xauth",
                                           "off", "--callback-url", "https://photos.example/new"},
                                          false));
  ASSERT_EQ(update.exit_code, 0) << update.err;
  app = OpenStore()->FindAppByConsumerKey(key);
  EXPECT_FALSE(app->allow_xauth);
  EXPECT_EQ(app->callback_urls, std::vector<std::string>{"https://photos.example/new"});
  EXPECT_EQ(app->description, "Changes your image");
  EXPECT_EQ(app->access_level, store::AccessLevel::kRead);

  ASSERT_EQ(
      RunPortrait(WithDir({"apps", "update", "--consumer-key", key, "--no-callback-urls"}, false))
          .exit_code,
      0);
  EXPECT_TRUE(OpenStore()->FindAppByConsumerKey(key)->callback_urls.empty());
}

TEST_F(AccountCommandsTest, AppsRefuseCallbacksThatCouldRedirectAnywhere) {
  for (const char* hostile : {"javascript:alert(1)", "//evil.example/", "https://a@evil.example/",
                              "https://photos.example/cb?next=x", "data:text/html,x"}) {
    CommandRun run =
        RunPortrait(WithDir({"apps", "create", "--name", "Bad", "--callback-url", hostile}, false));
    EXPECT_EQ(run.exit_code, 2) << hostile;
  }
  EXPECT_TRUE(OpenStore()->ListApps().empty());
  EXPECT_EQ(RunPortrait(WithDir({"apps", "update", "--consumer-key", "nope", "--name", "x"}, false))
                .exit_code,
            2);
}

TEST_F(AccountCommandsTest, CredentialsCreateStillPrintsItsSixFieldsWithAReadWriteToken) {
  CommandRun run = RunPortrait(WithDir({"credentials", "create", "--screen-name", "erin"}, false));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  boost::json::object printed = boost::json::parse(run.out).as_object();
  for (const char* field : {"user_id", "screen_name", "consumer_key", "consumer_secret",
                            "access_token", "access_token_secret"}) {
    EXPECT_TRUE(printed.contains(field)) << field;
  }
  EXPECT_EQ(printed.size(), 6u);
  std::optional<store::AccessToken> token =
      OpenStore()->FindAccessToken(printed.at("access_token").as_string());
  ASSERT_TRUE(token);
  EXPECT_EQ(token->access_level, store::AccessLevel::kReadWrite);
}

}  // namespace
}  // namespace portrait::cli
