#pragma once
// What Portrait counts, rendered in the Prometheus text exposition format (0.0.4).
// Safe for concurrent use. Label values come from small fixed sets (endpoint names, statuses,
// formats, job outcomes, failure categories), never from request input.
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "store/metadata_store.h"

namespace portrait::api {

class Metrics {
 public:
  // One response: endpoint label ("users/show", "profile_images", "other", ...), status, time
  // spent building it, request body bytes and response body bytes.
  void CountRequest(std::string_view endpoint, int status, double seconds, uint64_t bytes_in,
                    uint64_t bytes_out);
  void CountRateLimited(std::string_view endpoint);
  // An accepted upload, by format ("jpeg", "png", "gif"), and how long validation took.
  void CountUpload(std::string_view format, double validate_seconds);
  // A job event: outcome ("done", "retry", "failed", ...), failure category (empty when none)
  // and stage times; no decode time when the first frame was decoded during validation.
  void CountJob(std::string_view outcome, std::string_view failure,
                std::optional<double> decode_seconds, double encode_seconds, double store_seconds);

  // Reads the open-connection gauge when rendering (set once, before serving).
  void set_open_connections(std::function<size_t()> source) {
    open_connections_ = std::move(source);
  }

  // The whole exposition, with queue gauges read from store now.
  std::string Render(store::MetadataStore& store, int64_t now) const;

 private:
  struct Histogram {
    uint64_t count = 0;
    double sum = 0;
    uint64_t buckets[10] = {};  // cumulative, for kBucketBounds
    void Observe(double seconds);
  };
  using Counters = std::map<std::string, uint64_t>;  // rendered label set -> count

  mutable std::mutex mutex_;
  Counters requests_;
  std::map<std::string, Histogram> request_seconds_;
  uint64_t bytes_in_ = 0;
  uint64_t bytes_out_ = 0;
  Counters rate_limited_;
  Counters uploads_;
  Counters jobs_;
  Counters job_failures_;
  std::map<std::string, Histogram> stage_seconds_;
  std::function<size_t()> open_connections_;
};

}  // namespace portrait::api
