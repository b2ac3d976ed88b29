#include <gtest/gtest.h>

#include <filesystem>

#include "store/sqlite_connection.h"
#include "store/sqlite_test_fixture.h"

namespace portrait::store {
namespace {

using SqliteNoncesTest = SqliteStoreTest;
using SqliteUsersTest = SqliteStoreTest;

TEST_F(SqliteUsersTest, AUserWrittenBeforeTheProfileRulesIsStillReadAndEditable) {
  {
    SqliteConnection connection(db_path_, ConnectionOptions{});
    connection.Prepare("INSERT INTO users (screen_name, name, created_at) VALUES (?, ?, ?)")
        .BindAll("old name-\xc3\xa9", std::string(60, 'n'), kNow)
        .Run();
  }
  std::optional<User> legacy = store_->FindUserByScreenName("OLD NAME-\xc3\xa9");
  ASSERT_TRUE(legacy);
  EXPECT_EQ(legacy->name, std::string(60, 'n'));
  ProfileUpdate location;
  location.location = "Lisbon";
  auto updated = store_->UpdateProfile(legacy->id, location);
  ASSERT_TRUE(updated.ok());
  ASSERT_TRUE(*updated);
  EXPECT_EQ((*updated)->location, "Lisbon");
  ProfileUpdate name;
  name.name = std::string(51, 'n');
  EXPECT_FALSE(store_->UpdateProfile(legacy->id, name).ok());
}

TEST_F(SqliteNoncesTest, NoncesAreKeptBesideTheDatabaseNotInIt) {
  ASSERT_TRUE(store_->RecordNonce("ck", "tok", "beside", kNow + 600, kNow));
  const std::filesystem::path nonces = db_path_ + "-nonces";
  EXPECT_TRUE(std::filesystem::exists(nonces / "key"));
  EXPECT_TRUE(std::filesystem::exists(nonces / (std::to_string((kNow + 600) / 60) + ".log")));
}

TEST_F(SqliteNoncesTest, ACommandThatRecordsNoNonceLeavesTheNonceLogAlone) {
  store_->FindUserById(1);
  EXPECT_FALSE(std::filesystem::exists(db_path_ + "-nonces"));
}

TEST_F(SqliteNoncesTest, CheckpointingTruncatesTheWriteAheadLog) {
  for (int i = 0; i < 50; ++i) CreateUser("wal" + std::to_string(i));
  const std::filesystem::path wal = db_path_ + "-wal";
  ASSERT_GT(std::filesystem::file_size(wal), 0u);
  store_->CheckpointWriteAheadLog();
  EXPECT_EQ(std::filesystem::file_size(wal), 0u);
  store_.reset();
  store_ = OpenStore();
  EXPECT_TRUE(store_->FindUserByScreenName("wal49"));
}

}  // namespace
}  // namespace portrait::store
