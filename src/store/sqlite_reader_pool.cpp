#include "store/sqlite_reader_pool.h"

namespace portrait::store {

SqliteReaderPool::Lease SqliteReaderPool::Acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      std::unique_ptr<SqliteConnection> connection = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(connection));
    }
  }
  return Lease(*this, std::make_unique<SqliteConnection>(path_, options_));
}

void SqliteReaderPool::Release(std::unique_ptr<SqliteConnection> connection) {
  std::lock_guard lock(mutex_);
  if (idle_.size() < kMaxIdleReaders) idle_.push_back(std::move(connection));
}

}  // namespace portrait::store
