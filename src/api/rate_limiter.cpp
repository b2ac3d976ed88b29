#include "api/rate_limiter.h"

#include <algorithm>

namespace portrait::api {

RateLimitState RateLimiter::Take(std::string_view key, int64_t limit, int64_t now) {
  if (shared_store_) {
    store::RateWindow window = shared_store_->CountRequest(key, now, window_seconds_);
    return RateLimitState{limit, std::max<int64_t>(0, limit - window.count), window.end,
                          window.count <= limit};
  }
  std::lock_guard lock(mutex_);
  DropExpired(now);
  Window& window = windows_[std::string(key)];
  if (window.start == 0 || now >= window.start + window_seconds_) window = Window{now, 0};
  RateLimitState state;
  state.limit = limit;
  state.reset = window.start + window_seconds_;
  state.allowed = window.count < limit;
  if (state.allowed) ++window.count;
  state.remaining = std::max<int64_t>(0, limit - window.count);
  return state;
}

void RateLimiter::DropExpired(int64_t now) {
  if (now < next_sweep_) return;
  next_sweep_ = now + window_seconds_ / 4;
  std::erase_if(windows_,
                [&](const auto& entry) { return now >= entry.second.start + window_seconds_; });
}

}  // namespace portrait::api
