// The janitor: files of replaced images are deleted once their grace period has passed.
#include <gtest/gtest.h>

#include <string>

#include "blob/blob_store.h"
#include "image/variant_catalogue.h"
#include "jobs/job_runner.h"
#include "jobs/jobs_test_fixture.h"

namespace portrait::jobs {
namespace {

using testing::JobRunnerFixture;
using testing::WaitFor;

// Refuses to delete anything while refusing is set, as a read-only filesystem does.
class UndeletableBlobStore : public blob::BlobStoreWrapper {
 public:
  using BlobStoreWrapper::BlobStoreWrapper;
  Status Delete(std::string_view key) override {
    if (refusing)
      throw TransientFault("blob delete " + std::string(key) + ": Read-only file system");
    return BlobStoreWrapper::Delete(key);
  }
  bool refusing = true;
};

class JobJanitorTest : public JobRunnerFixture {
 protected:
  // Processes two uploads in order: the first image is replaced by the second.
  void ReplaceImage(JobRunner& runner) {
    first_ = Enqueue();
    ASSERT_EQ(runner.RunUntilIdle(), 1);
    second_ = Enqueue();
    ASSERT_EQ(runner.RunUntilIdle(), 1);
    ASSERT_EQ(UserImage()->image_id, second_.id);
  }

  static JobOptions WithGrace(int64_t grace_seconds) {
    JobOptions options = TestOptions();
    options.retire_grace_seconds = grace_seconds;
    return options;
  }

  store::UploadJob first_;
  store::UploadJob second_;
};

TEST_F(JobJanitorTest, DeletesAReplacedImagesFilesOnceItsGraceHasPassed) {
  JobOptions options = WithGrace(0);
  options.janitor_interval_ms = 20;
  JobRunner runner(*store_, *blobs_, options);
  ReplaceImage(runner);
  ASSERT_EQ(ImageFiles(first_.id).size(), 7u);

  runner.Start();
  EXPECT_TRUE(WaitFor([&] { return ImageFiles(first_.id).empty(); }));
  runner.Stop();

  EXPECT_EQ(ImageFiles(second_.id).size(), 7u) << "the current image stays";
  EXPECT_TRUE(store_->ListExpiredImages(NowSeconds() + 1, 10).empty()) << "and is forgotten";
}

TEST_F(JobJanitorTest, KeepsAReplacedImageDuringItsGracePeriod) {
  JobRunner runner(*store_, *blobs_, WithGrace(86400));
  ReplaceImage(runner);

  EXPECT_EQ(runner.DeleteExpiredImages(), 0);
  EXPECT_EQ(ImageFiles(first_.id).size(), 7u);
}

TEST_F(JobJanitorTest, DeletesTheImageOfAnUploadThatFinishedAfterALaterOne) {
  store::UploadJob earlier = Enqueue();
  store::UploadJob later = Enqueue();
  ASSERT_EQ(store_->ClaimJob("slow/0", NowSeconds(), 60)->id, earlier.id);
  JobRunner runner(*store_, *blobs_, WithGrace(86400));
  ASSERT_EQ(runner.RunUntilIdle(), 1);
  ASSERT_TRUE(store_->FailJob(earlier.id, "slow/0", "slow", true, NowSeconds(), NowSeconds()));
  ASSERT_EQ(runner.RunUntilIdle(), 1);
  ASSERT_EQ(ImageFiles(earlier.id).size(), 7u);

  // The losing image was never served: it is retired at once, whatever the grace period.
  EXPECT_EQ(runner.DeleteExpiredImages(), 1);
  EXPECT_TRUE(ImageFiles(earlier.id).empty());
  EXPECT_EQ(ImageFiles(later.id).size(), 7u);
}

TEST_F(JobJanitorTest, RetriesAnImageWhoseFilesCouldNotBeDeleted) {
  UndeletableBlobStore blobs(*blobs_);
  blobs.refusing = false;
  JobRunner runner(*store_, blobs, WithGrace(0));
  ReplaceImage(runner);

  blobs.refusing = true;
  EXPECT_EQ(runner.DeleteExpiredImages(), 0);
  EXPECT_EQ(ImageFiles(first_.id).size(), 7u);

  blobs.refusing = false;
  EXPECT_EQ(runner.DeleteExpiredImages(), 1);
  EXPECT_TRUE(ImageFiles(first_.id).empty());
}

TEST_F(JobJanitorTest, RemovesAFailedJobsUploadAfterTheGracePeriodAndKeepsItsReason) {
  store::UploadJob job =
      EnqueueBytes(std::string("\xFF\xD8\xFF\xE0") + std::string(64, 'x'), "jpeg");
  int64_t now = NowSeconds();
  JobOptions options = WithGrace(3600);
  options.clock = [&now] { return now; };
  JobRunner runner(*store_, *blobs_, options);
  ASSERT_EQ(runner.RunUntilIdle(), 3);
  ASSERT_EQ(Job(job.id).state, store::JobState::kFailed);

  EXPECT_EQ(runner.DeleteFailedUploads(), 0) << "kept for operators during the grace period";
  EXPECT_TRUE(blobs_->Get(job.upload_blob_key).has_value());

  now += 3600;
  EXPECT_EQ(runner.DeleteFailedUploads(), 1);
  EXPECT_FALSE(blobs_->Get(job.upload_blob_key).has_value());
  store::UploadJob failed = Job(job.id);
  EXPECT_EQ(failed.state, store::JobState::kFailed);
  EXPECT_EQ(failed.last_error.rfind("render: ", 0), 0u)
      << "the reason stays: " << failed.last_error;
  EXPECT_TRUE(failed.upload_removed);
  EXPECT_EQ(runner.DeleteFailedUploads(), 0) << "done once";
}

TEST_F(JobJanitorTest, KeepsAFailedJobsUploadItCouldNotDeleteForTheNextPass) {
  store::UploadJob job = Enqueue();
  ASSERT_TRUE(store_->ClaimJob("w", NowSeconds(), 60).has_value());
  ASSERT_TRUE(store_->FailJob(job.id, "w", "given up", false, 0, NowSeconds() - 10));
  UndeletableBlobStore blobs(*blobs_);
  JobRunner runner(*store_, blobs, WithGrace(0));

  EXPECT_EQ(runner.DeleteFailedUploads(), 0);
  EXPECT_FALSE(Job(job.id).upload_removed);
  blobs.refusing = false;
  EXPECT_EQ(runner.DeleteFailedUploads(), 1);
  EXPECT_FALSE(blobs_->Get(job.upload_blob_key).has_value());
}

TEST_F(JobJanitorTest, TheJanitorThreadRemovesFailedUploadsToo) {
  store::UploadJob job = Enqueue();
  ASSERT_TRUE(store_->ClaimJob("w", NowSeconds(), 60).has_value());
  ASSERT_TRUE(store_->FailJob(job.id, "w", "given up", false, 0, NowSeconds() - 10));
  JobOptions options = WithGrace(0);
  options.janitor_interval_ms = 20;
  JobRunner runner(*store_, *blobs_, options);
  runner.Start();
  EXPECT_TRUE(WaitFor([&] { return Job(job.id).upload_removed; }));
  runner.Stop();
  EXPECT_FALSE(blobs_->Get(job.upload_blob_key).has_value());
}

}  // namespace
}  // namespace portrait::jobs

namespace portrait::jobs {
namespace {

class BannerJobsTest : public testing::JobRunnerFixture {
 protected:
  store::UploadJob EnqueueBanner(std::optional<store::BannerRegion> region = std::nullopt) {
    const std::string bytes = testing::EncodedImage("jpeg");
    const std::string key =
        "uploads/" + std::to_string(user_id_) + "-banner" + RandomLowerAlphanumeric(6);
    EXPECT_TRUE(blobs_->Put(key, bytes).ok());
    store::NewUploadJob job{.user_id = user_id_,
                            .upload_blob_key = key,
                            .format = "jpeg",
                            .upload_bytes = static_cast<int64_t>(bytes.size())};
    job.kind = store::MediaKind::kBanner;
    job.banner_region = region;
    return store_->EnqueueUpload(job, NowSeconds());
  }

  std::set<std::string> BannerFiles(int64_t banner_id) {
    std::set<std::string> names;
    std::error_code missing;
    for (const auto& entry : std::filesystem::directory_iterator(
             root_ / "blobs" / "profile_banners" / std::to_string(user_id_) /
                 std::to_string(banner_id),
             missing)) {
      names.insert(entry.path().filename().string());
    }
    return names;
  }
};

TEST_F(BannerJobsTest, ABannerJobWritesTenSizesAndBecomesTheUsersBanner) {
  JobRunner runner(*store_, *blobs_, TestOptions());
  store::UploadJob job = EnqueueBanner(store::BannerRegion{100, 50, 10, 10});
  ASSERT_EQ(runner.RunUntilIdle(), 1);
  EXPECT_EQ(Job(job.id).state, store::JobState::kDone);
  EXPECT_EQ(store_->FindUserById(user_id_)->banner_id, job.id);
  EXPECT_FALSE(UserImage()) << "the profile image is untouched";
  std::set<std::string> expected;
  for (const image::VariantSpec& size : image::kBannerVariants) expected.emplace(size.name);
  EXPECT_EQ(BannerFiles(job.id), expected);
  EXPECT_FALSE(blobs_->Get(job.upload_blob_key)) << "the upload is deleted once done";
}

TEST_F(BannerJobsTest, AReplacedBannerIsDeletedOnceItsGraceHasPassed) {
  JobOptions options = TestOptions();
  options.retire_grace_seconds = 0;
  options.janitor_interval_ms = 20;
  JobRunner runner(*store_, *blobs_, options);
  store::UploadJob first = EnqueueBanner();
  ASSERT_EQ(runner.RunUntilIdle(), 1);
  store::UploadJob second = EnqueueBanner();
  ASSERT_EQ(runner.RunUntilIdle(), 1);
  ASSERT_EQ(BannerFiles(first.id).size(), 10u);
  runner.Start();
  EXPECT_TRUE(testing::WaitFor([&] { return BannerFiles(first.id).empty(); }));
  runner.Stop();
  EXPECT_EQ(BannerFiles(second.id).size(), 10u) << "the current banner stays";
}

}  // namespace
}  // namespace portrait::jobs
