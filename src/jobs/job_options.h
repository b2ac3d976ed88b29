#pragma once
// How a JobRunner runs: pool size, leases, retries, polling and the janitor's grace period.
#include <cstdint>
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
  // Attempts (claims) before a job is recorded failed.
  int max_attempts = 3;
  int64_t retry_delay_seconds = 2;
  // An idle worker claims again after this long even without Notify(); also the back-off after
  // a store fault.
  int64_t poll_interval_ms = 1000;
  int64_t retire_grace_seconds = 86400;  // how long a replaced image stays served
  int64_t janitor_interval_ms = 60000;   // <= 0: no janitor thread
  // Lease holder prefix, e.g. "host:pid"; "/{thread index}" (or "/sync" for RunUntilIdle) is
  // appended. Must differ between processes sharing a store; empty: "{hostname}:{pid}".
  std::string worker_name;
  JobEventListener on_event;  // optional, in addition to the stderr log line
  // Optional: uploads this process decoded while checking them; a job found here is rendered
  // without decoding it again (and without reading its stored bytes).
  image::DecodedCache* decoded_uploads = nullptr;
};

}  // namespace portrait::jobs
