// WriteHealthTracker: a failed write makes CheckHealth fail until a write succeeds again.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "blob/blob_store.h"
#include "common/random.h"

namespace portrait::blob {
namespace {

namespace fs = std::filesystem;

enum class PutFault { kNone, kStorageFull, kTransient, kPermanent };

// Throws the armed fault from every Put, recording the keys it was asked to write.
class FaultyPuts : public BlobStoreWrapper {
 public:
  using BlobStoreWrapper::BlobStoreWrapper;

  Status Put(std::string_view key, std::string_view bytes) override {
    {
      std::lock_guard lock(mutex_);
      keys_.emplace_back(key);
    }
    switch (fault.load()) {
      case PutFault::kNone:
        return BlobStoreWrapper::Put(key, bytes);
      case PutFault::kStorageFull:
        throw StorageFullFault("blob put " + std::string(key) + ": No space left on device");
      case PutFault::kTransient:
        throw TransientFault("blob put " + std::string(key) + ": Input/output error");
      case PutFault::kPermanent:
        throw Fault("blob put " + std::string(key) + ": Not a directory");
    }
    return Status::Ok();
  }

  std::vector<std::string> keys() {
    std::lock_guard lock(mutex_);
    return keys_;
  }

  std::atomic<PutFault> fault = PutFault::kNone;

 private:
  std::mutex mutex_;
  std::vector<std::string> keys_;
};

class WriteHealthTrackerTest : public ::testing::Test {
 protected:
  ~WriteHealthTrackerTest() override {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }

  const fs::path root_ =
      fs::temp_directory_path() / ("portrait-health-" + RandomLowerAlphanumeric(12));
  std::unique_ptr<BlobStore> files_ = OpenFileBlobStore(root_.string());
  FaultyPuts faulty_{*files_};
  WriteHealthTracker tracker_{faulty_};
};

TEST_F(WriteHealthTrackerTest, IsHealthyWhileWritesSucceedAndWritesNothingToCheck) {
  ASSERT_TRUE(tracker_.Put("uploads/a", "bytes").ok());
  EXPECT_TRUE(tracker_.CheckHealth().ok());
  EXPECT_EQ(faulty_.keys(), std::vector<std::string>{"uploads/a"});
}

TEST_F(WriteHealthTrackerTest, ADiskFullWriteSaysDiskFullUntilItsProbeWriteSucceeds) {
  faulty_.fault = PutFault::kStorageFull;
  EXPECT_THROW((void)tracker_.Put("uploads/a", "bytes"), StorageFullFault);
  Status full = tracker_.CheckHealth();
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.message(), "disk full");
  EXPECT_EQ(tracker_.CheckHealth().message(), "disk full") << "the probe failed as well";

  faulty_.fault = PutFault::kNone;
  EXPECT_TRUE(tracker_.CheckHealth().ok()) << "the probe write succeeded";
  EXPECT_EQ(files_->Get(WriteHealthTracker::kWriteProbeKey), "ok");
  std::vector<std::string> keys = faulty_.keys();
  ASSERT_EQ(keys.size(), 4u);
  for (size_t i = 1; i < keys.size(); ++i) EXPECT_EQ(keys[i], WriteHealthTracker::kWriteProbeKey);
  EXPECT_TRUE(tracker_.CheckHealth().ok());
  EXPECT_EQ(faulty_.keys().size(), 4u) << "no probe once healthy";
}

TEST_F(WriteHealthTrackerTest, AnyOtherTransientWriteFaultSaysNotWritable) {
  faulty_.fault = PutFault::kTransient;
  EXPECT_THROW((void)tracker_.Put("profile_images/1/k.png", "png"), TransientFault);
  EXPECT_EQ(tracker_.CheckHealth().message(), "blob store not writable");
}

TEST_F(WriteHealthTrackerTest, ASuccessfulWriteClearsTheProblemWithoutAProbe) {
  faulty_.fault = PutFault::kTransient;
  EXPECT_THROW((void)tracker_.Put("uploads/a", "bytes"), TransientFault);
  faulty_.fault = PutFault::kNone;
  ASSERT_TRUE(tracker_.Put("uploads/b", "bytes").ok());
  EXPECT_TRUE(tracker_.CheckHealth().ok());
  EXPECT_EQ(faulty_.keys(), (std::vector<std::string>{"uploads/a", "uploads/b"}));
}

TEST_F(WriteHealthTrackerTest, APermanentFaultOfOneCallLeavesTheStoreHealthy) {
  faulty_.fault = PutFault::kPermanent;
  EXPECT_THROW((void)tracker_.Put("file/child", "y"), Fault);
  EXPECT_TRUE(tracker_.CheckHealth().ok());
}

TEST_F(WriteHealthTrackerTest, PassesOnTheTargetsOwnCheckWhileWritesWork) {
  fs::remove_all(root_);
  EXPECT_EQ(tracker_.CheckHealth().message(), "blob store unavailable");
}

TEST_F(WriteHealthTrackerTest, FactoriesReturnTrackedStores) {
  const fs::path full_root = root_ / "tracked";
  std::unique_ptr<BlobStore> store = OpenFileBlobStore(full_root.string());
  EXPECT_NE(dynamic_cast<WriteHealthTracker*>(store.get()), nullptr);
}

TEST_F(WriteHealthTrackerTest, AFailedPutAllIsTrackedAsAFailedPut) {
  // The tracker hands PutAll to its target (here FaultyPuts, whose default PutAll calls its Put).
  faulty_.fault = PutFault::kStorageFull;
  const BlobToPut blobs[] = {{"profile_images/1/a.png", "a"}, {"profile_images/1/b.png", "b"}};
  EXPECT_THROW((void)tracker_.PutAll(blobs), StorageFullFault);
  EXPECT_EQ(tracker_.CheckHealth().message(), "disk full");
  faulty_.fault = PutFault::kNone;
  ASSERT_TRUE(tracker_.PutAll(blobs).ok());
  EXPECT_TRUE(tracker_.CheckHealth().ok());
}

TEST_F(WriteHealthTrackerTest, APutAllWithOneTransientFaultAmongOthersThrowsTheTransientOne) {
  class MixedFaults : public BlobStoreWrapper {
   public:
    using BlobStoreWrapper::BlobStoreWrapper;
    Status Put(std::string_view key, std::string_view bytes) override {
      if (key.ends_with("bad")) throw Fault("blob put: Not a directory");
      if (key.ends_with("full")) throw StorageFullFault("blob put: No space left on device");
      return BlobStoreWrapper::Put(key, bytes);
    }
  } mixed(*files_);
  const BlobToPut blobs[] = {{"x/bad", "1"}, {"x/ok", "2"}, {"x/full", "3"}};
  EXPECT_THROW((void)mixed.PutAll(blobs), StorageFullFault);
  EXPECT_EQ(files_->Get("x/ok"), "2") << "every write ran to its end";
}

}  // namespace
}  // namespace portrait::blob
