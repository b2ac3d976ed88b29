#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "store/postgres_connection.h"
#include "store/postgres_test_fixture.h"

namespace portrait::store {
namespace {

using PostgresUsersTest = PostgresStoreTest;
using PostgresNoncesTest = PostgresStoreTest;

TEST_F(PostgresNoncesTest, AMillionExpiredNoncesArePurgedInBoundedStepsWhileRecordingGoesOn) {
  constexpr int64_t kExpired = 1'000'000;
  constexpr int64_t kStep = 50'000;
  PostgresConnection direct(url_, kConnectTimeoutSeconds);
  direct.Query(
      "INSERT INTO nonces (consumer_key, token, nonce, expires_at)"
      " SELECT 'ck', 'tok', 'old-' || i, $1 FROM generate_series(1, $2) AS i",
      kNow + 1, kExpired);
  ASSERT_TRUE(store_->RecordNonce("ck", "tok", "live", kNow + 9999, kNow));

  int64_t purged = 0;
  int steps = 0;
  while (true) {
    const int64_t step = store_->PruneNonces(kNow + 600, kStep);
    EXPECT_LE(step, kStep);
    purged += step;
    ++steps;
    // Between two steps the table takes new nonces and still refuses replays.
    EXPECT_TRUE(store_->RecordNonce("ck", "tok", "between-" + std::to_string(steps), kNow + 9999,
                                    kNow + 600));
    EXPECT_FALSE(store_->RecordNonce("ck", "tok", "live", kNow + 9999, kNow + 600));
    if (step < kStep) break;
  }
  EXPECT_EQ(purged, kExpired);
  EXPECT_EQ(steps, kExpired / kStep + 1);
  EXPECT_EQ(direct.Query("SELECT COUNT(*) FROM nonces").Int64(0, 0), steps + 1)
      << "only the live nonces are left";
}

TEST_F(PostgresNoncesTest, ANonceSentTwiceInOneBatchIsRecordedOnce) {
  // Sixteen threads send the same nonce at once; group commit may put several in one statement.
  std::atomic<int> accepted = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&] {
      if (store_->RecordNonce("ck", "tok", "same", kNow + 600, kNow)) ++accepted;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(accepted.load(), 1);
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
