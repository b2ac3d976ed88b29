// How the JobRunner handles failing blobs, failing stores, bad uploads and lost leases.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>

#include "blob/blob_store.h"
#include "jobs/job_runner.h"
#include "jobs/jobs_test_fixture.h"
#include "store/metadata_store_wrapper.h"

namespace portrait::jobs {
namespace {

using testing::JobRunnerFixture;
using testing::WaitFor;

// Throws a Fault from the Put of keys containing key_part, failures times (forever when
// negative): one the storage says no retry clears (a name it cannot hold), so each counts as an
// attempt.
class RejectingPutBlobStore : public blob::BlobStoreWrapper {
 public:
  RejectingPutBlobStore(blob::BlobStore& target, std::string key_part, int failures)
      : BlobStoreWrapper(target), key_part_(std::move(key_part)), failures_left_(failures) {}

  Status Put(std::string_view key, std::string_view bytes) override {
    if (key.find(key_part_) != std::string_view::npos && failures_left_ != 0) {
      --failures_left_;
      throw Fault("blob put " + std::string(key) + ": HTTP 400 InvalidRequest");
    }
    return BlobStoreWrapper::Put(key, bytes);
  }

 private:
  std::string key_part_;
  std::atomic<int> failures_left_;
};

// Simulates a worker whose lease expired: another worker claims the job just before `stage`.
class LeaseTakeoverStore : public store::MetadataStoreWrapper {
 public:
  enum class Stage { kRenewLease, kCompleteJob };
  LeaseTakeoverStore(store::MetadataStore& target, Stage stage)
      : MetadataStoreWrapper(target), stage_(stage) {}

  bool RenewLease(int64_t job_id, std::string_view worker, int64_t lease_until) override {
    if (stage_ == Stage::kRenewLease) TakeOver();
    return MetadataStoreWrapper::RenewLease(job_id, worker, lease_until);
  }
  bool CompleteJob(int64_t job_id, std::string_view worker, const store::ProfileImage& image,
                   int64_t now, int64_t retire_after) override {
    if (stage_ == Stage::kCompleteJob) TakeOver();
    return MetadataStoreWrapper::CompleteJob(job_id, worker, image, now, retire_after);
  }

 private:
  void TakeOver() {
    ASSERT_TRUE(target().ClaimJob("thief/0", NowSeconds() + 3600, 60).has_value());
  }
  Stage stage_;
};

// Throws from ClaimJob while faulty is set, counting calls.
class FaultyClaimStore : public store::MetadataStoreWrapper {
 public:
  using MetadataStoreWrapper::MetadataStoreWrapper;
  std::optional<store::UploadJob> ClaimJob(std::string_view worker, int64_t now,
                                           int64_t lease_seconds) override {
    ++claims;
    if (faulty) throw Fault("disk I/O error");
    return MetadataStoreWrapper::ClaimJob(worker, now, lease_seconds);
  }
  std::atomic<bool> faulty = true;
  std::atomic<int> claims = 0;
};

class JobRunnerFailureTest : public JobRunnerFixture {};

TEST_F(JobRunnerFailureTest, RetriesAfterRejectedVariantWritesAndSucceedsOnTheThirdAttempt) {
  store::UploadJob job = Enqueue();
  RejectingPutBlobStore blobs(*blobs_, "_bigger", 2);
  JobRunner runner(*store_, blobs, TestOptions());

  EXPECT_EQ(runner.RunUntilIdle(), 3);

  store::UploadJob done = Job(job.id);
  EXPECT_EQ(done.state, store::JobState::kDone);
  EXPECT_EQ(done.attempts, 3);
  ASSERT_TRUE(done.result.has_value());
  EXPECT_EQ(ImageFiles(job.id), ExpectedFiles(*done.result))
      << "variants written by the failed attempts are removed";
  EXPECT_EQ(UserImage()->image_id, job.id);
}

TEST_F(JobRunnerFailureTest, AJobThatIsAlwaysRejectedEndsFailedWithItsReasonAndTheImageUnchanged) {
  store::UploadJob earlier = Enqueue();
  JobRunner(*store_, *blobs_, TestOptions()).RunUntilIdle();
  const store::ProfileImage before = UserImage().value();

  store::UploadJob job = Enqueue();
  RejectingPutBlobStore blobs(*blobs_, "profile_images/", -1);
  EXPECT_EQ(JobRunner(*store_, blobs, TestOptions()).RunUntilIdle(), 3);

  store::UploadJob failed = Job(job.id);
  EXPECT_EQ(failed.state, store::JobState::kFailed);
  EXPECT_EQ(failed.attempts, 3);
  EXPECT_NE(failed.last_error.find("HTTP 400 InvalidRequest"), std::string::npos)
      << failed.last_error;
  EXPECT_EQ(UserImage()->image_id, before.image_id);
  EXPECT_EQ(UserImage()->key, before.key);
  EXPECT_TRUE(ImageFiles(job.id).empty());
  EXPECT_EQ(ImageFiles(earlier.id).size(), 7u);
}

TEST_F(JobRunnerFailureTest, AMissingUploadFailsAtOnce) {
  store::UploadJob job = Enqueue();
  ASSERT_TRUE(blobs_->Delete(job.upload_blob_key).ok());
  EXPECT_EQ(JobRunner(*store_, *blobs_, TestOptions()).RunUntilIdle(), 1);

  store::UploadJob failed = Job(job.id);
  EXPECT_EQ(failed.state, store::JobState::kFailed);
  EXPECT_EQ(failed.attempts, 1);
  EXPECT_EQ(failed.last_error, "upload missing");
  EXPECT_FALSE(UserImage().has_value());
}

TEST_F(JobRunnerFailureTest, AnUndecodableUploadIsRetriedThenFailedAndKeptForOperators) {
  store::UploadJob job =
      EnqueueBytes(std::string("\xFF\xD8\xFF\xE0") + std::string(64, 'x'), "jpeg");
  EXPECT_EQ(JobRunner(*store_, *blobs_, TestOptions()).RunUntilIdle(), 3);

  store::UploadJob failed = Job(job.id);
  EXPECT_EQ(failed.state, store::JobState::kFailed);
  EXPECT_EQ(failed.last_error.rfind("render: ", 0), 0u) << failed.last_error;
  EXPECT_TRUE(blobs_->Get(job.upload_blob_key).has_value());
  EXPECT_FALSE(UserImage().has_value());
}

TEST_F(JobRunnerFailureTest, AFailedAttemptWaitsForItsRetryDelay) {
  store::UploadJob job = Enqueue();
  RejectingPutBlobStore blobs(*blobs_, "profile_images/", 1);
  JobOptions options = TestOptions();
  options.retry_delay_seconds = 3600;

  EXPECT_EQ(JobRunner(*store_, blobs, options).RunUntilIdle(), 1);
  EXPECT_EQ(Job(job.id).state, store::JobState::kQueued);
  EXPECT_EQ(Job(job.id).attempts, 1);
}

TEST_F(JobRunnerFailureTest, RemovesItsVariantsWhenItsLeaseWasTakenOverBeforeCompleting) {
  store::UploadJob job = Enqueue();
  LeaseTakeoverStore store(*store_, LeaseTakeoverStore::Stage::kCompleteJob);
  EXPECT_EQ(JobRunner(store, *blobs_, TestOptions()).RunUntilIdle(), 1);

  store::UploadJob taken = Job(job.id);
  EXPECT_EQ(taken.state, store::JobState::kProcessing);
  EXPECT_EQ(taken.worker, "thief/0");
  EXPECT_TRUE(ImageFiles(job.id).empty());
  EXPECT_TRUE(blobs_->Get(job.upload_blob_key).has_value()) << "the new holder needs the upload";
  EXPECT_FALSE(UserImage().has_value());
}

TEST_F(JobRunnerFailureTest, WritesNothingWhenItsLeaseWasTakenOverWhileRendering) {
  store::UploadJob job = Enqueue();
  LeaseTakeoverStore store(*store_, LeaseTakeoverStore::Stage::kRenewLease);
  EXPECT_EQ(JobRunner(store, *blobs_, TestOptions()).RunUntilIdle(), 1);

  EXPECT_EQ(Job(job.id).worker, "thief/0");
  EXPECT_TRUE(ImageFiles(job.id).empty());
}

TEST_F(JobRunnerFailureTest, AWorkerSurvivesStoreFaultsAndBacksOffInsteadOfSpinning) {
  store::UploadJob job = Enqueue();
  FaultyClaimStore store(*store_);
  JobOptions options = TestOptions();
  options.poll_interval_ms = 100;
  JobRunner runner(store, *blobs_, options);
  runner.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_LE(store.claims.load(), 8) << "one claim per back-off interval";

  store.faulty = false;
  EXPECT_TRUE(WaitFor([&] { return Job(job.id).state == store::JobState::kDone; }));
  runner.Stop();
}

TEST_F(JobRunnerFailureTest, RunUntilIdleReportsAStoreFaultWhileClaiming) {
  FaultyClaimStore store(*store_);
  JobRunner runner(store, *blobs_, TestOptions());
  EXPECT_THROW(runner.RunUntilIdle(), Fault);
}

}  // namespace
}  // namespace portrait::jobs
