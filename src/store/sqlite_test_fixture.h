#pragma once
// A fresh SQLite store in its own temporary directory, removed after the test: for tests of
// what only the SQLite backend does (the contract of every backend is in store_test_support.h).
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/store_test_support.h"

namespace portrait::store {

class SqliteStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<MetadataStore> OpenStore() { return OpenSqliteStore(SqliteOptions{db_path_}); }

  User CreateUser(const std::string& screen_name) { return CreateTestUser(*store_, screen_name); }
  UploadJob Enqueue(int64_t user_id, int64_t now = kNow) {
    return EnqueueTestJob(*store_, user_id, now);
  }

  static constexpr int64_t kNow = kTestNow;

  TemporaryDirectory directory_;
  std::string db_path_ = (directory_.path() / "portrait.db").string();
  std::unique_ptr<MetadataStore> store_ = OpenStore();
};

}  // namespace portrait::store
