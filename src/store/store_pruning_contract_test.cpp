// Pruning what grows with use (expired nonces, finished jobs) and the write-ahead log: the
// contract every backend keeps.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "store/store_test_support.h"

namespace portrait::store {
namespace {

constexpr int64_t kDay = 86400;

TEST_P(StoreNoncesTest, PruningDeletesExpiredNoncesAndKeepsLiveOnes) {
  ASSERT_TRUE(store_->RecordNonce("ck", "tok", "short", kNow + 60, kNow));
  ASSERT_TRUE(store_->RecordNonce("ck", "tok", "long", kNow + 6000, kNow));
  EXPECT_EQ(store_->PruneNonces(kNow + 1200, 1000), 1);
  EXPECT_EQ(store_->PruneNonces(kNow + 1200, 1000), 0) << "nothing left to prune";
  EXPECT_FALSE(store_->RecordNonce("ck", "tok", "long", kNow + 6000, kNow + 1200))
      << "a live nonce survives pruning";
  EXPECT_TRUE(store_->RecordNonce("ck", "tok", "short", kNow + 1800, kNow + 1200));
}

TEST_P(StoreNoncesTest, PruningKeepsANonceRecordedAgainAfterItExpired) {
  ASSERT_TRUE(store_->RecordNonce("ck", "tok", "again", kNow + 60, kNow));
  ASSERT_TRUE(store_->RecordNonce("ck", "tok", "again", kNow + 4000, kNow + 100));
  store_->PruneNonces(kNow + 1000, 1000);
  EXPECT_FALSE(store_->RecordNonce("ck", "tok", "again", kNow + 4000, kNow + 1000));
}

TEST_P(StoreNoncesTest, NoncesRecordedTogetherFromManyThreadsAreEachAcceptedOnce) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 100;
  std::atomic<int> accepted = 0;
  std::vector<std::thread> threads;
  // Every thread sends the same nonces: each must be accepted by exactly one of them.
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        if (store_->RecordNonce("ck", "tok", "shared-" + std::to_string(i), kNow + 600, kNow)) {
          ++accepted;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(accepted.load(), kPerThread);
}

TEST_P(StoreFinishedJobsTest, PruningDeletesOldDoneJobsAndOldFailedJobsWhoseUploadIsGone) {
  UploadJob old_done = Done(kNow);
  UploadJob old_failed_removed = Failed(kNow, true);
  UploadJob old_failed_kept = Failed(kNow, false);
  UploadJob recent_done = Done(kNow + 8 * kDay);
  UploadJob old_queued = Enqueue(user_.id, kNow);

  EXPECT_EQ(store_->PruneFinishedJobs(kNow + 7 * kDay, 100), 2);
  EXPECT_FALSE(store_->FindJob(old_done.id));
  EXPECT_FALSE(store_->FindJob(old_failed_removed.id));
  EXPECT_TRUE(store_->FindJob(old_failed_kept.id)) << "its upload is still on disk";
  EXPECT_TRUE(store_->FindJob(old_queued.id)) << "never a pending job";
  EXPECT_TRUE(store_->FindJob(recent_done.id));
  EXPECT_EQ(store_->PruneFinishedJobs(kNow + 7 * kDay, 100), 0);
}

TEST_P(StoreFinishedJobsTest, PruningJobsLeavesTheUsersImageAndLastUploadWins) {
  UploadJob shown = Done(kNow);
  store_->PruneFinishedJobs(kNow + 7 * kDay, 100);
  ASSERT_FALSE(store_->FindJob(shown.id));
  std::optional<User> user = store_->FindUserById(user_.id);
  ASSERT_TRUE(user && user->image);
  EXPECT_EQ(user->image->image_id, shown.id);
  // A newer upload still replaces the image, and retires the one whose job row is gone.
  UploadJob newer = Done(kNow + 8 * kDay);
  EXPECT_EQ(store_->FindUserById(user_.id)->image->image_id, newer.id);
  std::vector<RetiredImage> retired = store_->ListExpiredImages(kNow + 8 * kDay, 10);
  ASSERT_EQ(retired.size(), 1u);
  EXPECT_EQ(retired[0].image.image_id, shown.id);
}

TEST_P(StoreFinishedJobsTest, PruningTakesAtMostTheLimitOldestFirst) {
  UploadJob oldest = Done(kNow);
  UploadJob middle = Done(kNow + 10);
  UploadJob newest = Done(kNow + 20);
  EXPECT_EQ(store_->PruneFinishedJobs(kNow + kDay, 2), 2);
  EXPECT_FALSE(store_->FindJob(oldest.id));
  EXPECT_FALSE(store_->FindJob(middle.id));
  EXPECT_TRUE(store_->FindJob(newest.id));
  EXPECT_EQ(store_->PruneFinishedJobs(kNow + kDay, 2), 1);
}

TEST_P(StoreFinishedJobsTest, CheckpointingTheLogKeepsEveryCommittedRow) {
  UploadJob job = Done(kNow);
  store_->CheckpointWriteAheadLog();
  std::unique_ptr<MetadataStore> reopened = OpenStore();
  EXPECT_EQ(reopened->FindJob(job.id)->state, JobState::kDone);
}

}  // namespace
}  // namespace portrait::store
