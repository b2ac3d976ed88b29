#pragma once
// A fresh SQLite store in its own temporary directory, removed after the test.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "common/random.h"
#include "store/metadata_store.h"

namespace portrait::store {

class TemporaryDirectory {
 public:
  TemporaryDirectory()
      : path_(std::filesystem::temp_directory_path() /
              ("portrait-test-" + RandomLowerAlphanumeric(12))) {
    std::filesystem::create_directories(path_);
  }
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
  ~TemporaryDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class SqliteStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<MetadataStore> OpenStore() { return OpenSqliteStore(SqliteOptions{db_path_}); }

  static NewUser NamedUser(const std::string& screen_name) {
    NewUser user;
    user.screen_name = screen_name;
    user.name = screen_name;
    return user;
  }

  User CreateUser(const std::string& screen_name) {
    Result<User, Conflict> user = store_->CreateUser(NamedUser(screen_name), kNow);
    EXPECT_TRUE(user.ok());
    return user.ok() ? *user : User{};
  }

  UploadJob Enqueue(int64_t user_id, int64_t now = kNow) {
    return store_->EnqueueUpload(
        NewUploadJob{user_id, "uploads/" + RandomLowerAlphanumeric(8), "png", 1234}, now);
  }

  static constexpr int64_t kNow = 1'700'000'000;

  TemporaryDirectory directory_;
  std::string db_path_ = (directory_.path() / "portrait.db").string();
  std::unique_ptr<MetadataStore> store_ = OpenStore();
};

}  // namespace portrait::store
