#pragma once
// DecodedCache: uploads decoded while they were checked, kept in memory for the worker in this
// process that renders them, so each first frame is decoded once. Bounded in bytes; an entry not
// taken within max_age is dropped. A job whose entry is missing (dropped, never kept, or claimed
// by another node or after a restart) is simply decoded again from its stored bytes.
#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "image/pipeline.h"

namespace portrait::image {

class DecodedCache {
 public:
  using Clock = std::chrono::steady_clock;

  DecodedCache(size_t max_bytes, std::chrono::milliseconds max_age)
      : max_bytes_(max_bytes), max_age_(max_age) {}

  // Keeps decoded under key, unless that would take the cache over max_bytes once expired
  // entries are dropped: entries already kept are nearer to being rendered, so the new one is
  // the one left out. Returns whether it was kept.
  bool Put(const std::string& key, DecodedUpload decoded);

  // Removes and returns the entry for key, if present and not expired.
  std::optional<DecodedUpload> Take(const std::string& key);

  size_t bytes() const;
  size_t size() const;

 private:
  struct Entry {
    DecodedUpload decoded;
    Clock::time_point kept;
  };

  void DropExpiredLocked(Clock::time_point now);

  const size_t max_bytes_;
  const Clock::duration max_age_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;  // guarded by mutex_
  std::deque<std::string> order_;                   // keys, oldest first; guarded by mutex_
  size_t bytes_ = 0;                                // guarded by mutex_
};

}  // namespace portrait::image
