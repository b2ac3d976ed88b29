#include "api/metrics.h"

#include <cstdio>

namespace portrait::api {
namespace {

constexpr double kBucketBounds[] = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1.0};

std::string Number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

}  // namespace

void Metrics::CountRequest(std::string_view endpoint, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{std::string(endpoint), status}];
  Latency& latency = latency_[std::string(endpoint)];
  ++latency.count;
  latency.sum += seconds;
  for (size_t i = 0; i < std::size(kBucketBounds); ++i) {
    if (seconds <= kBucketBounds[i]) ++latency.buckets[i];
  }
}

std::string Metrics::Render(store::MetadataStore& store, int64_t now) const {
  std::string out;
  {
    std::lock_guard lock(mutex_);
    out += "# HELP portrait_http_requests_total Responses sent, by endpoint and status.\n";
    out += "# TYPE portrait_http_requests_total counter\n";
    for (const auto& [key, count] : requests_) {
      out += "portrait_http_requests_total{endpoint=\"" + key.first + "\",status=\"" +
             std::to_string(key.second) + "\"} " + std::to_string(count) + "\n";
    }
    out += "# HELP portrait_http_request_duration_seconds Time to build a response.\n";
    out += "# TYPE portrait_http_request_duration_seconds histogram\n";
    for (const auto& [endpoint, latency] : latency_) {
      const std::string name = "portrait_http_request_duration_seconds";
      const std::string label = "endpoint=\"" + endpoint + "\"";
      for (size_t i = 0; i < std::size(kBucketBounds); ++i) {
        out += name + "_bucket{" + label + ",le=\"" + Number(kBucketBounds[i]) + "\"} " +
               std::to_string(latency.buckets[i]) + "\n";
      }
      out += name + "_bucket{" + label + ",le=\"+Inf\"} " + std::to_string(latency.count) + "\n";
      out += name + "_sum{" + label + "} " + Number(latency.sum) + "\n";
      out += name + "_count{" + label + "} " + std::to_string(latency.count) + "\n";
    }
  }
  const int64_t pending = store.CountPendingJobs();
  const auto oldest = store.OldestPendingJobCreatedAt();
  out += "# HELP portrait_upload_queue_depth Uploads queued or processing.\n";
  out += "# TYPE portrait_upload_queue_depth gauge\n";
  out += "portrait_upload_queue_depth " + std::to_string(pending) + "\n";
  out += "# HELP portrait_upload_oldest_job_age_seconds Age of the oldest pending upload.\n";
  out += "# TYPE portrait_upload_oldest_job_age_seconds gauge\n";
  out += "portrait_upload_oldest_job_age_seconds " +
         std::to_string(oldest ? std::max<int64_t>(0, now - *oldest) : 0) + "\n";
  return out;
}

}  // namespace portrait::api
