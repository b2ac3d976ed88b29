#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "blob/blob_store.h"
#include "common/random.h"

namespace portrait::blob {
namespace {

namespace fs = std::filesystem;

class FileBlobStoreTest : public ::testing::Test {
 protected:
  ~FileBlobStoreTest() override {
    std::error_code ignored;
    fs::remove_all(base_, ignored);
  }

  // Every file under the root, as relative paths.
  std::vector<std::string> FilesUnderRoot() const {
    std::vector<std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(root_)) {
      if (entry.is_regular_file()) files.push_back(fs::relative(entry.path(), root_).string());
    }
    return files;
  }

  const fs::path base_ =
      fs::temp_directory_path() / ("portrait-blob-" + RandomLowerAlphanumeric(12));
  const fs::path root_ = base_ / "blobs";
  std::unique_ptr<BlobStore> store_ = OpenFileBlobStore(root_.string());
};

TEST_F(FileBlobStoreTest, OpeningCreatesTheRoot) {
  EXPECT_TRUE(fs::is_directory(root_));
  EXPECT_TRUE(store_->CheckHealth().ok());
}

TEST_F(FileBlobStoreTest, PutGetDeleteRoundTrip) {
  const std::string bytes("\x89PNG\r\n\x1a\n\0binary", 15);
  ASSERT_TRUE(store_->Put("profile_images/42/abc_normal.png", bytes).ok());
  EXPECT_EQ(store_->Get("profile_images/42/abc_normal.png"), bytes);
  EXPECT_TRUE(fs::is_regular_file(root_ / "profile_images/42/abc_normal.png"));
  ASSERT_TRUE(store_->Delete("profile_images/42/abc_normal.png").ok());
  EXPECT_EQ(store_->Get("profile_images/42/abc_normal.png"), std::nullopt);
}

TEST_F(FileBlobStoreTest, ServedValuesFollowPutsAndDeletesAtOnce) {
  const std::string key = "profile_images/42/abc_normal.png";
  EXPECT_EQ(store_->GetForServing(key), std::nullopt);
  ASSERT_TRUE(store_->Put(key, "first").ok());
  EXPECT_EQ(store_->GetForServing(key), "first");
  EXPECT_EQ(store_->GetForServing(key), "first");  // from memory this time
  ASSERT_TRUE(store_->Put(key, "second").ok());
  EXPECT_EQ(store_->GetForServing(key), "second");
  ASSERT_TRUE(store_->Delete(key).ok());
  EXPECT_EQ(store_->GetForServing(key), std::nullopt);
  EXPECT_EQ(store_->GetForServing("../escape"), std::nullopt);
}

TEST_F(FileBlobStoreTest, ServesValuesLargerThanItKeepsInMemory) {
  const std::string big(1 << 20, 'x');
  ASSERT_TRUE(store_->Put("big", big).ok());
  EXPECT_EQ(store_->GetForServing("big"), big);
  EXPECT_EQ(store_->GetForServing("big"), big);
}

TEST_F(FileBlobStoreTest, PutOverwritesTheWholeValue) {
  ASSERT_TRUE(store_->Put("a", std::string(1000, 'x')).ok());
  ASSERT_TRUE(store_->Put("a", "short").ok());
  EXPECT_EQ(store_->Get("a"), "short");
}

TEST_F(FileBlobStoreTest, EmptyValueIsStored) {
  ASSERT_TRUE(store_->Put("empty", "").ok());
  EXPECT_EQ(store_->Get("empty"), "");
}

TEST_F(FileBlobStoreTest, MissingKeysReadAsNothingAndDeleteQuietly) {
  EXPECT_EQ(store_->Get("nope"), std::nullopt);
  EXPECT_EQ(store_->Get("no/such/dir/file"), std::nullopt);
  EXPECT_TRUE(store_->Delete("nope").ok());
  EXPECT_TRUE(store_->Delete("no/such/dir/file").ok());
}

TEST_F(FileBlobStoreTest, DirectoryIsNotAValue) {
  ASSERT_TRUE(store_->Put("dir/file", "x").ok());
  EXPECT_EQ(store_->Get("dir"), std::nullopt);
}

TEST_F(FileBlobStoreTest, InvalidKeysNeverTouchTheFilesystem) {
  for (const char* key : {"../escape", "/abs", "a//b", "", "a/./b", "a/"}) {
    EXPECT_FALSE(store_->Put(key, "x").ok()) << key;
    EXPECT_EQ(store_->Get(key), std::nullopt) << key;
    EXPECT_FALSE(store_->Delete(key).ok()) << key;
  }
  EXPECT_FALSE(fs::exists(base_ / "escape"));
  EXPECT_TRUE(FilesUnderRoot().empty());
}

TEST_F(FileBlobStoreTest, LeavesNoTemporaryFilesBehind) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(store_->Put("uploads/one", "value " + std::to_string(i)).ok());
    ASSERT_TRUE(store_->Put("profile_images/" + std::to_string(i) + "/k.png", "png").ok());
  }
  std::vector<std::string> files = FilesUnderRoot();
  EXPECT_EQ(files.size(), 6u);
  for (const std::string& file : files) EXPECT_EQ(file.find('~'), std::string::npos) << file;
}

TEST_F(FileBlobStoreTest, DeleteRemovesDirectoriesItLeavesEmpty) {
  ASSERT_TRUE(store_->Put("profile_images/7/a.png", "a").ok());
  ASSERT_TRUE(store_->Put("profile_images/7/b.png", "b").ok());
  ASSERT_TRUE(store_->Put("profile_images/8/a.png", "a").ok());
  ASSERT_TRUE(store_->Delete("profile_images/7/a.png").ok());
  EXPECT_TRUE(fs::is_directory(root_ / "profile_images/7"));
  ASSERT_TRUE(store_->Delete("profile_images/7/b.png").ok());
  EXPECT_FALSE(fs::exists(root_ / "profile_images/7"));
  EXPECT_TRUE(fs::is_directory(root_ / "profile_images/8"));
  ASSERT_TRUE(store_->Delete("profile_images/8/a.png").ok());
  EXPECT_FALSE(fs::exists(root_ / "profile_images"));
  EXPECT_TRUE(fs::is_directory(root_));
  ASSERT_TRUE(store_->Put("profile_images/8/a.png", "again").ok());
  EXPECT_EQ(store_->Get("profile_images/8/a.png"), "again");
}

// A key the filesystem cannot hold is a Fault of the call, not of the storage: not transient,
// and the store stays healthy.
TEST_F(FileBlobStoreTest, PutUnderARegularFileThrowsAPermanentFaultWithTheSystemReason) {
  ASSERT_TRUE(store_->Put("file", "x").ok());
  try {
    (void)store_->Put("file/child", "y");
    ADD_FAILURE() << "Put under a regular file did not throw";
  } catch (const TransientFault& fault) {
    ADD_FAILURE() << "ENOTDIR taken as transient: " << fault.what();
  } catch (const Fault& fault) {
    EXPECT_NE(std::string(fault.what()).find("blob put file/child"), std::string::npos)
        << fault.what();
    EXPECT_NE(std::string(fault.what()).find("Not a directory"), std::string::npos) << fault.what();
  }
  EXPECT_EQ(store_->Get("file"), "x");
  EXPECT_TRUE(store_->CheckHealth().ok());
}

TEST_F(FileBlobStoreTest, ConcurrentPutsOfOneKeyLeaveOneWholeValue) {
  constexpr int kWriters = 8;
  constexpr size_t kValueBytes = 256 * 1024;
  std::atomic<bool> writing = true;
  std::atomic<int> torn_reads = 0;
  std::thread reader([&] {
    while (writing) {
      std::optional<std::string> value = store_->Get("contended");
      if (value && (value->size() != kValueBytes ||
                    value->find_first_not_of(value->front()) != std::string::npos)) {
        ++torn_reads;
      }
    }
  });
  std::vector<std::thread> writers;
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([&, i] {
      for (int round = 0; round < 5; ++round) {
        EXPECT_TRUE(
            store_->Put("contended", std::string(kValueBytes, static_cast<char>('a' + i))).ok());
      }
    });
  }
  for (auto& writer : writers) writer.join();
  writing = false;
  reader.join();
  EXPECT_EQ(torn_reads, 0);
  std::optional<std::string> value = store_->Get("contended");
  ASSERT_TRUE(value);
  ASSERT_EQ(value->size(), kValueBytes);
  EXPECT_EQ(value->find_first_not_of(value->front()), std::string::npos);
  EXPECT_EQ(FilesUnderRoot().size(), 1u);
}

TEST_F(FileBlobStoreTest, PutsSucceedWhileDeletesEmptyTheirDirectory) {
  std::vector<std::thread> threads;
  std::atomic<int> failures = 0;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const std::string key = "shared/dir/t" + std::to_string(t);
      for (int i = 0; i < 25; ++i) {
        if (!store_->Put(key, "v").ok() || store_->Get(key) != "v") ++failures;
        if (!store_->Delete(key).ok()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures, 0);
}

TEST_F(FileBlobStoreTest, UnavailableWhenTheRootIsGone) {
  fs::remove_all(root_);
  Status health = store_->CheckHealth();
  EXPECT_FALSE(health.ok());
  EXPECT_EQ(health.message(), "blob store unavailable");
}

TEST_F(FileBlobStoreTest, PutAllStoresEveryValueInEveryDirectory) {
  const BlobToPut blobs[] = {{"profile_images/7/k.png", "original"},
                             {"profile_images/7/k_normal.png", "normal"},
                             {"uploads/7-x", "upload"}};
  ASSERT_TRUE(store_->PutAll(blobs).ok());
  EXPECT_EQ(store_->Get("profile_images/7/k.png"), "original");
  EXPECT_EQ(store_->Get("profile_images/7/k_normal.png"), "normal");
  EXPECT_EQ(store_->Get("uploads/7-x"), "upload");
  EXPECT_EQ(FilesUnderRoot().size(), 3u) << "no temporary file left behind";
}

TEST_F(FileBlobStoreTest, PutAllRefusesAnInvalidKeyBeforeWritingAnything) {
  const BlobToPut blobs[] = {{"profile_images/8/k.png", "original"}, {"../escape", "x"}};
  Status refused = store_->PutAll(blobs);
  EXPECT_FALSE(refused.ok());
  EXPECT_FALSE(store_->Get("profile_images/8/k.png"));
  EXPECT_TRUE(FilesUnderRoot().empty());
}

TEST_F(FileBlobStoreTest, PutAllReplacesWhatAGetForServingHadCached) {
  ASSERT_TRUE(store_->Put("profile_images/9/k.png", "old").ok());
  ASSERT_EQ(store_->GetForServing("profile_images/9/k.png"), "old");
  const BlobToPut blobs[] = {{"profile_images/9/k.png", "new"}};
  ASSERT_TRUE(store_->PutAll(blobs).ok());
  EXPECT_EQ(store_->GetForServing("profile_images/9/k.png"), "new");
}

}  // namespace
}  // namespace portrait::blob
