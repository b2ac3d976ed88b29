#include <gtest/gtest.h>

#include "store/postgres_connection.h"
#include "store/postgres_test_fixture.h"

namespace portrait::store {
namespace {

using PostgresUsersTest = PostgresStoreTest;
using PostgresNoncesTest = PostgresStoreTest;

TEST_F(PostgresNoncesTest, ExpiredNoncesArePurged) {
  for (int i = 0; i < 1500; ++i) {
    ASSERT_TRUE(store_->RecordNonce("ck", "tok", "n" + std::to_string(i), kNow + 1, kNow));
  }
  // Far in the future every earlier nonce has expired; recording more purges them.
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(
        store_->RecordNonce("ck", "tok", "m" + std::to_string(i), kNow + 9999, kNow + 9000));
  }
  EXPECT_TRUE(store_->RecordNonce("ck", "tok", "n1", kNow + 9999, kNow + 9000));
  PostgresResult count = PostgresConnection(url_, kConnectTimeoutSeconds)
                             .Query("SELECT COUNT(*) FROM nonces WHERE expires_at <= $1", kNow + 1);
  EXPECT_EQ(count.Int64(0, 0), 0);
}

TEST_F(PostgresUsersTest, AUserWrittenBeforeTheProfileRulesIsStillReadAndEditable) {
  PostgresConnection(url_, kConnectTimeoutSeconds)
      .Query("INSERT INTO users (screen_name, name, created_at) VALUES ($1, $2, $3)",
             "old name-\xc3\xa9", std::string(60, 'n'), kNow);
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

TEST_F(PostgresUsersTest, OpenMetadataStoreTakesAPostgresUrl) {
  User user = CreateUser("shared");
  std::unique_ptr<MetadataStore> other = OpenMetadataStore(url_);
  ASSERT_TRUE(other->FindUserByScreenName("shared"));
  EXPECT_EQ(other->FindUserByScreenName("shared")->id, user.id);
}

}  // namespace
}  // namespace portrait::store
