// GroupCommit: concurrent callers share writes, and each gets its own outcome or the fault.
#include "store/group_commit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

namespace portrait::store {
namespace {

TEST(GroupCommitTest, EachCallerGetsTheOutcomeOfItsOwnItem) {
  GroupCommit<int, int> doubling([](const std::vector<int>& items) {
    std::vector<int> outcomes;
    for (int item : items) outcomes.push_back(item * 2);
    return outcomes;
  });
  std::vector<std::thread> threads;
  std::atomic<int> wrong = 0;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const int item = t * 1000 + i;
        if (doubling.Submit(item) != item * 2) ++wrong;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(GroupCommitTest, CallersArrivingDuringAWriteShareTheNextOne) {
  std::atomic<size_t> largest_batch = 0;
  GroupCommit<int, bool> slow([&](const std::vector<int>& items) {
    largest_batch = std::max<size_t>(largest_batch, items.size());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return std::vector<bool>(items.size(), true);
  });
  constexpr int kThreads = 8;
  constexpr int kEach = 5;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) EXPECT_TRUE(slow.Submit(i));
    });
  }
  for (std::thread& thread : threads) thread.join();
  // 40 items one write at a time would take 40 writes; while one writes, the others queue.
  EXPECT_LT(slow.commits(), static_cast<size_t>(kThreads * kEach));
  EXPECT_GT(largest_batch.load(), 1u);
}

TEST(GroupCommitTest, AFaultReachesEveryCallerOfItsBatchAndTheNextBatchIsWritten) {
  std::atomic<bool> fail = true;
  GroupCommit<int, bool> flaky([&](const std::vector<int>& items) {
    if (fail.exchange(false)) throw std::runtime_error("disk full");
    return std::vector<bool>(items.size(), true);
  });
  EXPECT_THROW(flaky.Submit(1), std::runtime_error);
  EXPECT_TRUE(flaky.Submit(2));
  EXPECT_EQ(flaky.commits(), 2u);
}

}  // namespace
}  // namespace portrait::store
