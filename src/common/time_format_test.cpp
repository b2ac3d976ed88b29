#include "common/time_format.h"

#include <gtest/gtest.h>

namespace portrait {
namespace {

TEST(TimeFormat, MatchesTwitterCreatedAt) {
  EXPECT_EQ(TwitterTime(1345751107), "Thu Aug 23 19:45:07 +0000 2012");
}

TEST(TimeFormat, MatchesHttpDate) {
  EXPECT_EQ(HttpDate(1345751107), "Thu, 23 Aug 2012 19:45:07 GMT");
}

TEST(TimeFormat, NowIsAfter2024) { EXPECT_GT(NowSeconds(), 1704067200); }

}  // namespace
}  // namespace portrait
