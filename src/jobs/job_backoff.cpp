#include <algorithm>
#include <cmath>

#include "jobs/job_options.h"

namespace portrait::jobs {

int64_t TransientBackoffSeconds(const JobOptions& options, int transient_failures, double jitter) {
  const int64_t cap = std::max<int64_t>(1, options.max_backoff_seconds);
  int64_t delay = std::clamp<int64_t>(options.first_backoff_seconds, 1, cap);
  for (int i = 0; i < transient_failures && delay < cap; ++i) delay = std::min(cap, delay * 2);
  const double scaled = static_cast<double>(delay) * (1.0 + std::clamp(jitter, 0.0, 1.0)) / 2.0;
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(scaled)));
}

}  // namespace portrait::jobs
