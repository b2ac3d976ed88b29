#include "http/connection_registry.h"

namespace portrait::http {

void ConnectionRegistry::Add(const std::shared_ptr<Connection>& connection) {
  std::lock_guard lock(mutex_);
  connections_.emplace(connection.get(), connection);
}

void ConnectionRegistry::Remove(const Connection* connection) {
  std::function<void()> on_empty;
  {
    std::lock_guard lock(mutex_);
    if (connections_.erase(connection) == 0 || !connections_.empty()) return;
    on_empty = on_empty_;
  }
  if (on_empty) on_empty();
}

size_t ConnectionRegistry::size() const {
  std::lock_guard lock(mutex_);
  return connections_.size();
}

std::vector<std::shared_ptr<Connection>> ConnectionRegistry::Snapshot() const {
  std::vector<std::shared_ptr<Connection>> alive;
  std::lock_guard lock(mutex_);
  alive.reserve(connections_.size());
  for (const auto& [key, weak] : connections_) {
    if (auto connection = weak.lock()) alive.push_back(std::move(connection));
  }
  return alive;
}

void ConnectionRegistry::SetOnEmpty(std::function<void()> on_empty) {
  std::lock_guard lock(mutex_);
  on_empty_ = std::move(on_empty);
}

}  // namespace portrait::http
