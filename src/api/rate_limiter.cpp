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

std::map<std::string, RateLimiter::OpenWindow, std::less<>> RateLimiter::Open(
    std::string_view prefix, int64_t now) {
  std::map<std::string, OpenWindow, std::less<>> open;
  if (shared_store_) {
    for (auto& [key, window] : shared_store_->ListRateWindows(prefix, now)) {
      open.emplace(key.substr(prefix.size()), OpenWindow{window.count, window.end});
    }
    return open;
  }
  std::lock_guard lock(mutex_);
  for (auto it = windows_.lower_bound(prefix);
       it != windows_.end() && std::string_view(it->first).starts_with(prefix); ++it) {
    const int64_t reset = it->second.start + window_seconds_;
    if (now < reset)
      open.emplace(it->first.substr(prefix.size()), OpenWindow{it->second.count, reset});
  }
  return open;
}

void RateLimiter::DropExpired(int64_t now) {
  if (now < next_sweep_) return;
  next_sweep_ = now + window_seconds_ / 4;
  std::erase_if(windows_,
                [&](const auto& entry) { return now >= entry.second.start + window_seconds_; });
}

}  // namespace portrait::api
