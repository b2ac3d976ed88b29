#pragma once
// Request counters and queue gauges rendered in the Prometheus text exposition format (0.0.4).
// Safe for concurrent use.
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "store/metadata_store.h"

namespace portrait::api {

class Metrics {
 public:
  // Counts one response for an endpoint label ("users/show", "profile_images", "other", ...).
  void CountRequest(std::string_view endpoint, int status, double seconds);

  // The whole exposition, with queue gauges read from store now.
  std::string Render(store::MetadataStore& store, int64_t now) const;

 private:
  struct Latency {
    uint64_t count = 0;
    double sum = 0;
    uint64_t buckets[8] = {};  // cumulative counts for kBucketBounds
  };
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  std::map<std::string, Latency> latency_;
};

}  // namespace portrait::api
