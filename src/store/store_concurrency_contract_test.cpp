// Many threads and handles (processes, nodes) on one database: the contract every backend keeps.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "store/store_test_support.h"

namespace portrait::store {
namespace {

constexpr int kJobs = 200;
constexpr int64_t kLeaseSeconds = 600;

void EnqueueJobs(MetadataStore& store, int count) {
  User user = CreateTestUser(store, "busy");
  for (int i = 0; i < count; ++i) EnqueueTestJob(store, user.id);
}

TEST_P(StoreConcurrencyTest, ThreadsClaimingTogetherNeverShareAJob) {
  EnqueueJobs(*store_, kJobs);
  ExpectEachJobOnce(ClaimConcurrently({store_.get()}, 4), kJobs);
  EXPECT_EQ(store_->ListJobs(JobState::kProcessing, kJobs + 1).size(), static_cast<size_t>(kJobs));
}

TEST_P(StoreConcurrencyTest, HandlesOnOneDatabaseNeverShareAJob) {
  EnqueueJobs(*store_, kJobs);
  std::unique_ptr<MetadataStore> second = OpenStore();
  ExpectEachJobOnce(ClaimConcurrently({store_.get(), second.get()}, 2), kJobs);
}

TEST_P(StoreConcurrencyTest, ReadsProceedWhileWritesHappen) {
  User user = CreateUser("reader");
  std::atomic<bool> done = false;
  std::thread writer([&] {
    for (int i = 0; i < 100; ++i) Enqueue(user.id);
    done = true;
  });
  int64_t last_count = 0;
  while (!done) {
    int64_t count = store_->CountPendingJobs();
    EXPECT_GE(count, last_count);  // committed writes never disappear
    last_count = count;
    EXPECT_TRUE(store_->FindUserById(user.id));
  }
  writer.join();
  EXPECT_EQ(store_->CountPendingJobs(), 100);
}

TEST_P(StoreConcurrencyTest, ConcurrentCompletionsKeepTheLastUploadPerUser) {
  User user = CreateUser("racer");
  constexpr int kUploads = 40;
  for (int i = 0; i < kUploads; ++i) Enqueue(user.id);
  std::unique_ptr<MetadataStore> other_node = OpenStore();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    MetadataStore& store = t % 2 == 0 ? *store_ : *other_node;
    threads.emplace_back([&store, t] {
      const std::string worker = "w" + std::to_string(t);
      while (std::optional<UploadJob> job = store.ClaimJob(worker, kNow, kLeaseSeconds)) {
        ProfileImage image{job->id, "key" + std::to_string(job->id), "png"};
        EXPECT_TRUE(store.CompleteJob(job->id, worker, image, kNow, kNow));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  int64_t last_job = store_->ListJobs(std::nullopt, 1)[0].id;
  EXPECT_EQ(store_->FindUserById(user.id)->image->image_id, last_job);
  // Every other image is retired exactly once.
  EXPECT_EQ(store_->ListExpiredImages(kNow, kUploads).size(), static_cast<size_t>(kUploads - 1));
}

}  // namespace
}  // namespace portrait::store
