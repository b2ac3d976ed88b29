#include "cli/settings.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cli/flags.h"

namespace portrait::cli {
namespace {

const std::set<std::string> kKnown = {"config", "data-dir", "listen", "workers", "tls-key"};

std::string WriteConfig(const std::string& text) {
  auto path =
      std::filesystem::temp_directory_path() /
      ("portrait-settings-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
       "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::ofstream(path) << text;
  return path.string();
}

TEST(Settings, FlagsBeatEnvironmentWhichBeatsTheFile) {
  std::string file = WriteConfig("# comment\ndata-dir = /from/file\nworkers = 1\nlisten = a:1\n");
  std::string env_workers = "PORTRAIT_WORKERS=2";
  std::string env_listen = "PORTRAIT_LISTEN=b:2,c:3";
  std::string env_other = "PORTRAIT_BIN=/ignored";
  char* environment[] = {env_workers.data(), env_listen.data(), env_other.data(), nullptr};
  std::map<std::string, Setting> effective;
  auto args = MergeSettings({"--config", file, "--workers=3"}, kKnown, {}, environment, &effective);
  Flags flags(args, kKnown, {});
  EXPECT_EQ(flags.require("data-dir"), "/from/file");
  EXPECT_EQ(effective["data-dir"].source, "file:" + file);
  EXPECT_EQ(flags.integer("workers", 0), 3);
  EXPECT_EQ(effective["workers"].source, "flag");
  EXPECT_EQ(flags.all("listen"), (std::vector<std::string>{"b:2", "c:3"}));
  EXPECT_EQ(effective["listen"].source, "environment");
}

TEST(Settings, RefusesUnknownNamesInTheFileWithTheirLine) {
  std::string file = WriteConfig("data-dir = /d\n\nwokers = 2\n");
  try {
    MergeSettings({"--config", file}, kKnown, {}, nullptr);
    FAIL() << "accepted an unknown setting";
  } catch (const UsageError& error) {
    EXPECT_NE(std::string(error.what()).find(file + ":3: unknown setting 'wokers'"),
              std::string::npos)
        << error.what();
  }
}

TEST(Settings, RefusesAnUnreadableFile) {
  EXPECT_THROW(MergeSettings({"--config", "/nonexistent/portrait.conf"}, kKnown, {}, nullptr),
               UsageError);
}

TEST(Settings, MasksSecrets) {
  EXPECT_TRUE(IsSecretSetting("tls-key"));
  EXPECT_TRUE(IsSecretSetting("s3-secret-key"));
  EXPECT_FALSE(IsSecretSetting("data-dir"));
}

}  // namespace
}  // namespace portrait::cli
