#include "common/log_level.h"

#include <gtest/gtest.h>

namespace portrait {
namespace {

TEST(LogLevel, ParsesTheFourLevelsOnly) {
  EXPECT_EQ(ParseLogLevel("debug"), LogLevel::kDebug);
  EXPECT_EQ(ParseLogLevel("error"), LogLevel::kError);
  EXPECT_EQ(ParseLogLevel("INFO"), std::nullopt);
  EXPECT_EQ(ParseLogLevel("verbose"), std::nullopt);
}

TEST(LogLevel, LinesBelowTheThresholdAreDropped) {
  EXPECT_TRUE(ShouldLog("info"));  // the default threshold
  EXPECT_FALSE(ShouldLog("debug"));
  SetLogLevel(LogLevel::kWarn);
  EXPECT_FALSE(ShouldLog("info"));
  EXPECT_TRUE(ShouldLog("warn"));
  EXPECT_TRUE(ShouldLog("error"));
  SetLogLevel(LogLevel::kInfo);
}

}  // namespace
}  // namespace portrait
