// Upload jobs and images: the contract every backend keeps.
#include <gtest/gtest.h>

#include "store/store_test_support.h"

namespace portrait::store {
namespace {

constexpr int64_t kLeaseSeconds = 60;
constexpr int64_t kGraceSeconds = 86400;

TEST_P(StoreJobsTest, EnqueuedJobIsQueuedWithItsUpload) {
  UploadJob job = store_->EnqueueUpload(
      NewUploadJob{
          .user_id = user_.id, .upload_blob_key = "uploads/a", .format = "gif", .upload_bytes = 99},
      kNow);
  EXPECT_GT(job.id, 0);
  EXPECT_EQ(job.state, JobState::kQueued);
  EXPECT_EQ(job.upload_blob_key, "uploads/a");
  EXPECT_EQ(job.format, "gif");
  EXPECT_EQ(job.upload_bytes, 99);
  EXPECT_EQ(job.attempts, 0);
  EXPECT_EQ(job.created_at, kNow);
  EXPECT_EQ(store_->CountPendingJobs(), 1);
  EXPECT_EQ(store_->OldestPendingJobCreatedAt(), kNow);
  EXPECT_EQ(store_->FindJob(job.id)->upload_blob_key, "uploads/a");
}

TEST_P(StoreJobsTest, JobIdsIncreaseWithEnqueueOrder) {
  UploadJob first = Enqueue(user_.id);
  UploadJob second = Enqueue(user_.id);
  EXPECT_LT(first.id, second.id);
}

TEST_P(StoreJobsTest, ClaimTakesOldestJobUnderLeaseAndCountsAttempt) {
  UploadJob first = Enqueue(user_.id, kNow);
  Enqueue(user_.id, kNow + 1);
  std::optional<UploadJob> claimed = store_->ClaimJob("worker-1", kNow + 5, kLeaseSeconds);
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->id, first.id);
  EXPECT_EQ(claimed->state, JobState::kProcessing);
  EXPECT_EQ(claimed->worker, "worker-1");
  EXPECT_EQ(claimed->lease_until, kNow + 5 + kLeaseSeconds);
  EXPECT_EQ(claimed->attempts, 1);
  EXPECT_EQ(store_->CountPendingJobs(), 2);
}

TEST_P(StoreJobsTest, NothingToClaimWhenQueueIsEmpty) {
  EXPECT_FALSE(store_->ClaimJob("worker-1", kNow, kLeaseSeconds));
  EXPECT_EQ(store_->CountPendingJobs(), 0);
  EXPECT_FALSE(store_->OldestPendingJobCreatedAt());
}

TEST_P(StoreJobsTest, NewJobIsDueWhateverClockTheClaimerPasses) {
  UploadJob job = Enqueue(user_.id, kNow);
  std::optional<UploadJob> claimed = store_->ClaimJob("skewed", kNow - 120, kLeaseSeconds);
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->id, job.id);
}

TEST_P(StoreJobsTest, HeldJobIsReclaimedOnlyAfterItsLeaseExpires) {
  UploadJob job = Enqueue(user_.id);
  ASSERT_TRUE(store_->ClaimJob("crashed", kNow, kLeaseSeconds));
  EXPECT_FALSE(store_->ClaimJob("other", kNow + kLeaseSeconds - 1, kLeaseSeconds));
  std::optional<UploadJob> reclaimed =
      store_->ClaimJob("other", kNow + kLeaseSeconds, kLeaseSeconds);
  ASSERT_TRUE(reclaimed);
  EXPECT_EQ(reclaimed->id, job.id);
  EXPECT_EQ(reclaimed->worker, "other");
  EXPECT_EQ(reclaimed->attempts, 2);
  // The first holder lost the job: it can neither renew, complete nor fail it.
  EXPECT_FALSE(store_->RenewLease(job.id, "crashed", kNow + 1000));
  EXPECT_FALSE(store_->CompleteJob(job.id, "crashed", ProfileImage{1, "k", "png"}, kNow, kNow));
  EXPECT_FALSE(store_->FailJob(job.id, "crashed", "late", false, 0, kNow));
  EXPECT_EQ(store_->FindJob(job.id)->state, JobState::kProcessing);
}

TEST_P(StoreJobsTest, RenewedLeaseKeepsOthersAway) {
  UploadJob job = Enqueue(user_.id);
  ASSERT_TRUE(store_->ClaimJob("worker-1", kNow, kLeaseSeconds));
  EXPECT_TRUE(store_->RenewLease(job.id, "worker-1", kNow + 3 * kLeaseSeconds));
  EXPECT_FALSE(store_->ClaimJob("worker-2", kNow + 2 * kLeaseSeconds, kLeaseSeconds));
  EXPECT_EQ(store_->FindJob(job.id)->lease_until, kNow + 3 * kLeaseSeconds);
}

TEST_P(StoreJobsTest, CompletedJobSetsUserImage) {
  UploadJob job = Enqueue(user_.id);
  ASSERT_TRUE(store_->ClaimJob("w", kNow, kLeaseSeconds));
  ProfileImage image{1001, "abc123", "jpeg"};
  ASSERT_TRUE(store_->CompleteJob(job.id, "w", image, kNow + 1, kNow + 1 + kGraceSeconds));

  UploadJob done = *store_->FindJob(job.id);
  EXPECT_EQ(done.state, JobState::kDone);
  ASSERT_TRUE(done.result);
  EXPECT_EQ(done.result->image_id, 1001);
  std::optional<User> user = store_->FindUserById(user_.id);
  ASSERT_TRUE(user->image);
  EXPECT_EQ(user->image->image_id, 1001);
  EXPECT_EQ(user->image->key, "abc123");
  EXPECT_EQ(user->image->extension, "jpeg");
  EXPECT_EQ(store_->CountPendingJobs(), 0);
  EXPECT_TRUE(store_->ListExpiredImages(kNow + 10 * kGraceSeconds, 10).empty());
  EXPECT_FALSE(store_->CompleteJob(job.id, "w", image, kNow + 2, kNow + 2));
}

TEST_P(StoreJobsTest, NewImageRetiresTheOneItReplacesAfterTheGracePeriod) {
  UploadJob first = Enqueue(user_.id);
  UploadJob second = Enqueue(user_.id);
  ASSERT_TRUE(store_->ClaimJob("w", kNow, kLeaseSeconds));
  ASSERT_TRUE(store_->CompleteJob(first.id, "w", ProfileImage{1, "old", "png"}, kNow, kNow));
  ASSERT_TRUE(store_->ClaimJob("w", kNow, kLeaseSeconds));
  const int64_t retire_after = kNow + kGraceSeconds;
  ASSERT_TRUE(
      store_->CompleteJob(second.id, "w", ProfileImage{2, "new", "png"}, kNow, retire_after));

  EXPECT_EQ(store_->FindUserById(user_.id)->image->key, "new");
  EXPECT_TRUE(store_->ListExpiredImages(retire_after - 1, 10).empty());
  std::vector<RetiredImage> expired = store_->ListExpiredImages(retire_after, 10);
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0].image.image_id, 1);
  EXPECT_EQ(expired[0].image.key, "old");
  EXPECT_EQ(expired[0].image.extension, "png");
  EXPECT_EQ(expired[0].delete_after, retire_after);

  store_->ForgetRetiredImage(1);
  EXPECT_TRUE(store_->ListExpiredImages(retire_after, 10).empty());
}

TEST_P(StoreJobsTest, LastUploadWinsWhenCompletionsArriveOutOfOrder) {
  UploadJob earlier = Enqueue(user_.id);
  UploadJob later = Enqueue(user_.id);
  ASSERT_EQ(store_->ClaimJob("w1", kNow, kLeaseSeconds)->id, earlier.id);
  ASSERT_EQ(store_->ClaimJob("w2", kNow, kLeaseSeconds)->id, later.id);

  ASSERT_TRUE(store_->CompleteJob(later.id, "w2", ProfileImage{20, "later", "png"}, kNow + 1,
                                  kNow + kGraceSeconds));
  ASSERT_TRUE(store_->CompleteJob(earlier.id, "w1", ProfileImage{10, "earlier", "png"}, kNow + 2,
                                  kNow + kGraceSeconds));

  EXPECT_EQ(store_->FindUserById(user_.id)->image->key, "later");
  EXPECT_EQ(store_->FindJob(earlier.id)->state, JobState::kDone);
  // The losing image was never shown, so it is deletable at once; the winner is kept.
  std::vector<RetiredImage> expired = store_->ListExpiredImages(kNow + 2, 10);
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0].image.key, "earlier");
}

TEST_P(StoreJobsTest, FailedAttemptWithRetryRequeuesAtRetryTime) {
  UploadJob job = Enqueue(user_.id);
  ASSERT_TRUE(store_->ClaimJob("w", kNow, kLeaseSeconds));
  ASSERT_TRUE(store_->FailJob(job.id, "w", "vips exploded", true, kNow + 30, kNow + 1));

  UploadJob requeued = *store_->FindJob(job.id);
  EXPECT_EQ(requeued.state, JobState::kQueued);
  EXPECT_EQ(requeued.last_error, "vips exploded");
  EXPECT_EQ(requeued.updated_at, kNow + 1);
  EXPECT_FALSE(store_->ClaimJob("w", kNow + 29, kLeaseSeconds));
  std::optional<UploadJob> retried = store_->ClaimJob("w", kNow + 30, kLeaseSeconds);
  ASSERT_TRUE(retried);
  EXPECT_EQ(retried->attempts, 2);
}

TEST_P(StoreJobsTest, FailedAttemptWithoutRetryFailsJobAndKeepsUserImage) {
  UploadJob job = Enqueue(user_.id);
  ASSERT_TRUE(store_->ClaimJob("w", kNow, kLeaseSeconds));
  ASSERT_TRUE(store_->FailJob(job.id, "w", "corrupt", false, 0, kNow + 1));

  UploadJob failed = *store_->FindJob(job.id);
  EXPECT_EQ(failed.state, JobState::kFailed);
  EXPECT_EQ(failed.last_error, "corrupt");
  EXPECT_FALSE(store_->FindUserById(user_.id)->image);
  EXPECT_EQ(store_->CountPendingJobs(), 0);
  EXPECT_FALSE(store_->ClaimJob("w", kNow + 1000, kLeaseSeconds));
}

TEST_P(StoreJobsTest, ListsJobsMostRecentFirstFilteredByState) {
  UploadJob first = Enqueue(user_.id);
  UploadJob second = Enqueue(user_.id);
  UploadJob third = Enqueue(user_.id);
  ASSERT_TRUE(store_->ClaimJob("w", kNow, kLeaseSeconds));
  ASSERT_TRUE(store_->FailJob(first.id, "w", "bad", false, 0, kNow));

  std::vector<UploadJob> all = store_->ListJobs(std::nullopt, 10);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].id, third.id);
  EXPECT_EQ(all[2].id, first.id);
  EXPECT_EQ(store_->ListJobs(std::nullopt, 2).size(), 2u);
  std::vector<UploadJob> failed = store_->ListJobs(JobState::kFailed, 10);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].id, first.id);
  EXPECT_EQ(store_->ListJobs(JobState::kQueued, 10).size(), 2u);
  EXPECT_EQ(store_->ListJobs(JobState::kQueued, 10)[0].id, third.id);
  EXPECT_EQ(store_->ListJobs(JobState::kQueued, 10)[1].id, second.id);
}

TEST_P(StoreJobsTest, ExpiredImagesComeOldestFirstUpToTheLimit) {
  for (int64_t i = 1; i <= 3; ++i) {
    UploadJob job = Enqueue(user_.id);
    ASSERT_TRUE(store_->ClaimJob("w", kNow, kLeaseSeconds));
    ASSERT_TRUE(store_->CompleteJob(job.id, "w", ProfileImage{i, "k" + std::to_string(i), "png"},
                                    kNow, kNow + 100 - i));
  }
  // Images 1 and 2 were replaced: 1 retired with delete_after kNow+98, 2 with kNow+97.
  std::vector<RetiredImage> expired = store_->ListExpiredImages(kNow + 100, 1);
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0].image.image_id, 2);
  EXPECT_EQ(store_->ListExpiredImages(kNow + 100, 10).size(), 2u);
}

TEST_P(StoreJobsTest, APostponedJobIsQueuedUntilItsDueTimeAndItsClaimIsNotCounted) {
  UploadJob job = Enqueue(user_.id);
  ASSERT_TRUE(store_->ClaimJob("w", kNow, kLeaseSeconds));
  ASSERT_TRUE(store_->PostponeJob(job.id, "w", "disk full", kNow + 8, kNow + 1));

  UploadJob postponed = *store_->FindJob(job.id);
  EXPECT_EQ(postponed.state, JobState::kQueued);
  EXPECT_EQ(postponed.last_error, "disk full");
  EXPECT_EQ(postponed.due_at, kNow + 8);
  EXPECT_EQ(postponed.updated_at, kNow + 1);
  EXPECT_EQ(postponed.attempts, 1);
  EXPECT_EQ(postponed.transient_failures, 1);
  EXPECT_EQ(store_->CountPendingJobs(), 1);
  EXPECT_FALSE(store_->ClaimJob("w", kNow + 7, kLeaseSeconds));
  std::optional<UploadJob> again = store_->ClaimJob("w", kNow + 8, kLeaseSeconds);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->attempts - again->transient_failures, 1);
  EXPECT_FALSE(store_->PostponeJob(job.id, "someone else", "late", kNow + 9, kNow + 9));
}

TEST_P(StoreJobsTest, FailedJobsWithTheirUploadAreListedUntilForgotten) {
  UploadJob early = Enqueue(user_.id);
  UploadJob late = Enqueue(user_.id);
  UploadJob done = Enqueue(user_.id);
  ASSERT_TRUE(store_->ClaimJob("w", kNow, kLeaseSeconds));
  ASSERT_TRUE(store_->FailJob(early.id, "w", "corrupt", false, 0, kNow + 10));
  ASSERT_TRUE(store_->ClaimJob("w", kNow, kLeaseSeconds));
  ASSERT_TRUE(store_->FailJob(late.id, "w", "corrupt", false, 0, kNow + 20));
  ASSERT_TRUE(store_->ClaimJob("w", kNow, kLeaseSeconds));
  ASSERT_TRUE(store_->CompleteJob(done.id, "w", ProfileImage{done.id, "k", "png"}, kNow, kNow));

  EXPECT_TRUE(store_->ListFailedJobUploads(kNow + 9, 10).empty());
  std::vector<UploadJob> listed = store_->ListFailedJobUploads(kNow + 20, 10);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].id, early.id);
  EXPECT_EQ(listed[0].upload_blob_key, early.upload_blob_key);
  EXPECT_EQ(listed[1].id, late.id);
  EXPECT_EQ(store_->ListFailedJobUploads(kNow + 20, 1).size(), 1u);

  store_->ForgetFailedJobUpload(early.id);
  store_->ForgetFailedJobUpload(done.id);  // not failed: nothing changes
  listed = store_->ListFailedJobUploads(kNow + 20, 10);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].id, late.id);
  UploadJob forgotten = *store_->FindJob(early.id);
  EXPECT_TRUE(forgotten.upload_removed);
  EXPECT_EQ(forgotten.state, JobState::kFailed);
  EXPECT_EQ(forgotten.last_error, "corrupt") << "the reason stays";
  EXPECT_FALSE(store_->FindJob(done.id)->upload_removed);
}

UploadJob EnqueueBanner(MetadataStore& store, int64_t user_id,
                        std::optional<BannerRegion> region = std::nullopt) {
  NewUploadJob job{.user_id = user_id,
                   .upload_blob_key = "uploads/banner",
                   .format = "jpeg",
                   .upload_bytes = 1000};
  job.kind = MediaKind::kBanner;
  job.banner_region = region;
  return store.EnqueueUpload(job, kTestNow);
}

TEST_P(StoreJobsTest, ABannerJobKeepsItsKindAndRegionAndBecomesTheUsersBanner) {
  UploadJob job = EnqueueBanner(*store_, user_.id, BannerRegion{1500, 500, 10, 20});
  std::optional<UploadJob> claimed = store_->ClaimJob("w", kNow, kLeaseSeconds);
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->kind, MediaKind::kBanner);
  ASSERT_TRUE(claimed->banner_region);
  EXPECT_EQ(claimed->banner_region->width, 1500);
  EXPECT_EQ(claimed->banner_region->offset_top, 20);
  EXPECT_FALSE(store_->CompleteJob(job.id, "w", ProfileImage{1, "k", "jpeg"}, kNow, kNow))
      << "a banner job is not completed as a profile image";
  ASSERT_TRUE(store_->CompleteBannerJob(job.id, "w", kNow + 1, kNow + kGraceSeconds));
  User user = *store_->FindUserById(user_.id);
  EXPECT_EQ(user.banner_id, job.id);
  EXPECT_FALSE(user.image) << "the profile image is not touched";
  EXPECT_EQ(store_->FindJob(job.id)->state, JobState::kDone);
  EXPECT_FALSE(store_->FindJob(Enqueue(user_.id).id)->banner_region);
}

TEST_P(StoreJobsTest, TheLastBannerUploadWinsAndTheReplacedOneIsRetiredAfterTheGracePeriod) {
  UploadJob first = EnqueueBanner(*store_, user_.id);
  UploadJob second = EnqueueBanner(*store_, user_.id);
  UploadJob third = EnqueueBanner(*store_, user_.id);
  ASSERT_TRUE(store_->ClaimJob("w1", kNow, kLeaseSeconds));
  ASSERT_TRUE(store_->ClaimJob("w2", kNow, kLeaseSeconds));
  ASSERT_TRUE(store_->ClaimJob("w3", kNow, kLeaseSeconds));
  ASSERT_TRUE(store_->CompleteBannerJob(first.id, "w1", kNow, kNow + kGraceSeconds));
  ASSERT_TRUE(store_->CompleteBannerJob(third.id, "w3", kNow, kNow + kGraceSeconds));
  ASSERT_TRUE(store_->CompleteBannerJob(second.id, "w2", kNow, kNow + kGraceSeconds));
  EXPECT_EQ(store_->FindUserById(user_.id)->banner_id, third.id);
  // The second was never shown: deletable at once; the first stays for the grace period.
  std::vector<RetiredImage> now = store_->ListExpiredImages(kNow, 10);
  ASSERT_EQ(now.size(), 1u);
  EXPECT_EQ(now[0].kind, MediaKind::kBanner);
  EXPECT_EQ(now[0].image.image_id, second.id);
  EXPECT_EQ(now[0].user_id, user_.id);
  std::vector<RetiredImage> later = store_->ListExpiredImages(kNow + kGraceSeconds, 10);
  ASSERT_EQ(later.size(), 2u);
}

TEST_P(StoreJobsTest, ARemovedBannerStaysRemovedWhateverJobsAcceptedBeforeFinishLater) {
  UploadJob shown = EnqueueBanner(*store_, user_.id);
  ASSERT_TRUE(store_->ClaimJob("w1", kNow, kLeaseSeconds));
  ASSERT_TRUE(store_->CompleteBannerJob(shown.id, "w1", kNow, kNow + kGraceSeconds));
  UploadJob in_flight = EnqueueBanner(*store_, user_.id);
  ASSERT_TRUE(store_->ClaimJob("w2", kNow, kLeaseSeconds));

  EXPECT_TRUE(store_->RemoveBanner(user_.id, kNow + kGraceSeconds));
  EXPECT_FALSE(store_->FindUserById(user_.id)->banner_id);
  EXPECT_FALSE(store_->RemoveBanner(user_.id, kNow + kGraceSeconds)) << "nothing left to remove";
  ASSERT_TRUE(store_->CompleteBannerJob(in_flight.id, "w2", kNow + 1, kNow + kGraceSeconds));
  EXPECT_FALSE(store_->FindUserById(user_.id)->banner_id) << "accepted before the removal";

  UploadJob after = EnqueueBanner(*store_, user_.id);
  ASSERT_TRUE(store_->ClaimJob("w3", kNow, kLeaseSeconds));
  ASSERT_TRUE(store_->CompleteBannerJob(after.id, "w3", kNow + 2, kNow + kGraceSeconds));
  EXPECT_EQ(store_->FindUserById(user_.id)->banner_id, after.id);
  std::vector<RetiredImage> retired = store_->ListExpiredImages(kNow + kGraceSeconds, 10);
  EXPECT_EQ(retired.size(), 2u) << "the removed banner and the one that came too late";
}

}  // namespace
}  // namespace portrait::store
