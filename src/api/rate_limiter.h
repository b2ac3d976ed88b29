#pragma once
// RateLimiter: fixed 15-minute windows per (principal, endpoint), as Twitter's v1.1 limits.
// In memory, per process. Safe for concurrent use. Memory is bounded: expired windows are
// dropped as new ones open.
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace portrait::api {

struct RateLimitState {
  int64_t limit = 0;
  int64_t remaining = 0;
  int64_t reset = 0;  // epoch seconds when the window ends
  bool allowed = true;
};

class RateLimiter {
 public:
  explicit RateLimiter(int64_t window_seconds = 900) : window_seconds_(window_seconds) {}

  // Counts one request for key against limit and reports the window's state.
  RateLimitState Take(std::string_view key, int64_t limit, int64_t now);

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
  std::mutex mutex_;
  std::unordered_map<std::string, Window> windows_;
  int64_t next_sweep_ = 0;
};

}  // namespace portrait::api
