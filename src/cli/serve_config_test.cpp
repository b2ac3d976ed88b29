// ReadServeConfig: the job retry settings come from their flags, or from JobOptions' defaults.
#include "cli/serve_config.h"

#include <gtest/gtest.h>

#include "cli/flags.h"

namespace portrait::cli {
namespace {

const std::set<std::string> kKnown = {"data-dir", "job-retry-horizon-seconds",
                                      "job-max-backoff-seconds"};

TEST(ServeConfig, JobRetrySettingsDefaultToTheOptionStruct) {
  Flags flags({"--data-dir", "/tmp/x"}, kKnown, {});
  ServeConfig config = ReadServeConfig(flags);
  EXPECT_EQ(config.jobs.retry_horizon_seconds, jobs::JobOptions{}.retry_horizon_seconds);
  EXPECT_EQ(config.jobs.max_backoff_seconds, jobs::JobOptions{}.max_backoff_seconds);
  EXPECT_EQ(flags.defaults().at("job-retry-horizon-seconds"), "86400");
}

TEST(ServeConfig, JobRetrySettingsFollowTheirFlags) {
  Flags flags({"--data-dir", "/tmp/x", "--job-retry-horizon-seconds", "600",
               "--job-max-backoff-seconds", "2"},
              kKnown, {});
  ServeConfig config = ReadServeConfig(flags);
  EXPECT_EQ(config.jobs.retry_horizon_seconds, 600);
  EXPECT_EQ(config.jobs.max_backoff_seconds, 2);
}

TEST(ServeConfig, RefusesABackoffCapUnderASecond) {
  Flags flags({"--data-dir", "/tmp/x", "--job-max-backoff-seconds", "0"}, kKnown, {});
  EXPECT_THROW(ReadServeConfig(flags), UsageError);
}

}  // namespace
}  // namespace portrait::cli
