#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "store/postgres_pool.h"
#include "store/postgres_test_fixture.h"

namespace portrait::store {
namespace {

constexpr auto kTerminateDelay = std::chrono::milliseconds(200);

// Connections lost in the middle of a statement, by the server ending the session.
class PostgresPoolTest : public PostgresStoreTest {
 protected:
  // Ends connection's session from another session shortly, while connection is busy.
  std::jthread TerminateSoon(PostgresConnection& connection) {
    const int64_t pid = connection.Query("SELECT pg_backend_pid()").Int64(0, 0);
    return std::jthread([this, pid] {
      std::this_thread::sleep_for(kTerminateDelay);
      PostgresConnection(url_, kConnectTimeoutSeconds)
          .Query("SELECT pg_terminate_backend($1::integer)", pid);
    });
  }

  void SetUp() override {
    PostgresStoreTest::SetUp();
    if (IsSkipped()) return;
    pool_ = std::make_unique<PostgresPool>(url_, 1, kConnectTimeoutSeconds);
  }

  std::unique_ptr<PostgresPool> pool_;
};

TEST_F(PostgresPoolTest, ReadLostMidStatementIsRetriedOnAFreshConnection) {
  int attempts = 0;
  std::jthread terminator;
  int64_t result = pool_->Run(RetryPolicy::kRead, [&](PostgresConnection& connection) {
    if (++attempts == 1) {
      terminator = TerminateSoon(connection);
      connection.Query("SELECT pg_sleep(10)");
    }
    return connection.Query("SELECT 42").Int64(0, 0);
  });
  EXPECT_EQ(result, 42);
  EXPECT_EQ(attempts, 2);
}

TEST_F(PostgresPoolTest, WriteLostBeforeCommitIsRetried) {
  int attempts = 0;
  std::jthread terminator;
  pool_->Run(RetryPolicy::kWrite, [&](PostgresConnection& connection) {
    PostgresTransaction transaction(connection);
    if (++attempts == 1) {
      terminator = TerminateSoon(connection);
      connection.Query("SELECT pg_sleep(10)");
    }
    transaction.Commit();
  });
  EXPECT_EQ(attempts, 2);
}

TEST_F(PostgresPoolTest, AutocommitWriteLostMidStatementIsNotRetried) {
  int attempts = 0;
  std::jthread terminator;
  EXPECT_THROW(pool_->Run(RetryPolicy::kWrite,
                          [&](PostgresConnection& connection) {
                            ++attempts;
                            terminator = TerminateSoon(connection);
                            connection.Query("SELECT pg_sleep(10)");
                          }),
               PostgresConnectionLost);
  EXPECT_EQ(attempts, 1);
  // The pool reconnects the connection on its next use.
  EXPECT_EQ(pool_->Run(RetryPolicy::kRead,
                       [](PostgresConnection& connection) {
                         return connection.Query("SELECT 1").Int64(0, 0);
                       }),
            1);
}

TEST_F(PostgresPoolTest, SqlErrorIsAFaultWithTheServerMessage) {
  try {
    pool_->Run(RetryPolicy::kRead, [](PostgresConnection& connection) {
      connection.Query("SELECT * FROM no_such_table");
    });
    FAIL() << "expected a Fault";
  } catch (const PostgresConnectionLost&) {
    FAIL() << "a SQL error is not a lost connection";
  } catch (const Fault& fault) {
    EXPECT_NE(std::string(fault.what()).find("no_such_table"), std::string::npos) << fault.what();
  }
}

}  // namespace
}  // namespace portrait::store
