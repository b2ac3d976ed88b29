#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "store/sqlite_test_fixture.h"

namespace portrait::store {
namespace {

constexpr int kJobs = 200;
constexpr int64_t kLeaseSeconds = 600;

class SqliteConcurrencyTest : public SqliteStoreTest {
 protected:
  void EnqueueJobs(int count) {
    User user = CreateUser("busy");
    for (int i = 0; i < count; ++i) Enqueue(user.id);
  }

  // Claims until the queue is empty; returns the claimed ids in order.
  static std::vector<int64_t> ClaimAll(MetadataStore& store, const std::string& worker) {
    std::vector<int64_t> ids;
    while (std::optional<UploadJob> job = store.ClaimJob(worker, kNow, kLeaseSeconds)) {
      ids.push_back(job->id);
    }
    return ids;
  }

  // Claims with threads_per_store threads on each store; returns every claimed id.
  static std::vector<int64_t> ClaimConcurrently(std::vector<MetadataStore*> stores,
                                                int threads_per_store) {
    std::mutex mutex;
    std::vector<int64_t> all;
    std::vector<std::thread> threads;
    for (size_t s = 0; s < stores.size(); ++s) {
      for (int t = 0; t < threads_per_store; ++t) {
        threads.emplace_back([&, store = stores[s], s, t] {
          std::vector<int64_t> ids =
              ClaimAll(*store, "w" + std::to_string(s) + "-" + std::to_string(t));
          std::lock_guard lock(mutex);
          all.insert(all.end(), ids.begin(), ids.end());
        });
      }
    }
    for (auto& thread : threads) thread.join();
    return all;
  }

  static void ExpectEachJobOnce(const std::vector<int64_t>& ids, int jobs) {
    EXPECT_EQ(ids.size(), static_cast<size_t>(jobs));
    EXPECT_EQ(std::set<int64_t>(ids.begin(), ids.end()).size(), static_cast<size_t>(jobs));
  }
};

TEST_F(SqliteConcurrencyTest, ThreadsClaimingTogetherNeverShareAJob) {
  EnqueueJobs(kJobs);
  ExpectEachJobOnce(ClaimConcurrently({store_.get()}, 4), kJobs);
  EXPECT_EQ(store_->ListJobs(JobState::kProcessing, kJobs + 1).size(), static_cast<size_t>(kJobs));
}

TEST_F(SqliteConcurrencyTest, StoresOnOneFileNeverShareAJob) {
  EnqueueJobs(kJobs);
  std::unique_ptr<MetadataStore> second = OpenStore();
  ExpectEachJobOnce(ClaimConcurrently({store_.get(), second.get()}, 2), kJobs);
}

TEST_F(SqliteConcurrencyTest, ProcessesOnOneFileNeverShareAJob) {
  EnqueueJobs(kJobs);
  const auto child_output = directory_.path() / "child_claims.txt";
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    int status = 0;
    try {
      std::unique_ptr<MetadataStore> store = OpenStore();
      std::ofstream out(child_output);
      for (int64_t id : ClaimAll(*store, "child")) out << id << "\n";
    } catch (...) {
      status = 1;
    }
    _exit(status);
  }
  std::vector<int64_t> ids = ClaimAll(*store_, "parent");
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  std::ifstream in(child_output);
  for (int64_t id; in >> id;) ids.push_back(id);
  ExpectEachJobOnce(ids, kJobs);
}

TEST_F(SqliteConcurrencyTest, ReadsProceedWhileWritesHappen) {
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

TEST_F(SqliteConcurrencyTest, ConcurrentCompletionsKeepTheLastUploadPerUser) {
  User user = CreateUser("racer");
  constexpr int kUploads = 40;
  for (int i = 0; i < kUploads; ++i) Enqueue(user.id);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const std::string worker = "w" + std::to_string(t);
      while (std::optional<UploadJob> job = store_->ClaimJob(worker, kNow, kLeaseSeconds)) {
        ProfileImage image{job->id, "key" + std::to_string(job->id), "png"};
        EXPECT_TRUE(store_->CompleteJob(job->id, worker, image, kNow, kNow));
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
