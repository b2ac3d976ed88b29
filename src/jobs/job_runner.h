#pragma once
// JobRunner: the background half of an upload. A pool of worker threads claims upload jobs from
// the MetadataStore under leases, renders the variants with the image pipeline, writes them to
// the BlobStore, and completes the job (last upload wins; see MetadataStore::CompleteJob).
// A janitor deletes the files of replaced images once their grace period has passed.
//
// Crash safety: a job whose worker died is reclaimed when its lease expires. Each claim counts
// an attempt; a failed attempt is retried after retry_delay_seconds until max_attempts, then
// the job is recorded as failed with its reason and the user's image is unchanged.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "blob/blob_store.h"
#include "store/metadata_store.h"

namespace portrait::jobs {

struct JobOptions {
  int workers = 2;
  int64_t lease_seconds = 60;
  int max_attempts = 3;
  int64_t retry_delay_seconds = 2;
  int64_t poll_interval_ms = 1000;     // also the fallback when no Notify() arrives
  int64_t retire_grace_seconds = 86400;  // how long a replaced image stays served
  int64_t janitor_interval_ms = 60000;
  std::string worker_name;  // lease holder prefix, e.g. "host:pid"; a thread index is appended
};

// Blob keys, shared with the API layer that serves the files.
std::string VariantBlobKey(const store::ProfileImage& image, std::string_view suffix);

class JobRunner {
 public:
  JobRunner(store::MetadataStore& store, blob::BlobStore& blobs, JobOptions options);
  ~JobRunner();  // Stop()s
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  void Start();
  // Wakes an idle worker: call after a job was enqueued. Thread-safe, cheap.
  void Notify();
  // Lets running jobs finish, then joins every thread. Jobs not finished keep their lease and
  // are reclaimed later. Idempotent.
  void Stop();

  // Processes jobs on the calling thread until none is due (for tests and the CLI).
  int RunUntilIdle();
};

}  // namespace portrait::jobs
