// ReadServeConfig: the job retry and pruning settings come from their flags, or from their
// option structs' defaults.
#include "cli/serve_config.h"

#include <gtest/gtest.h>

#include "cli/flags.h"

namespace portrait::cli {
namespace {

const std::set<std::string> kKnown = {"data-dir",
                                      "job-retry-horizon-seconds",
                                      "job-max-backoff-seconds",
                                      "grace-period-seconds",
                                      "prune-interval-ms",
                                      "job-retention-seconds",
                                      "checkpoint-interval-ms"};

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

TEST(ServeConfig, PruningSettingsDefaultToTheOptionStructAndFollowTheirFlags) {
  Flags defaults({"--data-dir", "/tmp/x"}, kKnown, {});
  ServeConfig config = ReadServeConfig(defaults);
  EXPECT_EQ(config.pruning.interval_ms, jobs::StorePruningOptions{}.interval_ms);
  EXPECT_EQ(config.pruning.job_retention_seconds, 7 * 86400);
  EXPECT_EQ(defaults.defaults().at("checkpoint-interval-ms"), "60000");

  Flags given({"--data-dir", "/tmp/x", "--prune-interval-ms", "500", "--job-retention-seconds",
               "90000", "--checkpoint-interval-ms", "0"},
              kKnown, {});
  config = ReadServeConfig(given);
  EXPECT_EQ(config.pruning.interval_ms, 500);
  EXPECT_EQ(config.pruning.job_retention_seconds, 90000);
  EXPECT_EQ(config.pruning.checkpoint_interval_ms, 0);
}

TEST(ServeConfig, RefusesAJobRetentionShorterThanTheGracePeriod) {
  // A failed job's upload is kept for the grace period; its row must not go first.
  Flags flags({"--data-dir", "/tmp/x", "--job-retention-seconds", "3600"}, kKnown, {});
  EXPECT_THROW(ReadServeConfig(flags), UsageError);
  Flags shorter_grace(
      {"--data-dir", "/tmp/x", "--job-retention-seconds", "3600", "--grace-period-seconds", "600"},
      kKnown, {});
  EXPECT_NO_THROW(ReadServeConfig(shorter_grace));
}

}  // namespace
}  // namespace portrait::cli
