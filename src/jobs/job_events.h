#pragma once
// What the JobRunner reports about each job attempt, for logs and metrics. Every event is
// written to stderr as one JSON line ({"ts":..,"level":..,"event":"job","outcome":..,...}) and
// passed to the optional listener in JobOptions. Events never carry image bytes.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "store/records.h"

namespace portrait::jobs {

enum class JobOutcome {
  kClaimed,     // a worker claimed the job; an attempt starts
  kDone,        // variants stored and job completed (the user's image unless a later upload won)
  kRetry,       // the attempt failed; the job is queued again after retry_delay_seconds
  kPostponed,   // a transient fault cut the attempt short; the job is queued again after its
                // backoff, and the attempt does not count
  kFailed,      // the attempt failed and none is left (or it cannot succeed): the job is failed
  kLeaseLost,   // another worker took the job over; this attempt's files were removed
  kUnresolved,  // a fault struck while completing: if it did not commit, the job is reclaimed
                // when its lease expires
  kFault,       // the store failed outside a job's own outcome (job_id 0 when no job was held),
                // or could not record it; the worker backs off for poll_interval_ms
};

std::string_view OutcomeName(JobOutcome outcome);  // "claimed", "done", "retry", ...

struct JobEvent {
  JobOutcome outcome = JobOutcome::kClaimed;
  int64_t job_id = 0;
  int64_t user_id = 0;
  int attempt = 0;  // 1 for the first attempt
  std::string worker;
  // Why the attempt did not succeed. For kDone: empty, or a cleanup problem (the upload blob
  // could not be deleted).
  std::string reason;
  int64_t render_ms = 0;  // decode + encode of all variants
  int64_t decode_ms = 0;  // of render_ms: the first frame to the base (0 if rendering failed)
  // The first frame was decoded when the upload was checked (see DecodedCache): decode_ms is 0.
  bool decoded_at_upload = false;
  int64_t encode_ms = 0;  // of render_ms: every variant resized and encoded (likewise)
  int64_t store_ms = 0;   // variant writes + completing the job in the metadata store
  int64_t total_ms = 0;   // from claim to outcome
  std::optional<store::ProfileImage> image;  // set for kDone
};

// Called on the worker thread that produced the event: must be thread-safe and quick.
// Exceptions it throws are swallowed.
using JobEventListener = std::function<void(const JobEvent&)>;

// Writes event as one JSON line to stderr.
void LogJobEvent(const JobEvent& event);

// Writes one JSON line about the janitor ({"event":"janitor","images_deleted":..,
// "uploads_deleted":..,...}) to stderr.
void LogJanitorPass(int images_deleted, int uploads_deleted, std::string_view problem);

}  // namespace portrait::jobs
