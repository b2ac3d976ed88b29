#pragma once
// RateLimiter: fixed 15-minute windows per (principal, endpoint), as Twitter's v1.1 limits.
// Either in memory, for one process (the embedded default: nothing to share, no write per
// request), or counted in a metadata store that several nodes share (PostgreSQL), so a client
// spreading requests over the nodes meets one limit. Safe for concurrent use. In memory, expired
// windows are dropped as new ones open; in the store, the store purges closed windows.
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "store/metadata_store.h"

namespace portrait::api {

struct RateLimitState {
  int64_t limit = 0;
  int64_t remaining = 0;
  int64_t reset = 0;  // epoch seconds when the window ends
  bool allowed = true;
};

class RateLimiter {
 public:
  // shared_store: count in it (windows shared by every node using it); null: count in memory.
  explicit RateLimiter(int64_t window_seconds = 900, store::MetadataStore* shared_store = nullptr)
      : window_seconds_(window_seconds), shared_store_(shared_store) {}

  // Counts one request for key against limit and reports the window's state. With a shared
  // store, a store fault throws portrait::Fault.
  RateLimitState Take(std::string_view key, int64_t limit, int64_t now);

  // The windows open at now whose keys start with prefix, by the rest of their key, without
  // counting anything (rate_limit_status). With a shared store, a store fault throws Fault.
  struct OpenWindow {
    int64_t count = 0;
    int64_t reset = 0;  // epoch seconds when the window ends
  };
  std::map<std::string, OpenWindow, std::less<>> Open(std::string_view prefix, int64_t now);

  // The state a fresh window would have (for responses with no known principal).
  RateLimitState Peek(int64_t limit, int64_t now) const {
    return RateLimitState{limit, limit, now + window_seconds_, true};
  }

 private:
  struct Window {
    int64_t start = 0;
    int64_t count = 0;
  };
  void DropExpired(int64_t now);

  const int64_t window_seconds_;
  store::MetadataStore* const shared_store_;
  std::mutex mutex_;
  std::map<std::string, Window, std::less<>> windows_;  // ordered: Open() reads a prefix
  int64_t next_sweep_ = 0;
};

}  // namespace portrait::api
