#pragma once
// What store tests share: a temporary directory (SQLite), a throwaway PostgreSQL database, and
// StoreContractTest, the fixture of the behaviour every MetadataStore backend must show. Each
// contract test is written once (store_*_contract_test.cpp) and instantiated for SQLite in
// store_test and for PostgreSQL in store_pgtest (sqlite_contract_test.cpp,
// postgres_contract_pgtest.cpp).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/random.h"
#include "store/metadata_store.h"
#include "store/postgres_connection.h"

namespace portrait::store {

inline constexpr int64_t kTestNow = 1'700'000'000;

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

// A fresh database on the server named by PORTRAIT_PG_URL (scripts/postgres-test-server start),
// dropped on destruction.
class PostgresTestDatabase {
 public:
  static constexpr int kConnectTimeoutSeconds = 5;

  // Nothing when PORTRAIT_PG_URL is unset (the caller skips its test).
  static std::unique_ptr<PostgresTestDatabase> Create() {
    const char* url = std::getenv("PORTRAIT_PG_URL");
    if (url == nullptr || *url == '\0') return nullptr;
    return std::unique_ptr<PostgresTestDatabase>(new PostgresTestDatabase(url));
  }
  PostgresTestDatabase(const PostgresTestDatabase&) = delete;
  PostgresTestDatabase& operator=(const PostgresTestDatabase&) = delete;
  ~PostgresTestDatabase() {
    PostgresConnection(server_url_, kConnectTimeoutSeconds)
        .Query("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  }

  const std::string& server_url() const { return server_url_; }
  const std::string& url() const { return url_; }  // the test's own database

  std::unique_ptr<MetadataStore> Open(int pool_size = 4) const {
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

 private:
  explicit PostgresTestDatabase(std::string server_url)
      : server_url_(std::move(server_url)), name_("portrait_test_" + RandomLowerAlphanumeric(12)) {
    // The name is generated above, never input: safe to place in the statement.
    PostgresConnection(server_url_, kConnectTimeoutSeconds).Query("CREATE DATABASE " + name_);
    url_ = WithDatabase(server_url_, name_);
  }

  std::string server_url_;
  std::string name_;
  std::string url_;
};

inline NewUser NamedUser(const std::string& screen_name) {
  NewUser user;
  user.screen_name = screen_name;
  user.name = screen_name;
  return user;
}

// A user named screen_name (the test fails if the name is taken).
inline User CreateTestUser(MetadataStore& store, const std::string& screen_name) {
  Result<User, ProfileViolation> user = store.CreateUser(NamedUser(screen_name), kTestNow);
  EXPECT_TRUE(user.ok());
  return user.ok() ? *user : User{};
}

// A queued upload job of user_id with a fresh blob key.
inline UploadJob EnqueueTestJob(MetadataStore& store, int64_t user_id, int64_t now = kTestNow) {
  return store.EnqueueUpload(
      NewUploadJob{.user_id = user_id,
                   .upload_blob_key = "uploads/" + RandomLowerAlphanumeric(8),
                   .format = "png",
                   .upload_bytes = 1234},
      now);
}

enum class Backend { kSqlite, kPostgres };

inline std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

// How GoogleTest names the parameter in its output.
inline void PrintTo(Backend backend, std::ostream* out) {
  *out << (backend == Backend::kSqlite ? "Sqlite" : "Postgres");
}

class StoreContractTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres) {
      postgres_ = PostgresTestDatabase::Create();
      if (!postgres_) GTEST_SKIP() << "PORTRAIT_PG_URL is not set";
    }
    store_ = OpenStore();
  }

  // Another handle on the same database: another process, or another node.
  std::unique_ptr<MetadataStore> OpenStore() {
    if (postgres_) return postgres_->Open();
    return OpenSqliteStore(SqliteOptions{(directory_.path() / "portrait.db").string()});
  }

  User CreateUser(const std::string& screen_name) { return CreateTestUser(*store_, screen_name); }
  UploadJob Enqueue(int64_t user_id, int64_t now = kNow) {
    return EnqueueTestJob(*store_, user_id, now);
  }

  static constexpr int64_t kNow = kTestNow;

  TemporaryDirectory directory_;
  std::unique_ptr<PostgresTestDatabase> postgres_;
  std::unique_ptr<MetadataStore> store_;
};

using StoreUsersTest = StoreContractTest;
using StoreAppsTest = StoreContractTest;
using StoreNoncesTest = StoreContractTest;
using StoreRateWindowsTest = StoreContractTest;

class StoreJobsTest : public StoreContractTest {
 protected:
  void SetUp() override {
    StoreContractTest::SetUp();
    if (!IsSkipped()) user_ = CreateUser("uploader");
  }
  User user_;
};

// Jobs that finished at a given time, done or failed, for the pruning contract.
class StoreFinishedJobsTest : public StoreJobsTest {
 protected:
  static constexpr int64_t kFinishedJobsLeaseSeconds = 60;

  UploadJob Done(int64_t now) {
    UploadJob job = Enqueue(user_.id, now);
    EXPECT_TRUE(store_->ClaimJob("w", now, kFinishedJobsLeaseSeconds));
    EXPECT_TRUE(store_->CompleteJob(job.id, "w", ProfileImage{job.id, "k", "png"}, now, now));
    return job;
  }
  UploadJob Failed(int64_t now, bool upload_removed) {
    UploadJob job = Enqueue(user_.id, now);
    EXPECT_TRUE(store_->ClaimJob("w", now, kFinishedJobsLeaseSeconds));
    EXPECT_TRUE(store_->FailJob(job.id, "w", "corrupt", false, 0, now));
    if (upload_removed) store_->ForgetFailedJobUpload(job.id);
    return job;
  }
};

// Claims until the queue is empty; returns the claimed ids in order.
inline std::vector<int64_t> ClaimAll(MetadataStore& store, const std::string& worker,
                                     int64_t lease_seconds = 600) {
  std::vector<int64_t> ids;
  while (std::optional<UploadJob> job = store.ClaimJob(worker, kTestNow, lease_seconds)) {
    ids.push_back(job->id);
  }
  return ids;
}

// Claims with threads_per_store threads on each store at once; returns every claimed id.
inline std::vector<int64_t> ClaimConcurrently(const std::vector<MetadataStore*>& stores,
                                              int threads_per_store) {
  std::mutex mutex;
  std::vector<int64_t> all;
  std::vector<std::thread> threads;
  for (size_t s = 0; s < stores.size(); ++s) {
    for (int t = 0; t < threads_per_store; ++t) {
      threads.emplace_back([&, store = stores[s], s, t] {
        std::vector<int64_t> ids =
            ClaimAll(*store, "w" + std::to_string(s) + "-" + std::to_string(t));
        std::lock_guard lock(mutex);
        all.insert(all.end(), ids.begin(), ids.end());
      });
    }
  }
  for (auto& thread : threads) thread.join();
  return all;
}

inline void ExpectEachJobOnce(const std::vector<int64_t>& ids, int jobs) {
  EXPECT_EQ(ids.size(), static_cast<size_t>(jobs));
  EXPECT_EQ(std::set<int64_t>(ids.begin(), ids.end()).size(), static_cast<size_t>(jobs));
}

using StoreConcurrencyTest = StoreContractTest;
using StoreSignInTest = StoreContractTest;

// A person, the app she signs in to and another app, for the three-legged flow's request tokens.
class StoreRequestTokensTest : public StoreContractTest {
 protected:
  static constexpr int64_t kLifetime = 900;
  static constexpr const char* kVerifier = "1234567";

  void SetUp() override {
    StoreContractTest::SetUp();
    if (IsSkipped()) return;
    user_ = CreateUser("flowing");
    app_ = store_->CreateApp("client", kNow);
    other_app_ = store_->CreateApp("other", kNow);
  }

  RequestToken Create(AccessLevel level = AccessLevel::kReadWrite) {
    return store_->CreateRequestToken(NewRequestToken{app_.id, "oob", level, kNow + kLifetime},
                                      kNow);
  }

  // A request token the user authorized at kNow + 10 with kVerifier.
  RequestToken Authorized(AccessLevel level = AccessLevel::kReadWrite) {
    RequestToken token = Create(level);
    EXPECT_TRUE(store_->AuthorizeRequestToken(token.token, user_.id, kVerifier, kNow + 10).ok());
    return token;
  }

  Result<AccessToken, ExchangeRefusal> Exchange(const RequestToken& token,
                                                std::string_view verifier = kVerifier,
                                                int64_t now = kNow + 20) {
    return store_->ExchangeRequestToken(token.token, app_.id, verifier, now);
  }

  User user_;
  App app_;
  App other_app_;
};

// Runs every contract suite against one backend; used once per test binary.
#define PORTRAIT_INSTANTIATE_STORE_CONTRACT(prefix, backend)                                       \
  INSTANTIATE_TEST_SUITE_P(prefix, StoreUsersTest, ::testing::Values(backend), BackendName);       \
  INSTANTIATE_TEST_SUITE_P(prefix, StoreAppsTest, ::testing::Values(backend), BackendName);        \
  INSTANTIATE_TEST_SUITE_P(prefix, StoreNoncesTest, ::testing::Values(backend), BackendName);      \
  INSTANTIATE_TEST_SUITE_P(prefix, StoreRateWindowsTest, ::testing::Values(backend), BackendName); \
  INSTANTIATE_TEST_SUITE_P(prefix, StoreJobsTest, ::testing::Values(backend), BackendName);        \
  INSTANTIATE_TEST_SUITE_P(prefix, StoreFinishedJobsTest, ::testing::Values(backend),              \
                           BackendName);                                                           \
  INSTANTIATE_TEST_SUITE_P(prefix, StoreConcurrencyTest, ::testing::Values(backend), BackendName); \
  INSTANTIATE_TEST_SUITE_P(prefix, StoreSignInTest, ::testing::Values(backend), BackendName);      \
  INSTANTIATE_TEST_SUITE_P(prefix, StoreRequestTokensTest, ::testing::Values(backend), BackendName)

}  // namespace portrait::store
