#include "api/metrics.h"

#include <algorithm>
#include <cstdio>

namespace portrait::api {
namespace {

constexpr double kBucketBounds[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0};

std::string Number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

std::string Label(std::string_view name, std::string_view value) {
  std::string out(name);
  out += "=\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out + "\"";
}

void Header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += "# HELP " + std::string(name) + " " + std::string(help) + "\n";
  out += "# TYPE " + std::string(name) + " " + std::string(type) + "\n";
}

template <class Map>
void Family(std::string& out, std::string_view name, std::string_view help, const Map& counters) {
  Header(out, name, "counter", help);
  for (const auto& [labels, count] : counters) {
    out += std::string(name) + (labels.empty() ? "" : "{" + labels + "}") + " " +
           std::to_string(count) + "\n";
  }
}

}  // namespace

void Metrics::Histogram::Observe(double seconds) {
  ++count;
  sum += seconds;
  for (size_t i = 0; i < std::size(kBucketBounds); ++i) {
    if (seconds <= kBucketBounds[i]) ++buckets[i];
  }
}

void Metrics::CountRequest(std::string_view endpoint, int status, double seconds, uint64_t bytes_in,
                           uint64_t bytes_out) {
  std::lock_guard lock(mutex_);
  ++requests_[Label("endpoint", endpoint) + "," + Label("status", std::to_string(status))];
  request_seconds_[Label("endpoint", endpoint)].Observe(seconds);
  bytes_in_ += bytes_in;
  bytes_out_ += bytes_out;
}

void Metrics::CountRateLimited(std::string_view endpoint) {
  std::lock_guard lock(mutex_);
  ++rate_limited_[Label("endpoint", endpoint)];
}

void Metrics::CountUpload(std::string_view format, double validate_seconds) {
  std::lock_guard lock(mutex_);
  ++uploads_[Label("format", format)];
  stage_seconds_[Label("stage", "validate")].Observe(validate_seconds);
}

void Metrics::CountJob(std::string_view outcome, std::string_view failure,
                       std::optional<double> decode_seconds, double encode_seconds,
                       double store_seconds) {
  std::lock_guard lock(mutex_);
  ++jobs_[Label("outcome", outcome)];
  if (!failure.empty()) ++job_failures_[Label("reason", failure)];
  if (outcome == "done") {
    if (decode_seconds) stage_seconds_[Label("stage", "decode")].Observe(*decode_seconds);
    stage_seconds_[Label("stage", "encode")].Observe(encode_seconds);
    stage_seconds_[Label("stage", "store")].Observe(store_seconds);
  }
}

std::string Metrics::Render(store::MetadataStore& store, int64_t now) const {
  std::string out;
  auto histograms = [&out](std::string_view name, std::string_view help,
                           const std::map<std::string, Histogram>& family) {
    Header(out, name, "histogram", help);
    const std::string n(name);
    for (const auto& [labels, h] : family) {
      for (size_t i = 0; i < std::size(kBucketBounds); ++i) {
        out += n + "_bucket{" + labels + ",le=\"" + Number(kBucketBounds[i]) + "\"} " +
               std::to_string(h.buckets[i]) + "\n";
      }
      out += n + "_bucket{" + labels + ",le=\"+Inf\"} " + std::to_string(h.count) + "\n";
      out += n + "_sum{" + labels + "} " + Number(h.sum) + "\n";
      out += n + "_count{" + labels + "} " + std::to_string(h.count) + "\n";
    }
  };
  {
    std::lock_guard lock(mutex_);
    Family(out, "portrait_http_requests_total", "Responses sent, by endpoint and status.",
           requests_);
    histograms("portrait_http_request_duration_seconds", "Time to build a response.",
               request_seconds_);
    Family(out, "portrait_http_request_body_bytes_total", "Request body bytes received.",
           Counters{{"", bytes_in_}});
    Family(out, "portrait_http_response_body_bytes_total", "Response body bytes sent.",
           Counters{{"", bytes_out_}});
    Family(out, "portrait_rate_limited_total", "Requests refused with 429, by endpoint.",
           rate_limited_);
    Family(out, "portrait_uploads_accepted_total", "Uploads accepted, by format.", uploads_);
    Family(out, "portrait_jobs_total", "Job events, by outcome.", jobs_);
    Family(out, "portrait_job_failures_total", "Failed job attempts, by reason.", job_failures_);
    histograms("portrait_processing_stage_seconds",
               "Time per stage: validate (before the response), decode (the first frame to the "
               "upright sRGB base), encode (every variant resized and encoded), store (variant "
               "writes and completion).",
               stage_seconds_);
  }
  if (open_connections_) {
    Header(out, "portrait_http_open_connections", "gauge", "Connections open now.");
    out += "portrait_http_open_connections " + std::to_string(open_connections_()) + "\n";
  }
  const int64_t pending = store.CountPendingJobs();
  const auto oldest = store.OldestPendingJobCreatedAt();
  Header(out, "portrait_upload_queue_depth", "gauge", "Uploads queued or processing.");
  out += "portrait_upload_queue_depth " + std::to_string(pending) + "\n";
  Header(out, "portrait_upload_oldest_job_age_seconds", "gauge",
         "Age of the oldest pending upload.");
  out += "portrait_upload_oldest_job_age_seconds " +
         std::to_string(oldest ? std::max<int64_t>(0, now - *oldest) : 0) + "\n";
  return out;
}

}  // namespace portrait::api
