#pragma once
// The server's view of its open connections: how many there are (for max_connections) and a
// way to reach each one when the server stops. Safe for concurrent use.
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace portrait::http {

// One open connection. Both calls are thread-safe and return at once; the work happens on
// the connection's own executor.
class Connection {
 public:
  virtual ~Connection() = default;
  // The server is stopping: finish the request in progress, answer it with Connection: close
  // and close; close at once if the connection is idle.
  virtual void BeginShutdown() = 0;
  // Drain time is up: close the socket now, abandoning anything unwritten.
  virtual void ForceClose() = 0;
};

class ConnectionRegistry {
 public:
  void Add(const std::shared_ptr<Connection>& connection);
  // Called from the connection's destructor.
  void Remove(const Connection* connection);
  size_t size() const;
  // The connections still alive.
  std::vector<std::shared_ptr<Connection>> Snapshot() const;
  // on_empty runs (on the thread that removes the last connection, outside the lock) each
  // time the registry becomes empty; an empty function disables it.
  void SetOnEmpty(std::function<void()> on_empty);

 private:
  mutable std::mutex mutex_;
  std::unordered_map<const Connection*, std::weak_ptr<Connection>> connections_;
  std::function<void()> on_empty_;
};

}  // namespace portrait::http
