#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "store/postgres_connection.h"
#include "store/postgres_test_fixture.h"

namespace portrait::store {
namespace {

constexpr int64_t kLeaseSeconds = 60;

class PostgresJobsTest : public PostgresStoreTest {
 protected:
  void SetUp() override {
    PostgresStoreTest::SetUp();
    if (IsSkipped()) return;
    user_ = CreateUser("uploader");
  }

  User user_;
};

TEST_F(PostgresJobsTest, EnqueueNotifiesListeners) {
  PostgresConnection listener(url_, kConnectTimeoutSeconds);
  listener.Query("LISTEN portrait_jobs");
  Enqueue(user_.id);
  // A notification arrives with the next exchange with the server.
  listener.Query("SELECT 1");
  EXPECT_TRUE(listener.TakeNotifications("portrait_jobs"));
  EXPECT_FALSE(listener.TakeNotifications("portrait_jobs"));
}

TEST_F(PostgresJobsTest, WorkerWaitingForJobsWakesWhenAnotherNodeEnqueues) {
  EXPECT_FALSE(store_->WaitForJobNotification(50));
  std::unique_ptr<MetadataStore> node_b = OpenStore();
  std::jthread enqueuer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    node_b->EnqueueUpload(NewUploadJob{.user_id = user_.id,
                                       .upload_blob_key = "uploads/b",
                                       .format = "png",
                                       .upload_bytes = 1},
                          kNow);
  });
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(store_->WaitForJobNotification(10'000));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_TRUE(store_->ClaimJob("w", kNow, kLeaseSeconds));
  EXPECT_FALSE(store_->WaitForJobNotification(50));
}

}  // namespace
}  // namespace portrait::store
