#pragma once
// Internal to src/jobs: one attempt at one claimed upload job, from the upload blob to the
// completed job. The JobRunner owns the threads; this owns what happens to a job.
#include <string>

#include "blob/blob_store.h"
#include "jobs/job_events.h"
#include "jobs/job_options.h"
#include "store/metadata_store.h"

namespace portrait::jobs {

class UploadJobProcessor {
 public:
  // Keeps references: store, blobs and options must outlive the processor.
  UploadJobProcessor(store::MetadataStore& store, blob::BlobStore& blobs,
                     const JobOptions& options);

  // Runs one attempt at job, which worker has just claimed, and reports its outcome. Never
  // throws: a fault becomes a retry or failure of the job, or kFault when the store cannot
  // even record that (the lease then expires and the job is reclaimed). Thread-safe.
  //
  // On success the upload blob is deleted. On a permanent failure it is kept, for operators
  // to examine next to the failed job's reason.
  JobEvent Process(const store::UploadJob& job, const std::string& worker);

 private:
  struct Attempt;

  void Run(Attempt& attempt);
  void RecordFailure(Attempt& attempt, std::string reason, bool retryable);
  void RecordFault(Attempt& attempt, const std::string& what);
  void RecordLeaseLost(Attempt& attempt);
  // Best effort: deletes what the attempt wrote, counting what could not be deleted.
  void DiscardWrittenVariants(Attempt& attempt);

  store::MetadataStore& store_;
  blob::BlobStore& blobs_;
  const JobOptions& options_;
};

}  // namespace portrait::jobs
