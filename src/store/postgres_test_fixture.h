#pragma once
// A fresh PostgreSQL database per test, created on the server named by PORTRAIT_PG_URL and
// dropped after the test; the test is skipped when that variable is unset (start a server with
// scripts/postgres-test-server start).
#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "common/random.h"
#include "store/metadata_store.h"
#include "store/postgres_connection.h"

namespace portrait::store {

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* url = std::getenv("PORTRAIT_PG_URL");
    if (url == nullptr || *url == '\0') GTEST_SKIP() << "PORTRAIT_PG_URL is not set";
    server_url_ = url;
    database_ = "portrait_test_" + RandomLowerAlphanumeric(12);
    // The name is generated above, never input: safe to place in the statement.
    PostgresConnection(server_url_, kConnectTimeoutSeconds).Query("CREATE DATABASE " + database_);
    url_ = WithDatabase(server_url_, database_);
    store_ = OpenStore();
  }

  void TearDown() override {
    store_.reset();
    if (database_.empty()) return;
    PostgresConnection(server_url_, kConnectTimeoutSeconds)
        .Query("DROP DATABASE IF EXISTS " + database_ + " WITH (FORCE)");
  }

  std::unique_ptr<MetadataStore> OpenStore(int pool_size = 4) {
    return OpenPostgresStore(PostgresOptions{url_, pool_size, kConnectTimeoutSeconds});
  }

  // The server URL with its database replaced: postgresql://user@host:port/database?options.
  static std::string WithDatabase(const std::string& url, const std::string& database) {
    const size_t authority = url.find("://");
    const size_t path = url.find('/', authority == std::string::npos ? 0 : authority + 3);
    const size_t query = url.find('?', path == std::string::npos ? 0 : path);
    const std::string options = query == std::string::npos ? "" : url.substr(query);
    return url.substr(0, path == std::string::npos ? query : path) + "/" + database + options;
  }

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
  static constexpr int kConnectTimeoutSeconds = 5;

  std::string server_url_;
  std::string database_;
  std::string url_;  // the test's own database
  std::unique_ptr<MetadataStore> store_;
};

}  // namespace portrait::store
