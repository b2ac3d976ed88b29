#include "api/rate_limiter.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace portrait::api
