#include "store/postgres_pool.h"

namespace portrait::store {

PostgresPool::PostgresPool(const std::string& url, int size, int connect_timeout_seconds) {
  if (size < 1) throw Fault("postgres: the connection pool needs at least one connection");
  idle_.reserve(size);
  for (int i = 0; i < size; ++i) {
    idle_.push_back(std::make_unique<PostgresConnection>(url, connect_timeout_seconds));
  }
}

PostgresPool::Lease PostgresPool::Acquire() {
  std::unique_ptr<PostgresConnection> connection;
  {
    std::unique_lock lock(mutex_);
    released_.wait(lock, [this] { return !idle_.empty(); });
    connection = std::move(idle_.back());
    idle_.pop_back();
  }
  Lease lease(*this, std::move(connection));
  // Reconnecting outside the lock lets other threads take the remaining connections meanwhile.
  if (!lease->CheckAlive()) lease->Reset();
  return lease;
}

void PostgresPool::Release(std::unique_ptr<PostgresConnection> connection) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(connection));
  }
  released_.notify_one();
}

}  // namespace portrait::store
