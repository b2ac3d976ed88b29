// StorePruner: what one pass deletes and keeps, steps, faults and the schedule.
#include "jobs/store_pruner.h"

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

#include "jobs/jobs_test_fixture.h"
#include "store/metadata_store_wrapper.h"

namespace portrait::jobs {
namespace {

using testing::JobRunnerFixture;
using testing::WaitFor;

constexpr int64_t kNow = 1'700'000'000;
constexpr int64_t kDay = 86'400;

// Counts (and may refuse) the pruning calls the pruner makes, forwarding them to the store.
class ObservedStore : public store::MetadataStoreWrapper {
 public:
  using MetadataStoreWrapper::MetadataStoreWrapper;
  int64_t PruneNonces(int64_t now, int64_t limit) override {
    nonce_limits.push_back(limit);
    if (full_nonce_steps > 0) {
      --full_nonce_steps;
      return limit;
    }
    if (nonces_fail) throw Fault("nonce log unreadable");
    return MetadataStoreWrapper::PruneNonces(now, limit);
  }
  void CheckpointWriteAheadLog() override {
    ++checkpoints;
    MetadataStoreWrapper::CheckpointWriteAheadLog();
  }
  std::vector<int64_t> nonce_limits;
  int full_nonce_steps = 0;
  bool nonces_fail = false;
  std::atomic<int> checkpoints = 0;
};

class StorePrunerTest : public JobRunnerFixture {
 protected:
  StorePruningOptions Options() {
    StorePruningOptions options;
    options.interval_ms = 0;
    options.step_pause_ms = 0;
    options.checkpoint_interval_ms = 0;
    options.clock = [this] { return clock_.load(); };
    return options;
  }
  store::UploadJob DoneJob(int64_t at) {
    store::UploadJob job =
        store_->EnqueueUpload(store::NewUploadJob{user_id_, "uploads/x", "png", 1}, at);
    EXPECT_TRUE(store_->ClaimJob("w", at, 60));
    EXPECT_TRUE(store_->CompleteJob(job.id, "w", store::ProfileImage{job.id, "k", "png"}, at, at));
    return job;
  }

  std::atomic<int64_t> clock_ = kNow;
};

TEST_F(StorePrunerTest, APassDeletesWhatExpiredAndKeepsWhatIsLive) {
  ASSERT_TRUE(store_->RecordNonce("ck", "tok", "expired", kNow - 700, kNow - 1300));
  ASSERT_TRUE(store_->RecordNonce("ck", "tok", "live", kNow + 600, kNow));
  store::UploadJob old_job = DoneJob(kNow - 8 * kDay);
  store::UploadJob recent_job = DoneJob(kNow - kDay);
  store::UploadJob pending =
      store_->EnqueueUpload(store::NewUploadJob{user_id_, "uploads/y", "png", 1}, kNow - 9 * kDay);
  store::App app = store_->CreateApp("client", kNow);
  store::RequestToken stale = store_->CreateRequestToken(
      store::NewRequestToken{app.id, "oob", store::AccessLevel::kRead, kNow - 60}, kNow - 960);
  store::RequestToken fresh = store_->CreateRequestToken(
      store::NewRequestToken{app.id, "oob", store::AccessLevel::kRead, kNow + 900}, kNow);

  StorePruner pruner(*store_, Options());
  PrunePass pass = pruner.RunOnce();
  EXPECT_EQ(pass.problem, "");
  EXPECT_EQ(pass.nonces, 1);
  EXPECT_EQ(pass.jobs, 1);
  EXPECT_EQ(pass.request_tokens, 1);
  EXPECT_FALSE(store_->FindJob(old_job.id));
  EXPECT_TRUE(store_->FindJob(recent_job.id));
  EXPECT_TRUE(store_->FindJob(pending.id));
  EXPECT_FALSE(store_->FindRequestToken(stale.token));
  EXPECT_TRUE(store_->FindRequestToken(fresh.token));
  EXPECT_FALSE(store_->RecordNonce("ck", "tok", "live", kNow + 600, kNow));
  EXPECT_EQ(store_->FindUserById(user_id_)->image->image_id, recent_job.id);
}

TEST_F(StorePrunerTest, NoncesGoInStepsOfStepRowsUntilAStepComesBackShort) {
  ObservedStore observed(*store_);
  observed.full_nonce_steps = 3;
  StorePruningOptions options = Options();
  options.step_rows = 500;
  StorePruner pruner(observed, options);
  EXPECT_EQ(pruner.RunOnce().nonces, 1500);
  EXPECT_EQ(observed.nonce_limits, (std::vector<int64_t>{500, 500, 500, 500}));
}

TEST_F(StorePrunerTest, AChoreThatFailsIsReportedAndTheOthersStillRun) {
  ObservedStore observed(*store_);
  observed.nonces_fail = true;
  store::UploadJob old_job = DoneJob(kNow - 8 * kDay);
  StorePruner pruner(observed, Options());
  PrunePass pass = pruner.RunOnce();
  EXPECT_EQ(pass.problem, "nonce log unreadable");
  EXPECT_EQ(pass.jobs, 1);
  EXPECT_FALSE(store_->FindJob(old_job.id));
}

TEST_F(StorePrunerTest, TheLogIsCheckpointedOnlyWhenDueOrAsked) {
  ObservedStore observed(*store_);
  StorePruningOptions options = Options();
  options.checkpoint_interval_ms = 3'600'000;
  StorePruner pruner(observed, options);
  EXPECT_FALSE(pruner.RunOnce().checkpointed);
  EXPECT_TRUE(pruner.RunOnce(/*checkpoint=*/true).checkpointed);
  EXPECT_EQ(observed.checkpoints.load(), 1);
}

TEST_F(StorePrunerTest, TheThreadPrunesOnItsScheduleAndStops) {
  ObservedStore observed(*store_);
  StorePruningOptions options = Options();
  options.interval_ms = 10;
  options.checkpoint_interval_ms = 1;
  StorePruner pruner(observed, options);
  pruner.Start();
  ASSERT_TRUE(store_->RecordNonce("ck", "tok", "soon", kNow + 60, kNow));
  clock_ = kNow + 3600;  // the nonce's minute has ended
  const std::filesystem::path log =
      root_ / "portrait.db-nonces" / (std::to_string((kNow + 60) / 60) + ".log");
  ASSERT_TRUE(std::filesystem::exists(log));
  EXPECT_TRUE(WaitFor([&] { return !std::filesystem::exists(log); })) << "the nonce was pruned";
  EXPECT_TRUE(WaitFor([&] { return observed.checkpoints.load() >= 2; })) << "pass after pass";
  pruner.Stop();
  const int checkpoints = observed.checkpoints.load();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(observed.checkpoints.load(), checkpoints) << "no pass after Stop";
}

}  // namespace
}  // namespace portrait::jobs
