#include "jobs/job_runner.h"

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <vector>

#include "jobs/jobs_test_fixture.h"

namespace portrait::jobs {
namespace {

using testing::EncodedImage;
using testing::JobRunnerFixture;
using testing::WaitFor;

class JobRunnerTest : public JobRunnerFixture {
 protected:
  // Runs every queued job with decoded_uploads as the cache of frames decoded at upload; the
  // events of the run.
  std::vector<JobEvent> RunWithDecodedCache(image::DecodedCache& decoded_uploads) {
    JobOptions options = TestOptions();
    options.decoded_uploads = &decoded_uploads;
    std::vector<JobEvent> events;
    options.on_event = [&events](const JobEvent& event) { events.push_back(event); };
    JobRunner runner(*store_, *blobs_, options);
    EXPECT_EQ(runner.RunUntilIdle(), 1);
    return events;
  }
};

TEST_F(JobRunnerTest, QueuedJpegBecomesTheUsersImageWithSevenVariantFiles) {
  store::UploadJob job = Enqueue("jpeg");
  JobRunner runner(*store_, *blobs_, TestOptions());

  EXPECT_EQ(runner.RunUntilIdle(), 1);

  store::UploadJob done = Job(job.id);
  EXPECT_EQ(done.state, store::JobState::kDone);
  EXPECT_EQ(done.attempts, 1);
  ASSERT_TRUE(done.result.has_value());
  EXPECT_EQ(done.result->image_id, job.id);
  EXPECT_EQ(done.result->extension, "jpeg");
  EXPECT_EQ(done.result->key.size(), 20u);
  EXPECT_EQ(done.result->key.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789"),
            std::string::npos);
  EXPECT_EQ(ImageFiles(job.id), ExpectedFiles(*done.result));
  ASSERT_TRUE(UserImage().has_value());
  EXPECT_EQ(UserImage()->key, done.result->key);
  EXPECT_FALSE(blobs_->Get(job.upload_blob_key).has_value()) << "the upload blob is deleted";
}

TEST_F(JobRunnerTest, RendersFromTheDecodedCacheWithoutDecodingAgain) {
  store::UploadJob job = Enqueue("jpeg");  // 600x400
  // What was decoded when the upload was checked is what gets rendered: here, on purpose, a
  // different image (300x100), so that the variants show which one the worker used.
  image::DecodedCache decoded_uploads(64 << 20, std::chrono::seconds(30));
  auto decoded = image::DecodeUpload(EncodedImage("jpeg", 300, 100));
  ASSERT_TRUE(decoded.ok());
  ASSERT_TRUE(decoded_uploads.Put(job.upload_blob_key, *decoded));
  std::vector<JobEvent> events = RunWithDecodedCache(decoded_uploads);

  store::UploadJob done = Job(job.id);
  ASSERT_EQ(done.state, store::JobState::kDone);
  std::optional<std::string> original = blobs_->Get(VariantBlobKey(*done.result, ""));
  ASSERT_TRUE(original.has_value());
  vips::VImage rendered = vips::VImage::new_from_buffer(*original, "");
  EXPECT_EQ(rendered.width(), 300);
  EXPECT_EQ(rendered.height(), 100);
  EXPECT_EQ(decoded_uploads.size(), 0u) << "taken";
  ASSERT_FALSE(events.empty());
  EXPECT_TRUE(events.back().decoded_at_upload);
  EXPECT_EQ(events.back().decode_ms, 0);
  EXPECT_FALSE(blobs_->Get(job.upload_blob_key).has_value()) << "the upload blob is deleted";
}

TEST_F(JobRunnerTest, DecodesTheStoredUploadWhenTheCacheDoesNotHoldIt) {
  store::UploadJob job = Enqueue("jpeg");
  image::DecodedCache decoded_uploads(64 << 20, std::chrono::seconds(30));
  std::vector<JobEvent> events = RunWithDecodedCache(decoded_uploads);
  EXPECT_EQ(Job(job.id).state, store::JobState::kDone);
  ASSERT_FALSE(events.empty());
  EXPECT_FALSE(events.back().decoded_at_upload);
}

TEST_F(JobRunnerTest, PngUploadGivesPngVariants) {
  store::UploadJob job = Enqueue("png");
  JobRunner runner(*store_, *blobs_, TestOptions());
  runner.RunUntilIdle();

  store::UploadJob done = Job(job.id);
  ASSERT_TRUE(done.result.has_value());
  EXPECT_EQ(done.result->extension, "png");
  std::optional<std::string> normal = blobs_->Get(VariantBlobKey(*done.result, "_normal"));
  ASSERT_TRUE(normal.has_value());
  EXPECT_EQ(normal->substr(0, 4), "\x89PNG");
}

TEST_F(JobRunnerTest, VariantBlobKeyIsTheServedPathWithoutItsSlash) {
  store::ProfileImage image{42, "abc123", "jpeg"};
  EXPECT_EQ(VariantBlobKey(image, "_normal"), "profile_images/42/abc123_normal.jpeg");
  EXPECT_EQ(VariantBlobKey(image, ""), "profile_images/42/abc123.jpeg");
}

TEST_F(JobRunnerTest, LastUploadWinsWhenTheEarlierJobFinishesLast) {
  store::UploadJob first = Enqueue();
  store::UploadJob second = Enqueue();
  // A slow worker holds the first upload while the second is processed.
  ASSERT_EQ(store_->ClaimJob("slow/0", NowSeconds(), 60)->id, first.id);
  JobRunner runner(*store_, *blobs_, TestOptions());
  EXPECT_EQ(runner.RunUntilIdle(), 1);
  ASSERT_TRUE(Job(second.id).result.has_value());
  EXPECT_EQ(UserImage()->image_id, second.id);

  // The slow worker gives the first upload back; it is processed after the second.
  ASSERT_TRUE(store_->FailJob(first.id, "slow/0", "slow", true, NowSeconds(), NowSeconds()));
  EXPECT_EQ(runner.RunUntilIdle(), 1);

  EXPECT_EQ(Job(first.id).state, store::JobState::kDone);
  EXPECT_EQ(UserImage()->image_id, second.id);
  EXPECT_EQ(UserImage()->key, Job(second.id).result->key);
}

TEST_F(JobRunnerTest, ReclaimsAJobWhoseWorkerDiedWhenItsLeaseExpires) {
  store::UploadJob job = Enqueue();
  // Claimed two minutes ago with a one-minute lease by a worker that never came back.
  ASSERT_TRUE(store_->ClaimJob("dead-host:1/0", NowSeconds() - 120, 60).has_value());
  JobRunner runner(*store_, *blobs_, TestOptions());

  EXPECT_EQ(runner.RunUntilIdle(), 1);

  store::UploadJob done = Job(job.id);
  EXPECT_EQ(done.state, store::JobState::kDone);
  EXPECT_EQ(done.attempts, 2);
  EXPECT_EQ(done.worker, "test/sync");
  EXPECT_EQ(UserImage()->image_id, job.id);
}

TEST_F(JobRunnerTest, LeavesAJobAloneWhileAnotherWorkerHoldsItsLease) {
  store::UploadJob job = Enqueue();
  ASSERT_TRUE(store_->ClaimJob("busy/0", NowSeconds(), 60).has_value());
  JobRunner runner(*store_, *blobs_, TestOptions());

  EXPECT_EQ(runner.RunUntilIdle(), 0);
  EXPECT_EQ(Job(job.id).state, store::JobState::kProcessing);
}

TEST_F(JobRunnerTest, ReportsClaimAndOutcomeToTheListener) {
  store::UploadJob job = Enqueue();
  std::mutex mutex;
  std::vector<JobEvent> events;
  JobOptions options = TestOptions();
  options.on_event = [&](const JobEvent& event) {
    std::lock_guard lock(mutex);
    events.push_back(event);
  };
  JobRunner runner(*store_, *blobs_, options);
  runner.RunUntilIdle();

  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].outcome, JobOutcome::kClaimed);
  EXPECT_EQ(events[1].outcome, JobOutcome::kDone);
  for (const JobEvent& event : events) {
    EXPECT_EQ(event.job_id, job.id);
    EXPECT_EQ(event.user_id, user_id_);
    EXPECT_EQ(event.attempt, 1);
    EXPECT_EQ(event.worker, "test/sync");
  }
  ASSERT_TRUE(events[1].image.has_value());
  EXPECT_EQ(events[1].image->image_id, job.id);
  EXPECT_TRUE(events[1].reason.empty());
  EXPECT_GE(events[1].total_ms, events[1].render_ms + events[1].store_ms);
  // Each stage is timed on its own clock reading, rounded: the two parts fit in the whole.
  EXPECT_LE(events[1].decode_ms + events[1].encode_ms, events[1].render_ms + 1);
}

TEST_F(JobRunnerTest, StartedWorkersProcessJobsInTheBackground) {
  JobOptions options = TestOptions();
  options.workers = 3;
  JobRunner runner(*store_, *blobs_, options);
  runner.Start();
  std::vector<store::UploadJob> jobs = {Enqueue(), Enqueue(), Enqueue(), Enqueue()};
  runner.Notify();

  EXPECT_TRUE(WaitFor([&] { return store_->CountPendingJobs() == 0; }));
  runner.Stop();
  for (const store::UploadJob& job : jobs) EXPECT_EQ(Job(job.id).state, store::JobState::kDone);
  EXPECT_EQ(UserImage()->image_id, jobs.back().id) << "the last upload wins";
}

TEST_F(JobRunnerTest, NotifyWakesAnIdleWorkerLongBeforeThePollInterval) {
  JobOptions options = TestOptions();
  options.poll_interval_ms = 60'000;
  JobRunner runner(*store_, *blobs_, options);
  runner.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the worker is idle now

  const auto enqueued = std::chrono::steady_clock::now();
  store::UploadJob job = Enqueue();
  runner.Notify();

  EXPECT_TRUE(WaitFor([&] { return Job(job.id).state == store::JobState::kDone; }, 2'000));
  EXPECT_LT(std::chrono::steady_clock::now() - enqueued, std::chrono::seconds(2));
  runner.Stop();
}

TEST_F(JobRunnerTest, StopReturnsPromptlyWithIdleWorkers) {
  JobOptions options = TestOptions();
  options.workers = 4;
  options.poll_interval_ms = 60'000;
  options.janitor_interval_ms = 60'000;
  JobRunner runner(*store_, *blobs_, options);
  runner.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));

  const auto stopping = std::chrono::steady_clock::now();
  runner.Stop();
  // Far below the 60 s poll interval: Stop() wakes idle workers instead of waiting them out.
  EXPECT_LT(std::chrono::steady_clock::now() - stopping, std::chrono::seconds(10));
  runner.Stop();  // idempotent
}

TEST_F(JobRunnerTest, CanStartAgainAfterStop) {
  JobRunner runner(*store_, *blobs_, TestOptions());
  runner.Start();
  runner.Stop();
  store::UploadJob job = Enqueue();
  runner.Start();
  runner.Notify();
  EXPECT_TRUE(WaitFor([&] { return Job(job.id).state == store::JobState::kDone; }));
}

}  // namespace
}  // namespace portrait::jobs
