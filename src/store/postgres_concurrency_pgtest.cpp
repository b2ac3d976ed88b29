#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "store/postgres_migrations.h"
#include "store/postgres_test_fixture.h"

namespace portrait::store {
namespace {

constexpr int kJobs = 200;
constexpr int64_t kLeaseSeconds = 600;

class PostgresConcurrencyTest : public PostgresStoreTest {
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

TEST_F(PostgresConcurrencyTest, ThreadsClaimingTogetherNeverShareAJob) {
  EnqueueJobs(kJobs);
  ExpectEachJobOnce(ClaimConcurrently({store_.get()}, 4), kJobs);
  EXPECT_EQ(store_->ListJobs(JobState::kProcessing, kJobs + 1).size(), static_cast<size_t>(kJobs));
}

TEST_F(PostgresConcurrencyTest, NodesOnOneDatabaseNeverShareAJob) {
  EnqueueJobs(kJobs);
  std::unique_ptr<MetadataStore> second = OpenStore();
  ExpectEachJobOnce(ClaimConcurrently({store_.get(), second.get()}, 3), kJobs);
}

TEST_F(PostgresConcurrencyTest, MoreThreadsThanPooledConnectionsTakeTurns) {
  store_ = OpenStore(1);
  EnqueueJobs(kJobs);
  ExpectEachJobOnce(ClaimConcurrently({store_.get()}, 4), kJobs);
}

TEST_F(PostgresConcurrencyTest, NodesStartingAtOnceMigrateOnce) {
  store_.reset();
  PostgresConnection(url_, kConnectTimeoutSeconds)
      .ExecuteScript("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
  std::vector<std::unique_ptr<MetadataStore>> nodes(4);
  std::vector<std::thread> threads;
  for (auto& node : nodes) threads.emplace_back([&node, this] { node = OpenStore(1); });
  for (auto& thread : threads) thread.join();
  for (auto& node : nodes) ASSERT_TRUE(node);
  PostgresResult versions = PostgresConnection(url_, kConnectTimeoutSeconds)
                                .Query("SELECT COUNT(*), MAX(version) FROM schema_version");
  // Each migration recorded once, however many nodes raced to apply it.
  const auto migrations = EmbeddedPostgresMigrations();
  EXPECT_EQ(versions.Int64(0, 0), static_cast<int64_t>(migrations.size()));
  EXPECT_EQ(versions.Int64(0, 1), migrations.back().version);
  EXPECT_TRUE(nodes[0]->CreateUser(NamedUser("after"), kNow).ok());
}

TEST_F(PostgresConcurrencyTest, ConcurrentCompletionsKeepTheLastUploadPerUser) {
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
