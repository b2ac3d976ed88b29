// Transient faults (a full disk, an unreachable blob store or database) never fail a job before
// its horizon: the job waits with growing backoff and completes once the fault clears. Time is
// the runner's own clock, moved by the test.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "blob/blob_store.h"
#include "jobs/job_runner.h"
#include "jobs/jobs_test_fixture.h"
#include "store/metadata_store_wrapper.h"

namespace portrait::jobs {
namespace {

using testing::JobRunnerFixture;

// Throws StorageFullFault from Puts under profile_images/ while full is set, as a full disk does.
class FullDiskForVariants : public blob::BlobStoreWrapper {
 public:
  using BlobStoreWrapper::BlobStoreWrapper;
  Status Put(std::string_view key, std::string_view bytes) override {
    if (full && key.starts_with("profile_images/")) {
      ++refused;
      throw blob::StorageFullFault("blob put " + std::string(key) +
                                   ": write: No space left on device");
    }
    return BlobStoreWrapper::Put(key, bytes);
  }
  std::atomic<bool> full = true;
  std::atomic<int> refused = 0;
};

// Throws a TransientFault, as SQLite on a full disk does, from the armed calls: each counter is
// how many more calls fail.
class FullDatabase : public store::MetadataStoreWrapper {
 public:
  using MetadataStoreWrapper::MetadataStoreWrapper;

  bool PostponeJob(int64_t job_id, std::string_view worker, std::string_view reason, int64_t due_at,
                   int64_t now) override {
    Trip(postpone_failures);
    return MetadataStoreWrapper::PostponeJob(job_id, worker, reason, due_at, now);
  }
  bool CompleteJob(int64_t job_id, std::string_view worker, const store::ProfileImage& image,
                   int64_t now, int64_t retire_after) override {
    ++completions;
    Trip(complete_failures);
    const bool completed =
        MetadataStoreWrapper::CompleteJob(job_id, worker, image, now, retire_after);
    Trip(complete_failures_after_commit);
    return completed;
  }

  std::atomic<int> postpone_failures = 0;
  std::atomic<int> complete_failures = 0;
  std::atomic<int> complete_failures_after_commit = 0;
  std::atomic<int> completions = 0;

 private:
  static void Trip(std::atomic<int>& failures) {
    if (failures > 0) {
      --failures;
      throw TransientFault("sqlite: database or disk is full");
    }
  }
};

class JobTransientFaultTest : public JobRunnerFixture {
 protected:
  JobOptions ClockedOptions() {
    JobOptions options = TestOptions();
    options.clock = [this] { return now_.load(); };
    options.on_event = [this](const JobEvent& event) {
      std::lock_guard lock(events_mutex_);
      events_.push_back(event);
    };
    return options;
  }

  std::vector<JobOutcome> Outcomes() {
    std::lock_guard lock(events_mutex_);
    std::vector<JobOutcome> outcomes;
    for (const JobEvent& event : events_) {
      if (event.outcome != JobOutcome::kClaimed) outcomes.push_back(event.outcome);
    }
    return outcomes;
  }

  std::atomic<int64_t> now_ = NowSeconds();
  std::mutex events_mutex_;
  std::vector<JobEvent> events_;  // guarded by events_mutex_
};

TEST(TransientBackoffTest, DoublesFromTheFirstDelayUpToTheCapWithinItsJitter) {
  JobOptions options;
  options.first_backoff_seconds = 1;
  options.max_backoff_seconds = 300;
  EXPECT_EQ(TransientBackoffSeconds(options, 0, 1.0), 1);
  EXPECT_EQ(TransientBackoffSeconds(options, 1, 1.0), 2);
  EXPECT_EQ(TransientBackoffSeconds(options, 4, 1.0), 16);
  EXPECT_EQ(TransientBackoffSeconds(options, 8, 1.0), 256);
  EXPECT_EQ(TransientBackoffSeconds(options, 9, 1.0), 300);
  EXPECT_EQ(TransientBackoffSeconds(options, 1000, 1.0), 300) << "no overflow";
  EXPECT_EQ(TransientBackoffSeconds(options, 4, 0.0), 8) << "jitter takes off at most half";
  EXPECT_EQ(TransientBackoffSeconds(options, 9, 0.0), 150);
  EXPECT_EQ(TransientBackoffSeconds(options, 0, 0.0), 1) << "never less than a second";
}

TEST_F(JobTransientFaultTest, ADiskFullForVariantsPostponesWithGrowingBackoffThenCompletes) {
  store::UploadJob job = Enqueue();
  FullDiskForVariants blobs(*blobs_);
  JobOptions options = ClockedOptions();
  options.max_attempts = 3;
  JobRunner runner(*store_, blobs, options);

  std::vector<int64_t> delays;
  for (int round = 0; round < 6; ++round) {
    ASSERT_EQ(runner.RunUntilIdle(), 1) << "round " << round;
    store::UploadJob waiting = Job(job.id);
    ASSERT_EQ(waiting.state, store::JobState::kQueued);
    EXPECT_EQ(waiting.transient_failures, round + 1);
    EXPECT_NE(waiting.last_error.find("No space left on device"), std::string::npos)
        << waiting.last_error;
    delays.push_back(waiting.due_at - now_);
    EXPECT_EQ(runner.RunUntilIdle(), 0) << "not due before its backoff";
    now_ = waiting.due_at;
  }
  // Each delay lies between half and all of 1, 2, 4, 8, 16, 32 s.
  for (size_t i = 0; i < delays.size(); ++i) {
    const int64_t full = int64_t{1} << i;
    EXPECT_GE(delays[i], std::max<int64_t>(1, full / 2)) << "delay " << i;
    EXPECT_LE(delays[i], full) << "delay " << i;
  }
  EXPECT_FALSE(UserImage().has_value());
  EXPECT_TRUE(ImageFiles(job.id).empty()) << "what the postponed attempts wrote is removed";

  blobs.full = false;
  ASSERT_EQ(runner.RunUntilIdle(), 1);
  store::UploadJob done = Job(job.id);
  EXPECT_EQ(done.state, store::JobState::kDone)
      << "six transient faults, more than max_attempts, did not fail it";
  EXPECT_EQ(done.attempts, 7);
  EXPECT_EQ(done.attempts - done.transient_failures, 1);
  ASSERT_TRUE(done.result.has_value());
  EXPECT_EQ(ImageFiles(job.id), ExpectedFiles(*done.result));
  EXPECT_EQ(UserImage()->image_id, job.id);
  std::vector<JobOutcome> outcomes = Outcomes();
  ASSERT_EQ(outcomes.size(), 7u);
  EXPECT_EQ(outcomes.back(), JobOutcome::kDone);
  for (size_t i = 0; i + 1 < outcomes.size(); ++i) EXPECT_EQ(outcomes[i], JobOutcome::kPostponed);
}

TEST_F(JobTransientFaultTest, TheHorizonEndsTheRetriesWithTheFaultAsReason) {
  store::UploadJob job = Enqueue();
  FullDiskForVariants blobs(*blobs_);
  JobOptions options = ClockedOptions();
  options.retry_horizon_seconds = 3600;
  options.max_backoff_seconds = 600;
  JobRunner runner(*store_, blobs, options);

  ASSERT_EQ(runner.RunUntilIdle(), 1);
  EXPECT_EQ(Job(job.id).state, store::JobState::kQueued);
  now_ = job.created_at + 3599;
  ASSERT_EQ(runner.RunUntilIdle(), 1);
  EXPECT_EQ(Job(job.id).state, store::JobState::kQueued) << "a second before the horizon";
  now_ = job.created_at + 3600 + 600;
  ASSERT_EQ(runner.RunUntilIdle(), 1);

  store::UploadJob failed = Job(job.id);
  EXPECT_EQ(failed.state, store::JobState::kFailed);
  EXPECT_NE(failed.last_error.find("3600 s after the upload"), std::string::npos)
      << failed.last_error;
  EXPECT_NE(failed.last_error.find("No space left on device"), std::string::npos)
      << failed.last_error;
  EXPECT_TRUE(blobs_->Get(job.upload_blob_key).has_value()) << "kept for operators";
  EXPECT_FALSE(UserImage().has_value());
}

TEST_F(JobTransientFaultTest, AnUnreachableUploadBlobPostponesInsteadOfFailing) {
  store::UploadJob job = Enqueue();
  class UnreachableGets : public blob::BlobStoreWrapper {
   public:
    using BlobStoreWrapper::BlobStoreWrapper;
    std::optional<std::string> Get(std::string_view key) override {
      throw TransientFault("blob get " + std::string(key) + ": Couldn't connect to server");
    }
  } blobs(*blobs_);
  JobRunner runner(*store_, blobs, ClockedOptions());

  ASSERT_EQ(runner.RunUntilIdle(), 1);
  store::UploadJob waiting = Job(job.id);
  EXPECT_EQ(waiting.state, store::JobState::kQueued);
  EXPECT_EQ(waiting.last_error.rfind("reading upload: ", 0), 0u) << waiting.last_error;
  now_ = waiting.due_at;
  ASSERT_EQ(JobRunner(*store_, *blobs_, ClockedOptions()).RunUntilIdle(), 1);
  EXPECT_EQ(Job(job.id).state, store::JobState::kDone);
}

TEST_F(JobTransientFaultTest, AFullDatabaseWhileRecordingIsTriedAgainWhileTheJobIsHeld) {
  store::UploadJob job = Enqueue();
  FullDiskForVariants blobs(*blobs_);
  FullDatabase store(*store_);
  store.postpone_failures = 3;
  JobRunner runner(store, blobs, ClockedOptions());

  ASSERT_EQ(runner.RunUntilIdle(), 1);
  store::UploadJob waiting = Job(job.id);
  EXPECT_EQ(waiting.state, store::JobState::kQueued);
  EXPECT_EQ(waiting.transient_failures, 1) << "recorded on the fourth try, not lost";
  EXPECT_EQ(Outcomes(), std::vector<JobOutcome>{JobOutcome::kPostponed});
}

TEST_F(JobTransientFaultTest, ACompletionThatFaultedBeforeCommittingIsTriedAgainAndCompletes) {
  store::UploadJob job = Enqueue();
  FullDatabase store(*store_);
  store.complete_failures = 2;
  JobRunner runner(store, *blobs_, ClockedOptions());

  ASSERT_EQ(runner.RunUntilIdle(), 1);
  store::UploadJob done = Job(job.id);
  EXPECT_EQ(done.state, store::JobState::kDone);
  EXPECT_EQ(done.attempts, 1) << "no second claim, no rendering again";
  EXPECT_EQ(store.completions, 3);
  EXPECT_EQ(ImageFiles(job.id), ExpectedFiles(*done.result));
  EXPECT_EQ(UserImage()->image_id, job.id);
}

TEST_F(JobTransientFaultTest, ACompletionThatCommittedBeforeItsFaultIsFoundDone) {
  store::UploadJob job = Enqueue();
  FullDatabase store(*store_);
  store.complete_failures_after_commit = 1;
  JobRunner runner(store, *blobs_, ClockedOptions());

  ASSERT_EQ(runner.RunUntilIdle(), 1);
  store::UploadJob done = Job(job.id);
  EXPECT_EQ(done.state, store::JobState::kDone);
  EXPECT_EQ(store.completions, 1) << "looked up, not completed twice";
  EXPECT_EQ(ImageFiles(job.id), ExpectedFiles(*done.result));
  EXPECT_FALSE(blobs_->Get(job.upload_blob_key).has_value());
  EXPECT_EQ(Outcomes(), std::vector<JobOutcome>{JobOutcome::kDone});
}

TEST_F(JobTransientFaultTest, AJobWhoseWorkersKeepDyingIsFailedAfterMaxAttemptsClaims) {
  store::UploadJob job = Enqueue();
  JobOptions options = ClockedOptions();
  options.max_attempts = 3;
  options.lease_seconds = 60;
  // Three workers claimed it in turn and died: each lease expired without an outcome.
  for (int crash = 0; crash < 3; ++crash) {
    ASSERT_TRUE(store_->ClaimJob("crashing/" + std::to_string(crash), now_, 60).has_value());
    now_ += 61;
  }
  JobRunner runner(*store_, *blobs_, options);

  ASSERT_EQ(runner.RunUntilIdle(), 1);
  store::UploadJob failed = Job(job.id);
  EXPECT_EQ(failed.state, store::JobState::kFailed);
  EXPECT_EQ(failed.last_error.rfind("abandoned after 4 claims", 0), 0u) << failed.last_error;
  EXPECT_TRUE(ImageFiles(job.id).empty()) << "not rendered a fourth time";
}

TEST_F(JobTransientFaultTest, PostponedClaimsDoNotCountTowardsTheCrashBound) {
  store::UploadJob job = Enqueue();
  FullDiskForVariants blobs(*blobs_);
  JobOptions options = ClockedOptions();
  options.max_attempts = 1;
  JobRunner runner(*store_, blobs, options);
  for (int round = 0; round < 3; ++round) {
    ASSERT_EQ(runner.RunUntilIdle(), 1);
    now_ = Job(job.id).due_at;
  }
  blobs.full = false;
  ASSERT_EQ(runner.RunUntilIdle(), 1);
  EXPECT_EQ(Job(job.id).state, store::JobState::kDone);
}

TEST_F(JobTransientFaultTest, StartedWorkersCompleteAPostponedJobOnceTheDiskHasRoom) {
  store::UploadJob job = Enqueue();
  FullDiskForVariants blobs(*blobs_);
  JobOptions options = TestOptions();  // the real clock: backoffs of 1 s
  options.max_backoff_seconds = 1;
  JobRunner runner(*store_, blobs, options);
  runner.Start();
  ASSERT_TRUE(testing::WaitFor(
      [&] {
        store::UploadJob waiting = Job(job.id);
        return waiting.transient_failures >= 2 && waiting.state == store::JobState::kQueued;
      },
      10000))
      << "two postponed attempts";
  EXPECT_GE(blobs.refused.load(), 14);
  blobs.full = false;
  EXPECT_TRUE(testing::WaitFor([&] { return Job(job.id).state == store::JobState::kDone; }, 10000));
  runner.Stop();
  EXPECT_EQ(UserImage()->image_id, job.id);
}

}  // namespace
}  // namespace portrait::jobs
