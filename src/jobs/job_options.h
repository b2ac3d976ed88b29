#pragma once
// How a JobRunner runs: pool size, leases, retries, polling and the janitor's grace period.
#include <cstdint>
#include <functional>
#include <string>

#include "image/decoded_cache.h"
#include "jobs/job_events.h"

namespace portrait::jobs {

struct JobOptions {
  // Worker threads. 0 runs only the janitor (RunUntilIdle still works).
  int workers = 2;
  // A claim lasts this long; it is renewed once, after rendering, before the variants are
  // written. Writing seven small files and completing takes far less than a lease, so a worker
  // that still holds its lease then keeps it to the end. Short, because it is also how long the
  // uploads a crashed process held wait before another worker takes them up.
  int64_t lease_seconds = 15;
  // Counted attempts before a job is recorded failed, retry_delay_seconds apart. An attempt
  // counts when the upload itself is at fault (the pipeline rejects it) or when its worker
  // vanished without recording an outcome (a crash, a lost lease): so a job that kills its
  // process is failed after this many claims instead of looping. Claims cut short by a
  // transient fault do not count.
  int max_attempts = 3;
  int64_t retry_delay_seconds = 2;
  // A transient fault (the blob store or database full, failing or unreachable) puts the job
  // back in the queue after a backoff: first_backoff_seconds, doubling with each such fault up
  // to max_backoff_seconds, each delay drawn between half and all of that (jitter, so that jobs
  // held up together do not all come back at once). Once retry_horizon_seconds have passed
  // since the job was accepted, the next transient fault fails it, with that fault as reason.
  int64_t first_backoff_seconds = 1;
  int64_t max_backoff_seconds = 300;
  int64_t retry_horizon_seconds = 86400;
  // An idle worker claims again after this long even without Notify(); also the back-off after
  // a store fault, and the longest pause between tries to record an outcome the store refused.
  int64_t poll_interval_ms = 1000;
  int64_t retire_grace_seconds = 86400;  // how long a replaced image stays served; also how
                                         // long a failed job's upload is kept for operators
  int64_t janitor_interval_ms = 60000;   // <= 0: no janitor thread
  // Lease holder prefix, e.g. "host:pid"; "/{thread index}" (or "/sync" for RunUntilIdle) is
  // appended. Must differ between processes sharing a store; empty: "{hostname}:{pid}".
  std::string worker_name;
  JobEventListener on_event;  // optional, in addition to the stderr log line
  // Optional: uploads this process decoded while checking them; a job found here is rendered
  // without decoding it again (and without reading its stored bytes).
  image::DecodedCache* decoded_uploads = nullptr;
  // The clock, in Unix seconds, for leases, retry times, the horizon and the janitor (tests move
  // it); empty: the system clock.
  std::function<int64_t()> clock;
};

// The delay before a job whose attempts met transient_failures transient faults before this
// one is due again (see JobOptions): min(max, first * 2^transient_failures), scaled by
// (1 + jitter) / 2 and rounded up; jitter in [0, 1]. At least 1 second.
int64_t TransientBackoffSeconds(const JobOptions& options, int transient_failures, double jitter);

}  // namespace portrait::jobs
