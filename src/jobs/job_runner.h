#pragma once
// JobRunner: the background half of an upload. A pool of worker threads claims upload jobs from
// the MetadataStore under leases, renders the variants with the image pipeline, writes them to
// the BlobStore, and completes the job (last upload wins; see MetadataStore::CompleteJob).
// A janitor deletes the files of replaced images, and the upload blobs of failed jobs, once
// their grace period has passed.
//
// Failures (see upload_job_processor.h for the whole list): only what is wrong with the upload
// itself (or with a call the storage rejects as made) fails a job. When the pipeline rejects
// the upload, the attempt counts and is retried after retry_delay_seconds
// until max_attempts, then the job is failed with its reason and the user's image is unchanged;
// a missing upload blob fails it at once. A transient fault (a full disk, an unreachable blob
// store or database) postpones the job with exponential backoff instead, without counting the
// attempt, until retry_horizon_seconds after the upload. A job whose worker died is reclaimed
// when its lease expires; that claim counts, so a job that kills its process ends failed.
//
// Faults: no exception leaves a worker or janitor thread. A store fault is logged (JSON line on
// stderr, outcome "fault") and the thread backs off for poll_interval_ms before trying again.
// A worker holding a job whose outcome the store cannot record keeps trying until it can, or
// until Stop().
//
// Requires image::InitImageLibrary() to have been called.
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "blob/blob_store.h"
#include "jobs/job_events.h"
#include "jobs/job_options.h"
#include "jobs/upload_job_processor.h"
#include "jobs/variant_blob_keys.h"
#include "store/metadata_store.h"

namespace portrait::jobs {

class JobRunner {
 public:
  // Keeps references: store and blobs must outlive the runner.
  JobRunner(store::MetadataStore& store, blob::BlobStore& blobs, JobOptions options);
  ~JobRunner();  // Stop()s
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  // Starts options.workers worker threads and, unless janitor_interval_ms <= 0, the janitor
  // (whose first pass runs at once). Does nothing while already started.
  void Start();
  // Wakes an idle worker: call after a job was enqueued. Thread-safe, cheap, never blocks on
  // job processing. Without it, idle workers still look for jobs every poll_interval_ms.
  void Notify();
  // Lets running jobs finish, then joins every thread. Jobs not finished keep their lease and
  // are reclaimed later. Idempotent; Start() may be called again afterwards. Start and Stop are
  // not to be called concurrently with each other.
  void Stop();

  // Processes jobs on the calling thread until none is due (for tests and the CLI); returns
  // how many attempts were made. Retries whose delay has not passed are left for later. An
  // outcome the store refuses is tried again for up to lease_seconds. A store fault while
  // claiming propagates as Fault.
  int RunUntilIdle();
  // One janitor pass on the calling thread; returns how many images had their files deleted.
  // A store fault propagates as Fault.
  int DeleteExpiredImages();
  // The janitor's other pass: removes the upload blobs of jobs failed more than
  // retire_grace_seconds ago (the jobs and their reasons stay); returns how many. A store fault
  // propagates as Fault.
  int DeleteFailedUploads();

 private:
  // Claims and processes one job as worker; the outcome, or nothing when no job was due.
  std::optional<JobOutcome> ClaimAndProcess(const std::string& worker, const Pause& pause);
  void WorkerLoop(const std::string& worker);
  void JanitorLoop();
  void Emit(const JobEvent& event);
  void EmitFault(const std::string& worker, const std::string& what);
  // Waits up to poll_interval_ms, or less when Notify() was called since seen_generation was
  // read, or Stop() is called.
  void WaitForWork(uint64_t seen_generation);
  // Waits for duration_ms, or less when Stop() is called. Returns false when stopping.
  bool SleepUnlessStopping(int64_t duration_ms);
  bool stopping();
  uint64_t notify_generation();

  store::MetadataStore& store_;
  blob::BlobStore& blobs_;
  const JobOptions options_;
  UploadJobProcessor processor_;

  std::mutex mutex_;
  std::condition_variable work_notified_;   // Notify() and Stop()
  std::condition_variable stop_requested_;  // Stop() only: sleepers that ignore Notify()
  uint64_t notify_generation_ = 0;          // counts Notify() calls, so none is missed
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace portrait::jobs
