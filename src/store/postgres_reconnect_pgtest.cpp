#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "store/postgres_test_fixture.h"

namespace portrait::store {
namespace {

// Restarts the test server through scripts/postgres-test-server; needs PORTRAIT_PG_DIR, the
// cluster directory that script printed.
class PostgresReconnectTest : public PostgresStoreTest {
 protected:
  void SetUp() override {
    const char* dir = std::getenv("PORTRAIT_PG_DIR");
    if (dir == nullptr || *dir == '\0') GTEST_SKIP() << "PORTRAIT_PG_DIR is not set";
    cluster_dir_ = dir;
    PostgresStoreTest::SetUp();
  }

  void RestartServer() {
    const char* source = std::getenv("PORTRAIT_SOURCE_DIR");
    const std::string script =
        std::string(source ? source : PORTRAIT_SOURCE_DIR) + "/scripts/postgres-test-server";
    ASSERT_EQ(std::system((script + " restart '" + cluster_dir_ + "'").c_str()), 0);
  }

  std::string cluster_dir_;
};

TEST_F(PostgresReconnectTest, CallsWorkAfterTheServerRestarts) {
  User user = CreateUser("survivor");
  UploadJob job = Enqueue(user.id);
  RestartServer();

  std::optional<User> found = store_->FindUserById(user.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->screen_name, "survivor");
  std::optional<UploadJob> claimed = store_->ClaimJob("w", kNow, 60);
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->id, job.id);
  EXPECT_TRUE(store_->CompleteJob(job.id, "w", ProfileImage{7, "k", "png"}, kNow, kNow));
  EXPECT_TRUE(store_->RecordNonce("ck", "tok", "after-restart", kNow + 600, kNow));
  EXPECT_EQ(store_->FindUserById(user.id)->image->image_id, 7);
}

TEST_F(PostgresReconnectTest, EveryPooledConnectionRecovers) {
  User user = CreateUser("pooled");
  RestartServer();
  // More calls than the pool has connections, so each connection meets the restart once.
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(store_->FindUserById(user.id));
}

TEST_F(PostgresReconnectTest, JobListenerWakesAfterTheServerRestartsAndListensAgain) {
  User user = CreateUser("listener");
  EXPECT_FALSE(store_->WaitForJobNotification(10));  // connects and LISTENs
  RestartServer();
  // Notifications sent while it was down are lost, so the reconnect itself is a wake-up.
  EXPECT_TRUE(store_->WaitForJobNotification(10));
  Enqueue(user.id);
  EXPECT_TRUE(store_->WaitForJobNotification(5'000));
}

TEST_F(PostgresReconnectTest, WritesOnEveryPooledConnectionWorkAfterTheServerRestarts) {
  constexpr int kThreads = 4;  // the fixture's pool size: each thread likely holds its own
  constexpr int kWritesPerThread = 5;
  RestartServer();
  std::vector<std::thread> threads;
  std::atomic<int> recorded = 0;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesPerThread; ++i) {
        const std::string nonce = std::to_string(t) + "-" + std::to_string(i);
        if (store_->RecordNonce("ck", "tok", nonce, kNow + 600, kNow)) ++recorded;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(recorded, kThreads * kWritesPerThread);
}

}  // namespace
}  // namespace portrait::store
