#pragma once
// A fresh PostgreSQL database per test, created on the server named by PORTRAIT_PG_URL and
// dropped after the test; the test is skipped when that variable is unset (start a server with
// scripts/postgres-test-server start). For tests of what only the PostgreSQL backend does (the
// contract of every backend is in store_test_support.h).
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/store_test_support.h"

namespace portrait::store {

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = PostgresTestDatabase::Create();
    if (!database_) GTEST_SKIP() << "PORTRAIT_PG_URL is not set";
    server_url_ = database_->server_url();
    url_ = database_->url();
    store_ = OpenStore();
  }

  void TearDown() override {
    store_.reset();
    database_.reset();
  }

  std::unique_ptr<MetadataStore> OpenStore(int pool_size = 4) { return database_->Open(pool_size); }

  User CreateUser(const std::string& screen_name) { return CreateTestUser(*store_, screen_name); }
  UploadJob Enqueue(int64_t user_id, int64_t now = kNow) {
    return EnqueueTestJob(*store_, user_id, now);
  }

  static constexpr int64_t kNow = kTestNow;
  static constexpr int kConnectTimeoutSeconds = PostgresTestDatabase::kConnectTimeoutSeconds;

  std::unique_ptr<PostgresTestDatabase> database_;
  std::string server_url_;
  std::string url_;  // the test's own database
  std::unique_ptr<MetadataStore> store_;
};

}  // namespace portrait::store
