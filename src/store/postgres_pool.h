#pragma once
// A fixed-size pool of PostgreSQL connections shared by the threads of one process.
//
// Acquire blocks (mutex + condition variable) until a connection is free. Before handing one
// out the pool notices whether the server closed it while idle and reconnects; Run additionally
// reconnects after a connection is lost mid-statement and retries the work once when that is
// safe: always for reads, and for writes only if nothing that may have committed was sent.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/postgres_connection.h"

namespace portrait::store {

enum class RetryPolicy {
  kRead,   // no side effects: retry after any connection loss
  kWrite,  // retry only if no COMMIT (nor an autocommitted statement) was sent
};

class PostgresPool {
 public:
  // Opens size connections at once, so a bad URL or a down server fails the open.
  PostgresPool(const std::string& url, int size, int connect_timeout_seconds);

  class Lease {
   public:
    Lease(PostgresPool& pool, std::unique_ptr<PostgresConnection> connection)
        : pool_(&pool), connection_(std::move(connection)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (connection_) pool_->Release(std::move(connection_));
    }
    PostgresConnection& operator*() { return *connection_; }
    PostgresConnection* operator->() { return connection_.get(); }

   private:
    PostgresPool* pool_;
    std::unique_ptr<PostgresConnection> connection_;
  };

  // Waits for a free connection, reconnecting it if the server dropped it.
  Lease Acquire();

  // Runs work(PostgresConnection&) on a pooled connection, per policy retrying once on a
  // fresh connection after the connection was lost. Returns what work returns.
  template <class Work>
  auto Run(RetryPolicy policy, Work&& work) {
    Lease connection = Acquire();
    connection->ClearCommitAttempted();
    try {
      return work(*connection);
    } catch (const PostgresConnectionLost&) {
      if (policy == RetryPolicy::kWrite && connection->commit_attempted()) throw;
    }
    connection->Reset();
    connection->ClearCommitAttempted();
    return work(*connection);
  }

 private:
  void Release(std::unique_ptr<PostgresConnection> connection);

  std::mutex mutex_;
  std::condition_variable released_;
  std::vector<std::unique_ptr<PostgresConnection>> idle_;  // guarded by mutex_
};

}  // namespace portrait::store
