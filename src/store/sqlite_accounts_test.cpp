#include <gtest/gtest.h>

#include "store/sqlite_connection.h"
#include "store/sqlite_test_fixture.h"

namespace portrait::store {
namespace {

using SqliteNoncesTest = SqliteStoreTest;

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
