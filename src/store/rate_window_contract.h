#pragma once
// The rate-window behaviour every MetadataStore backend must show, written once and run by each
// backend's tests (sqlite_accounts_test.cpp, postgres_accounts_pgtest.cpp).
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "store/metadata_store.h"

namespace portrait::store::contract {

inline void WindowCountsRequestsUntilItCloses(MetadataStore& store, int64_t now) {
  for (int64_t i = 1; i <= 3; ++i) {
    RateWindow window = store.CountRequest("user:1|users/show", now + i, 900);
    EXPECT_EQ(window.start, now + 1);
    EXPECT_EQ(window.end, now + 901);
    EXPECT_EQ(window.count, i);
  }
  // Another key has its own window.
  EXPECT_EQ(store.CountRequest("user:2|users/show", now + 5, 900).count, 1);
  // The last second of the window still counts in it; the first after opens a new one.
  EXPECT_EQ(store.CountRequest("user:1|users/show", now + 900, 900).count, 4);
  RateWindow fresh = store.CountRequest("user:1|users/show", now + 901, 900);
  EXPECT_EQ(fresh.start, now + 901);
  EXPECT_EQ(fresh.end, now + 1801);
  EXPECT_EQ(fresh.count, 1);
}

// Two handles on one database (two nodes) count into one window, and no concurrent count is
// lost.
inline void NodesShareWindows(MetadataStore& node_a, MetadataStore& node_b, int64_t now) {
  constexpr int kThreads = 4;
  constexpr int kEach = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    MetadataStore& node = t % 2 == 0 ? node_a : node_b;
    threads.emplace_back([&node, now] {
      for (int i = 0; i < kEach; ++i) node.CountRequest("app:7|users/show", now, 900);
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(node_b.CountRequest("app:7|users/show", now + 1, 900).count, kThreads * kEach + 1);
  EXPECT_EQ(node_a.CountRequest("app:7|users/show", now + 2, 900).count, kThreads * kEach + 2);
}

}  // namespace portrait::store::contract
