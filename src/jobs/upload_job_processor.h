#pragma once
// Internal to src/jobs: one attempt at one claimed upload job, from the upload blob to the
// completed job. The JobRunner owns the threads; this owns what happens to a job.
//
// What ends an attempt, and what becomes of the job:
//  - the variants are stored and the job completed: done (the upload blob is then deleted);
//  - the upload is missing: failed at once;
//  - the pipeline rejects the bytes, or the blob store rejects a call as made (a Fault that is
//    not transient): a counted attempt, retried after retry_delay_seconds until max_attempts;
//  - a TransientFault of the blob store, or any fault of the metadata store: postponed with
//    backoff, not counted, until retry_horizon_seconds after the job was accepted;
//  - the claim is the (max_attempts + 1)th counted one, which happens only when earlier
//    workers vanished mid-job: failed at once ("abandoned"), so a job that kills its process
//    does not loop.
// An outcome the store cannot record at once (it is full or gone) is tried again while the
// attempt still holds the job, as long as the caller's pause allows; a completion that faulted
// is looked up before it is tried again, since it may have committed.
#include <functional>
#include <string>

#include "blob/blob_store.h"
#include "jobs/job_events.h"
#include "jobs/job_options.h"
#include "store/metadata_store.h"

namespace portrait::jobs {

// Waits about duration_ms before the attempt tries the store again; false when the attempt
// should give up instead (the runner is stopping, or its time is up).
using Pause = std::function<bool(int64_t duration_ms)>;

class UploadJobProcessor {
 public:
  // Keeps references: store, blobs and options must outlive the processor. options.clock must
  // be set.
  UploadJobProcessor(store::MetadataStore& store, blob::BlobStore& blobs,
                     const JobOptions& options);

  // Runs one attempt at job, which worker has just claimed, and reports its outcome. Never
  // throws: when even recording an outcome fails until pause gives up, the outcome is kFault
  // (kUnresolved while completing) and the lease's expiry brings the job back. Thread-safe.
  //
  // A failed job's upload blob is kept, for operators to examine next to its reason, until the
  // janitor removes it after the grace period.
  JobEvent Process(const store::UploadJob& job, const std::string& worker, const Pause& pause);

 private:
  struct Attempt;
  enum class WriteResult { kStored, kTransient, kRejected };

  void Run(Attempt& attempt);
  WriteResult WriteVariants(Attempt& attempt, const std::vector<std::string>& keys,
                            const std::vector<std::string>& values, std::string& reason);
  void Complete(Attempt& attempt, store::ProfileImage image);
  // The job ends now, failed with reason.
  void Fail(Attempt& attempt, std::string reason);
  // A counted attempt: retried after retry_delay_seconds, or failed once none are left.
  void Retry(Attempt& attempt, std::string reason);
  // A transient fault: back to the queue after its backoff, or failed past the horizon.
  void Postpone(Attempt& attempt, std::string reason);
  // Runs write (a store call; false: the job is not held any more) until it does not throw or
  // the pause gives up; sets the outcome to done_outcome, kLeaseLost or kFault.
  void Record(Attempt& attempt, JobOutcome done_outcome, std::string reason,
              const std::function<bool()>& write);
  void RecordLeaseLost(Attempt& attempt);
  // Best effort: deletes what the attempt wrote, counting what could not be deleted.
  void DiscardWrittenVariants(Attempt& attempt);
  int64_t Now() const { return options_.clock(); }

  store::MetadataStore& store_;
  blob::BlobStore& blobs_;
  const JobOptions& options_;
};

}  // namespace portrait::jobs
