#include "jobs/upload_job_processor.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "common/random.h"
#include "common/time_format.h"
#include "image/banner.h"
#include "image/image_format.h"
#include "image/pipeline.h"
#include "jobs/variant_blob_keys.h"

namespace portrait::jobs {
namespace {

constexpr size_t kImageKeyLength = 20;
// The first pause before the store is tried again; it doubles up to poll_interval_ms.
constexpr int64_t kFirstStorePauseMs = 50;

std::string WhatOf(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

// Uniform in [0, 1]: spreads the retries of jobs that met one fault together.
double Jitter() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

}  // namespace

struct UploadJobProcessor::Attempt {
  const store::UploadJob& job;
  const std::string& worker;
  const Pause& pause;
  JobEvent event;
  std::vector<std::string> written_keys;  // variants this attempt may have stored
  int variants_left_behind = 0;           // written, then unreferenced, and not deletable
};

UploadJobProcessor::UploadJobProcessor(store::MetadataStore& store, blob::BlobStore& blobs,
                                       const JobOptions& options)
    : store_(store), blobs_(blobs), options_(options) {}

JobEvent UploadJobProcessor::Process(const store::UploadJob& job, const std::string& worker,
                                     const Pause& pause) {
  const int64_t started_ms = NowMilliseconds();
  Attempt attempt{job, worker, pause, {}, {}, 0};
  attempt.event.job_id = job.id;
  attempt.event.user_id = job.user_id;
  attempt.event.attempt = job.attempts;
  attempt.event.worker = worker;
  try {
    Run(attempt);
  } catch (...) {
    // Not the storage's (each call to it is classified where it is made): count it.
    const std::string what = WhatOf(std::current_exception());
    try {
      DiscardWrittenVariants(attempt);
      Retry(attempt, "fault: " + what);
    } catch (...) {
      attempt.event.outcome = JobOutcome::kFault;
      attempt.event.reason = "fault: " + what;
    }
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
  if (job.attempts - job.transient_failures > options_.max_attempts) {
    // Only a worker that vanished (a crash, a lost lease) leaves a claim without an outcome.
    return Fail(attempt, "abandoned after " + std::to_string(job.attempts) +
                             " claims, the last one's worker stopping without an outcome; last "
                             "error: " +
                             (job.last_error.empty() ? "none" : job.last_error));
  }
  const bool banner = job.kind == store::MediaKind::kBanner;
  std::optional<image::DecodedUpload> decoded;
  if (options_.decoded_uploads && !banner) {
    decoded = options_.decoded_uploads->Take(job.upload_blob_key);
  }
  std::optional<std::string> upload;
  if (!decoded) {
    try {
      upload = blobs_.Get(job.upload_blob_key);
    } catch (const TransientFault& fault) {
      return Postpone(attempt, std::string("reading upload: ") + fault.what());
    }
    if (!upload) return Fail(attempt, "upload missing");
  }

  const int64_t render_started_ms = NowMilliseconds();
  std::optional<image::BannerRegion> region;
  if (job.banner_region) {
    const store::BannerRegion& r = *job.banner_region;
    region = image::BannerRegion{r.width, r.height, r.offset_left, r.offset_top};
  }
  auto rendered = banner    ? image::RenderBanner(*upload, region)
                  : decoded ? image::RenderVariants(*decoded)
                            : image::RenderVariants(*upload);
  attempt.event.render_ms = NowMilliseconds() - render_started_ms;
  attempt.event.decoded_at_upload = decoded.has_value();
  upload.reset();
  decoded.reset();
  if (!rendered.ok()) return Retry(attempt, "render: " + rendered.error());
  attempt.event.decode_ms = std::llround(rendered->decode_seconds * 1000);
  attempt.event.encode_ms = std::llround(rendered->encode_seconds * 1000);

  // Rendering is the only stage whose length depends on the image: renew once it is over.
  bool renewed = false;
  try {
    renewed = store_.RenewLease(job.id, attempt.worker, Now() + options_.lease_seconds);
  } catch (const std::exception& fault) {
    return Postpone(attempt, std::string("renewing lease: ") + fault.what());
  }
  if (!renewed) return RecordLeaseLost(attempt);

  const int64_t store_started_ms = NowMilliseconds();
  // A banner's files are named by its user and id; an image's by a random key too.
  store::ProfileImage image{job.id, banner ? "" : RandomLowerAlphanumeric(kImageKeyLength),
                            std::string(image::Extension(rendered->format))};
  std::vector<std::string> keys =
      banner ? BannerBlobKeys(job.user_id, job.id) : std::vector<std::string>();
  std::vector<std::string> values;
  for (image::Variant& variant : rendered->variants) {
    if (!banner) keys.push_back(VariantBlobKey(image, variant.suffix));
    values.push_back(std::move(variant.bytes));
  }
  std::string reason;
  const WriteResult written = WriteVariants(attempt, keys, values, reason);
  attempt.event.store_ms = NowMilliseconds() - store_started_ms;
  if (written != WriteResult::kStored) {
    DiscardWrittenVariants(attempt);
    if (written == WriteResult::kTransient) return Postpone(attempt, reason);
    return Retry(attempt, reason);
  }
  Complete(attempt, std::move(image));
  attempt.event.store_ms = NowMilliseconds() - store_started_ms;
}

UploadJobProcessor::WriteResult UploadJobProcessor::WriteVariants(
    Attempt& attempt, const std::vector<std::string>& keys, const std::vector<std::string>& values,
    std::string& reason) {
  // One PutAll: the file store fsyncs the variants' directory once, after the seven renames; an
  // object store gets the seven requests at once.
  std::vector<blob::BlobToPut> blobs;
  for (size_t i = 0; i < keys.size(); ++i) blobs.push_back({keys[i], values[i]});
  // Whatever the outcome, any of them may be stored: a failed attempt discards them all.
  attempt.written_keys = keys;
  try {
    Status stored = blobs_.PutAll(blobs);
    if (stored.ok()) return WriteResult::kStored;
    reason = "storing: " + stored.message();
    return WriteResult::kRejected;
  } catch (const TransientFault& fault) {
    // The storage, not the upload, is what failed: postpone.
    reason = std::string("storing: ") + fault.what();
    return WriteResult::kTransient;
  } catch (const std::exception& fault) {
    reason = std::string("storing: ") + fault.what();
    return WriteResult::kRejected;
  }
}

void UploadJobProcessor::Complete(Attempt& attempt, store::ProfileImage image) {
  const store::UploadJob& job = attempt.job;
  int64_t pause_ms = kFirstStorePauseMs;
  bool try_completing = true;
  while (true) {
    std::string what;
    try {
      if (try_completing) {
        const int64_t now = Now();
        const int64_t retire_after = now + options_.retire_grace_seconds;
        const bool completed =
            job.kind == store::MediaKind::kBanner
                ? store_.CompleteBannerJob(job.id, attempt.worker, now, retire_after)
                : store_.CompleteJob(job.id, attempt.worker, image, now, retire_after);
        if (completed) {
          break;
        }
        // Another worker holds the job now: what this attempt wrote is referenced by nothing.
        DiscardWrittenVariants(attempt);
        return RecordLeaseLost(attempt);
      }
      // A completion that faulted may have committed: find out before trying again.
      std::optional<store::UploadJob> seen = store_.FindJob(job.id);
      if (seen && seen->state == store::JobState::kDone && seen->result &&
          seen->result->image_id == image.image_id && seen->result->key == image.key) {
        break;
      }
      if (!seen || seen->state != store::JobState::kProcessing || seen->worker != attempt.worker) {
        DiscardWrittenVariants(attempt);
        return RecordLeaseLost(attempt);
      }
      try_completing = true;
      continue;
    } catch (const std::exception& fault) {
      what = fault.what();
    }
    if (!attempt.pause(pause_ms)) {
      // The variants may be referenced now: they stay. If the completion did not commit, the
      // job comes back when its lease expires.
      attempt.event.outcome = JobOutcome::kUnresolved;
      attempt.event.reason = "completing: " + what;
      return;
    }
    pause_ms = std::min(pause_ms * 2, std::max<int64_t>(1, options_.poll_interval_ms));
    try_completing = false;
  }
  attempt.event.outcome = JobOutcome::kDone;
  attempt.event.image = std::move(image);
  try {
    if (Status removed = blobs_.Delete(job.upload_blob_key); !removed.ok()) {
      attempt.event.reason = "upload blob kept: " + removed.message();
    }
  } catch (const std::exception& fault) {
    attempt.event.reason = std::string("upload blob kept: ") + fault.what();
  }
}

void UploadJobProcessor::Fail(Attempt& attempt, std::string reason) {
  Record(attempt, JobOutcome::kFailed, std::move(reason), [&] {
    return store_.FailJob(attempt.job.id, attempt.worker, attempt.event.reason, false, 0, Now());
  });
}

void UploadJobProcessor::Retry(Attempt& attempt, std::string reason) {
  const store::UploadJob& job = attempt.job;
  if (job.attempts - job.transient_failures >= options_.max_attempts) {
    return Fail(attempt, std::move(reason));
  }
  Record(attempt, JobOutcome::kRetry, std::move(reason), [&] {
    const int64_t now = Now();
    return store_.FailJob(job.id, attempt.worker, attempt.event.reason, true,
                          now + options_.retry_delay_seconds, now);
  });
}

void UploadJobProcessor::Postpone(Attempt& attempt, std::string reason) {
  const store::UploadJob& job = attempt.job;
  if (Now() - job.created_at >= options_.retry_horizon_seconds) {
    return Fail(attempt, "still failing " + std::to_string(options_.retry_horizon_seconds) +
                             " s after the upload (the retry horizon): " + reason);
  }
  const int64_t delay = TransientBackoffSeconds(options_, job.transient_failures, Jitter());
  Record(attempt, JobOutcome::kPostponed, std::move(reason), [&] {
    const int64_t now = Now();
    return store_.PostponeJob(job.id, attempt.worker, attempt.event.reason, now + delay, now);
  });
}

void UploadJobProcessor::Record(Attempt& attempt, JobOutcome done_outcome, std::string reason,
                                const std::function<bool()>& write) {
  attempt.event.reason = std::move(reason);
  int64_t pause_ms = kFirstStorePauseMs;
  while (true) {
    try {
      attempt.event.outcome = write() ? done_outcome : JobOutcome::kLeaseLost;
      return;
    } catch (const std::exception& fault) {
      if (!attempt.pause(pause_ms)) {
        attempt.event.outcome = JobOutcome::kFault;
        attempt.event.reason += std::string("; recording it: ") + fault.what();
        return;
      }
    }
    pause_ms = std::min(pause_ms * 2, std::max<int64_t>(1, options_.poll_interval_ms));
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
