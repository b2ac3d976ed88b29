#pragma once
// Wakes job workers when any node enqueues an upload: a connection of its own, outside the
// pool, that LISTENs on the channel EnqueueUpload NOTIFYs (portrait_jobs).
//
// Threading: Wait may be called from several threads; they take turns on the one connection,
// so it is meant for one dispatcher thread per process. Notifications are hints: a wake-up may
// find nothing to claim, and one sent while the connection was down is lost, which is why
// Wait reports a wake-up after reconnecting.
#include <memory>
#include <mutex>
#include <string>

#include "store/postgres_connection.h"

namespace portrait::store {

class PostgresJobListener {
 public:
  PostgresJobListener(std::string url, int connect_timeout_seconds)
      : url_(std::move(url)), connect_timeout_seconds_(connect_timeout_seconds) {}

  // Waits up to timeout_ms; true when a job may have been enqueued since the last call. The
  // first call connects. Throws Fault when it cannot (re)connect.
  bool Wait(int timeout_ms);

 private:
  const std::string url_;
  const int connect_timeout_seconds_;
  std::timed_mutex mutex_;
  std::unique_ptr<PostgresConnection> connection_;  // guarded by mutex_
};

}  // namespace portrait::store
