#include "api/rate_limiter.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/random.h"

namespace portrait::api {
namespace {

TEST(RateLimiter, RefusesPastTheLimitUntilTheWindowResets) {
  RateLimiter limiter(900);
  for (int i = 0; i < 3; ++i) {
    RateLimitState state = limiter.Take("user:1|x", 3, 1000);
    EXPECT_TRUE(state.allowed);
    EXPECT_EQ(state.remaining, 2 - i);
    EXPECT_EQ(state.reset, 1900);
  }
  EXPECT_FALSE(limiter.Take("user:1|x", 3, 1899).allowed);
  EXPECT_TRUE(limiter.Take("user:2|x", 3, 1899).allowed);
  RateLimitState fresh = limiter.Take("user:1|x", 3, 1900);
  EXPECT_TRUE(fresh.allowed);
  EXPECT_EQ(fresh.remaining, 2);
  EXPECT_EQ(fresh.reset, 2800);
}

// Two limiters over one store stand for two nodes sharing a database: a client spreading its
// requests over both meets one limit, and both report the same window.
TEST(RateLimiter, LimitersSharingAStoreShareTheLimit) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("portrait-rate-" + RandomLowerAlphanumeric(10));
  {
    auto store = store::OpenSqliteStore(store::SqliteOptions{(dir / "portrait.db").string()});
    RateLimiter node_a(900, store.get());
    RateLimiter node_b(900, store.get());
    EXPECT_EQ(node_a.Take("user:1|x", 3, 1000).remaining, 2);
    EXPECT_EQ(node_b.Take("user:1|x", 3, 1001).remaining, 1);
    RateLimitState third = node_a.Take("user:1|x", 3, 1002);
    EXPECT_TRUE(third.allowed);
    EXPECT_EQ(third.remaining, 0);
    EXPECT_EQ(third.reset, 1900);
    RateLimitState refused = node_b.Take("user:1|x", 3, 1003);
    EXPECT_FALSE(refused.allowed);
    EXPECT_EQ(refused.remaining, 0);
    EXPECT_EQ(refused.reset, 1900);
    EXPECT_TRUE(node_b.Take("user:1|x", 3, 1900).allowed);
    auto open = node_a.Open("user:1|", 1901);
    ASSERT_EQ(open.size(), 1u);
    EXPECT_EQ(open["x"].count, 1);
    EXPECT_EQ(open["x"].reset, 2800);
  }
  std::filesystem::remove_all(dir);
}

TEST(RateLimiter, OpenListsAPrincipalsOpenWindowsWithoutCountingThem) {
  RateLimiter limiter(900);
  limiter.Take("user:1|/a", 5, 1000);
  limiter.Take("user:1|/a", 5, 1001);
  limiter.Take("user:1|/b", 5, 100);  // closed at 1000
  limiter.Take("user:12|/a", 5, 1000);
  auto open = limiter.Open("user:1|", 1002);
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open["/a"].count, 2);
  EXPECT_EQ(open["/a"].reset, 1900);
  EXPECT_EQ(limiter.Open("user:1|", 1003)["/a"].count, 2);
  EXPECT_EQ(limiter.Take("user:1|/a", 5, 1004).remaining, 2);
  EXPECT_TRUE(limiter.Open("user:1|", 1900).empty());
}

}  // namespace
}  // namespace portrait::api
