#pragma once
// A pool of read-only connections to one database file, so that reads run in parallel with each
// other and (in WAL mode) with the writer. Connections are opened on demand; up to
// kMaxIdleReaders are kept for reuse. Safe for concurrent use by multiple threads.
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/sqlite_connection.h"

namespace portrait::store {

class SqliteReaderPool {
 public:
  static constexpr size_t kMaxIdleReaders = 8;

  // A connection held by one thread until the Lease is destroyed.
  class Lease {
   public:
    Lease(SqliteReaderPool& pool, std::unique_ptr<SqliteConnection> connection)
        : pool_(pool), connection_(std::move(connection)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { pool_.Release(std::move(connection_)); }

    SqliteConnection& operator*() { return *connection_; }
    SqliteConnection* operator->() { return connection_.get(); }

   private:
    SqliteReaderPool& pool_;
    std::unique_ptr<SqliteConnection> connection_;
  };

  SqliteReaderPool(std::string path, ConnectionOptions options)
      : path_(std::move(path)), options_(options) {}

  // An idle connection, or a new one (throws Fault when it cannot be opened).
  Lease Acquire();

 private:
  void Release(std::unique_ptr<SqliteConnection> connection);

  const std::string path_;
  const ConnectionOptions options_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_;  // guarded by mutex_
};

}  // namespace portrait::store
