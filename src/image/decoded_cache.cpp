#include "image/decoded_cache.h"

namespace portrait::image {

bool DecodedCache::Put(const std::string& key, DecodedUpload decoded) {
  const size_t size = decoded.memory_bytes();
  std::lock_guard lock(mutex_);
  const Clock::time_point now = Clock::now();
  DropExpiredLocked(now);
  if (entries_.contains(key) || bytes_ + size > max_bytes_) return false;
  entries_.emplace(key, Entry{std::move(decoded), now});
  order_.push_back(key);
  bytes_ += size;
  return true;
}

std::optional<DecodedUpload> DecodedCache::Take(const std::string& key) {
  std::lock_guard lock(mutex_);
  DropExpiredLocked(Clock::now());
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  DecodedUpload decoded = std::move(it->second.decoded);
  bytes_ -= decoded.memory_bytes();
  entries_.erase(it);
  // Its key stays in order_ until it reaches the front; a key with no entry is skipped there.
  return decoded;
}

size_t DecodedCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

size_t DecodedCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

void DecodedCache::DropExpiredLocked(Clock::time_point now) {
  while (!order_.empty()) {
    auto it = entries_.find(order_.front());
    if (it != entries_.end()) {
      if (now - it->second.kept <= max_age_) return;
      bytes_ -= it->second.decoded.memory_bytes();
      entries_.erase(it);
    }
    order_.pop_front();
  }
}

}  // namespace portrait::image
