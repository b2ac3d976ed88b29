#include "jobs/upload_job_processor.h"

#include <cmath>
#include <exception>
#include <future>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/random.h"
#include "common/time_format.h"
#include "image/image_format.h"
#include "image/pipeline.h"
#include "jobs/variant_blob_keys.h"

namespace portrait::jobs {

constexpr size_t kImageKeyLength = 20;

struct UploadJobProcessor::Attempt {
  const store::UploadJob& job;
  const std::string& worker;
  JobEvent event;
  std::vector<std::string> written_keys;  // variants stored so far by this attempt
  // Once CompleteJob has been called, the written variants may be referenced: never delete them.
  bool completion_started = false;
  int variants_left_behind = 0;  // written, then unreferenced, and not deletable
};

UploadJobProcessor::UploadJobProcessor(store::MetadataStore& store, blob::BlobStore& blobs,
                                       const JobOptions& options)
    : store_(store), blobs_(blobs), options_(options) {}

JobEvent UploadJobProcessor::Process(const store::UploadJob& job, const std::string& worker) {
  const int64_t started_ms = NowMilliseconds();
  Attempt attempt{job, worker, {}, {}, false, 0};
  attempt.event.job_id = job.id;
  attempt.event.user_id = job.user_id;
  attempt.event.attempt = job.attempts;
  attempt.event.worker = worker;
  try {
    Run(attempt);
  } catch (const std::exception& e) {
    RecordFault(attempt, e.what());
  } catch (...) {
    RecordFault(attempt, "unknown exception");
  }
  if (attempt.variants_left_behind > 0) {
    attempt.event.reason += "; " + std::to_string(attempt.variants_left_behind) +
                            " unreferenced variant files left behind";
  }
  attempt.event.total_ms = NowMilliseconds() - started_ms;
  return std::move(attempt.event);
}

void UploadJobProcessor::Run(Attempt& attempt) {
  const store::UploadJob& job = attempt.job;
  std::optional<image::DecodedUpload> decoded;
  if (options_.decoded_uploads) decoded = options_.decoded_uploads->Take(job.upload_blob_key);
  std::optional<std::string> upload;
  if (!decoded) {
    upload = blobs_.Get(job.upload_blob_key);
    if (!upload) return RecordFailure(attempt, "upload missing", /*retryable=*/false);
  }

  const int64_t render_started_ms = NowMilliseconds();
  auto rendered = decoded ? image::RenderVariants(*decoded) : image::RenderVariants(*upload);
  attempt.event.render_ms = NowMilliseconds() - render_started_ms;
  attempt.event.decoded_at_upload = decoded.has_value();
  upload.reset();
  decoded.reset();
  if (!rendered.ok()) return RecordFailure(attempt, "render: " + rendered.error(), true);
  attempt.event.decode_ms = std::llround(rendered->decode_seconds * 1000);
  attempt.event.encode_ms = std::llround(rendered->encode_seconds * 1000);

  // Rendering is the only stage whose length depends on the image: renew once it is over.
  if (!store_.RenewLease(job.id, attempt.worker, NowSeconds() + options_.lease_seconds)) {
    return RecordLeaseLost(attempt);
  }

  const int64_t store_started_ms = NowMilliseconds();
  store::ProfileImage image{job.id, RandomLowerAlphanumeric(kImageKeyLength),
                            std::string(image::Extension(rendered->format))};
  // The seven writes go out at once: each waits on the disk (fsync) or on a round trip to the
  // object store, not on the CPU.
  const std::vector<image::Variant>& variants = rendered->variants;
  std::vector<std::string> keys;
  for (const image::Variant& variant : variants)
    keys.push_back(VariantBlobKey(image, variant.suffix));
  std::vector<std::future<Status>> writes;
  for (size_t i = 0; i < variants.size(); ++i) {
    writes.push_back(std::async(std::launch::async, [this, &key = keys[i], &variant = variants[i]] {
      return blobs_.Put(key, variant.bytes);
    }));
  }
  std::optional<std::string> failure;
  std::exception_ptr fault;
  for (size_t i = 0; i < writes.size(); ++i) {
    try {
      Status stored = writes[i].get();
      if (stored.ok()) {
        attempt.written_keys.push_back(keys[i]);
      } else if (!failure) {
        failure = "storing " + keys[i] + ": " + stored.message();
      }
    } catch (...) {
      if (!fault) fault = std::current_exception();
    }
  }
  if (fault) std::rethrow_exception(fault);  // RecordFault removes what was written
  if (failure) {
    attempt.event.store_ms = NowMilliseconds() - store_started_ms;
    DiscardWrittenVariants(attempt);
    return RecordFailure(attempt, *failure, true);
  }

  attempt.completion_started = true;
  const int64_t now = NowSeconds();
  const bool completed =
      store_.CompleteJob(job.id, attempt.worker, image, now, now + options_.retire_grace_seconds);
  attempt.event.store_ms = NowMilliseconds() - store_started_ms;
  if (!completed) {
    // Another worker holds the job now: what this attempt wrote is referenced by nothing.
    DiscardWrittenVariants(attempt);
    return RecordLeaseLost(attempt);
  }

  attempt.event.outcome = JobOutcome::kDone;
  attempt.event.image = std::move(image);
  if (Status removed = blobs_.Delete(job.upload_blob_key); !removed.ok()) {
    attempt.event.reason = "upload blob kept: " + removed.message();
  }
}

void UploadJobProcessor::RecordFailure(Attempt& attempt, std::string reason, bool retryable) {
  const bool retry = retryable && attempt.job.attempts < options_.max_attempts;
  const int64_t now = NowSeconds();
  const bool recorded = store_.FailJob(attempt.job.id, attempt.worker, reason, retry,
                                       now + options_.retry_delay_seconds, now);
  attempt.event.reason = std::move(reason);
  if (!recorded) {
    attempt.event.outcome = JobOutcome::kLeaseLost;
  } else {
    attempt.event.outcome = retry ? JobOutcome::kRetry : JobOutcome::kFailed;
  }
}

void UploadJobProcessor::RecordFault(Attempt& attempt, const std::string& what) {
  if (attempt.completion_started) {
    // CompleteJob threw: it may have committed, so the variants stay and the job is not touched.
    attempt.event.outcome = JobOutcome::kUnresolved;
    attempt.event.reason = "completing: " + what;
    return;
  }
  try {
    DiscardWrittenVariants(attempt);
    RecordFailure(attempt, "fault: " + what, /*retryable=*/true);
  } catch (const std::exception& e) {
    attempt.event.outcome = JobOutcome::kFault;
    attempt.event.reason = "fault: " + what + "; recording it: " + e.what();
  } catch (...) {
    attempt.event.outcome = JobOutcome::kFault;
    attempt.event.reason = "fault: " + what + "; recording it: unknown exception";
  }
}

void UploadJobProcessor::RecordLeaseLost(Attempt& attempt) {
  attempt.event.outcome = JobOutcome::kLeaseLost;
  attempt.event.reason = "lease taken over by another worker";
}

void UploadJobProcessor::DiscardWrittenVariants(Attempt& attempt) {
  for (const std::string& key : attempt.written_keys) {
    try {
      if (!blobs_.Delete(key).ok()) ++attempt.variants_left_behind;
    } catch (const std::exception&) {
      ++attempt.variants_left_behind;
    }
  }
  attempt.written_keys.clear();
}

}  // namespace portrait::jobs
