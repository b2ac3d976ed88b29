// The file blob store on a real full filesystem: a small tmpfs mounted for the test (root only;
// skipped, saying so, where mounting is not allowed).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>

#include "blob/blob_store.h"
#include "common/random.h"

namespace portrait::blob {
namespace {

namespace fs = std::filesystem;

constexpr const char* kTmpfsOptions = "size=1m";

class FileBlobStoreDiskFullTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(mount_point_);
    if (::mount("tmpfs", mount_point_.c_str(), "tmpfs", 0, kTmpfsOptions) != 0) {
      GTEST_SKIP() << "cannot mount a tmpfs at " << mount_point_ << " (" << std::strerror(errno)
                   << "): needs root";
    }
    mounted_ = true;
    store_ = OpenFileBlobStore((mount_point_ / "blobs").string());
  }

  void TearDown() override {
    store_.reset();
    if (mounted_) ::umount2(mount_point_.c_str(), MNT_DETACH);
    std::error_code ignored;
    fs::remove_all(mount_point_, ignored);
  }

  // Writes a filler file until the filesystem refuses more; returns the errno that stopped it.
  int Fill() {
    const std::string path = (mount_point_ / "filler").string();
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0) return errno;
    const std::string block(64 * 1024, 'f');
    size_t size = block.size();
    int stopped = 0;
    while (stopped == 0) {
      if (::write(fd, block.data(), size) >= 0) continue;
      // A smaller write may still fit: keep halving until not even one byte does.
      if (errno == ENOSPC && size > 1) {
        size /= 2;
      } else {
        stopped = errno;
      }
    }
    ::close(fd);
    return stopped;
  }

  void FreeSpace() { fs::remove(mount_point_ / "filler"); }

  std::vector<std::string> FilesWithTilde() {
    std::vector<std::string> names;
    for (const auto& entry : fs::recursive_directory_iterator(mount_point_ / "blobs")) {
      if (entry.path().filename().string().find('~') != std::string::npos) {
        names.push_back(entry.path().string());
      }
    }
    return names;
  }

  const fs::path mount_point_ =
      fs::temp_directory_path() / ("portrait-full-" + RandomLowerAlphanumeric(12));
  bool mounted_ = false;
  std::unique_ptr<BlobStore> store_;
};

TEST_F(FileBlobStoreDiskFullTest, APutOnAFullDiskThrowsStorageFullAndKeepsTheOldValue) {
  ASSERT_TRUE(store_->Put("uploads/a", "first").ok());
  ASSERT_EQ(Fill(), ENOSPC);

  const std::string large(64 * 1024, 'x');
  try {
    (void)store_->Put("uploads/a", large);
    ADD_FAILURE() << "a Put on a full disk succeeded";
  } catch (const StorageFullFault& fault) {
    EXPECT_NE(std::string(fault.what()).find("No space left on device"), std::string::npos)
        << fault.what();
  }
  EXPECT_THROW((void)store_->Put("profile_images/9/k_normal.png", large), StorageFullFault);
  EXPECT_EQ(store_->Get("uploads/a"), "first");
  EXPECT_TRUE(FilesWithTilde().empty()) << "no temporary file is left behind";
  EXPECT_TRUE(store_->Delete("uploads/a").ok()) << "deleting needs no space";
}

TEST_F(FileBlobStoreDiskFullTest, HealthSaysDiskFullUntilSpaceIsFreedThenRecoversByItself) {
  EXPECT_TRUE(store_->CheckHealth().ok());
  ASSERT_EQ(Fill(), ENOSPC);
  EXPECT_TRUE(store_->CheckHealth().ok()) << "no write has failed yet";

  EXPECT_THROW((void)store_->Put("uploads/b", std::string(8192, 'x')), StorageFullFault);
  Status full = store_->CheckHealth();
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.message(), "disk full");
  EXPECT_EQ(store_->CheckHealth().message(), "disk full") << "its own probe write fails too";

  FreeSpace();
  EXPECT_TRUE(store_->CheckHealth().ok()) << "the probe write succeeds once there is room";
  EXPECT_TRUE(store_->Put("uploads/b", std::string(8192, 'x')).ok());
}

}  // namespace
}  // namespace portrait::blob
