#pragma once
// Real backends for JobRunner tests: a SQLite store and a file blob store in a temporary
// directory, one user, and images generated with libvips.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vips/vips8>

#include "blob/blob_store.h"
#include "common/random.h"
#include "common/time_format.h"
#include "image/pipeline.h"
#include "image/variant_catalogue.h"
#include "jobs/job_runner.h"
#include "store/metadata_store.h"

namespace portrait::jobs::testing {

inline std::string EncodedImage(const std::string& format, int width = 600, int height = 400) {
  vips::VImage image =
      (vips::VImage::black(width, height, vips::VImage::option()->set("bands", 3)) +
       std::vector<double>{200, 120, 40})
          .cast(VIPS_FORMAT_UCHAR);
  VipsBlob* blob = format == "png"   ? image.pngsave_buffer()
                   : format == "gif" ? image.gifsave_buffer()
                                     : image.jpegsave_buffer();
  size_t size = 0;
  const void* data = vips_blob_get(blob, &size);
  std::string bytes(static_cast<const char*>(data), size);
  vips_area_unref(VIPS_AREA(blob));
  return bytes;
}

// Polls condition every 5 ms until it holds or timeout_ms passes; returns whether it held.
inline bool WaitFor(const std::function<bool()>& condition, int64_t timeout_ms = 5000) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

class JobRunnerFixture : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { image::InitImageLibrary(2); }

  JobRunnerFixture() {
    std::filesystem::create_directories(root_);
    store_ = store::OpenSqliteStore(store::SqliteOptions{(root_ / "portrait.db").string()});
    blobs_ = blob::OpenFileBlobStore((root_ / "blobs").string());
    store::NewUser alice;
    alice.screen_name = "alice";
    alice.name = "Alice";
    auto created = store_->CreateUser(alice, NowSeconds());
    EXPECT_TRUE(created.ok());
    if (created.ok()) user_id_ = created->id;
  }
  ~JobRunnerFixture() override {
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
  }

  // Fast settings: no retry delay, short polling, no janitor thread.
  static JobOptions TestOptions() {
    JobOptions options;
    options.workers = 1;
    options.retry_delay_seconds = 0;
    options.poll_interval_ms = 50;
    options.janitor_interval_ms = 0;
    options.worker_name = "test";
    return options;
  }

  store::UploadJob Enqueue(const std::string& format = "jpeg") {
    std::string bytes = EncodedImage(format);
    return EnqueueBytes(bytes, format);
  }

  store::UploadJob EnqueueBytes(const std::string& bytes, const std::string& format) {
    const std::string key =
        "uploads/" + std::to_string(user_id_) + "-" + RandomLowerAlphanumeric(8);
    EXPECT_TRUE(blobs_->Put(key, bytes).ok());
    return store_->EnqueueUpload(
        store::NewUploadJob{.user_id = user_id_,
                            .upload_blob_key = key,
                            .format = format,
                            .upload_bytes = static_cast<int64_t>(bytes.size())},
        NowSeconds());
  }

  store::UploadJob Job(int64_t id) { return store_->FindJob(id).value_or(store::UploadJob{}); }
  std::optional<store::ProfileImage> UserImage() { return store_->FindUserById(user_id_)->image; }

  // The file names in the image's directory of the blob store.
  std::set<std::string> ImageFiles(int64_t image_id) {
    std::set<std::string> names;
    std::filesystem::path dir = root_ / "blobs" / "profile_images" / std::to_string(image_id);
    std::error_code missing;
    for (const auto& entry : std::filesystem::directory_iterator(dir, missing)) {
      names.insert(entry.path().filename().string());
    }
    return names;
  }

  static std::set<std::string> ExpectedFiles(const store::ProfileImage& image) {
    std::set<std::string> names;
    for (const image::VariantSpec& variant : image::kProfileImageVariants) {
      names.insert(image.key + std::string(variant.suffix) + "." + image.extension);
    }
    return names;
  }

  std::filesystem::path root_ = std::filesystem::temp_directory_path() /
                                ("portrait-jobs-test-" + RandomLowerAlphanumeric(12));
  std::unique_ptr<store::MetadataStore> store_;
  std::unique_ptr<blob::BlobStore> blobs_;
  int64_t user_id_ = 0;
};

}  // namespace portrait::jobs::testing
