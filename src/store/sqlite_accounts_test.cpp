#include <gtest/gtest.h>

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

TEST_F(SqliteNoncesTest, ExpiredNoncesArePurged) {
  for (int i = 0; i < 1500; ++i) {
    ASSERT_TRUE(store_->RecordNonce("ck", "tok", "n" + std::to_string(i), kNow + 1, kNow));
  }
  // Far in the future every earlier nonce has expired; recording more purges them.
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(
        store_->RecordNonce("ck", "tok", "m" + std::to_string(i), kNow + 9999, kNow + 9000));
  }
  EXPECT_TRUE(store_->RecordNonce("ck", "tok", "n1", kNow + 9999, kNow + 9000));
  store_.reset();
  SqliteConnection connection(db_path_, ConnectionOptions{});
  Statement count = connection.Prepare("SELECT COUNT(*) FROM nonces WHERE expires_at <= ?");
  count.BindAll(kNow + 1);
  ASSERT_TRUE(count.Step());
  EXPECT_EQ(count.Int64(0), 0);
}

}  // namespace
}  // namespace portrait::store
