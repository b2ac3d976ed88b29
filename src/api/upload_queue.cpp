#include "api/upload_queue.h"

#include "common/random.h"
#include "common/time_format.h"

namespace portrait::api {
namespace {

constexpr size_t kUploadKeyLength = 24;

}  // namespace

Result<store::UploadJob, ApiError> QueueUpload(ApiContext& context, store::NewUploadJob job,
                                               std::string_view bytes,
                                               std::optional<image::DecodedUpload> decoded) {
  if (context.store.CountPendingJobs() >= context.options.max_pending_jobs) {
    return Failure{errors::kOverCapacity};
  }
  job.upload_blob_key =
      "uploads/" + std::to_string(job.user_id) + "-" + RandomLowerAlphanumeric(kUploadKeyLength);
  job.upload_bytes = static_cast<int64_t>(bytes.size());
  if (Status stored = context.blobs.Put(job.upload_blob_key, bytes); !stored.ok()) {
    throw Fault("storing upload: " + stored.message());  // an invalid key: a bug
  }
  std::optional<store::UploadJob> queued;
  try {
    queued = context.store.EnqueueUpload(job, NowSeconds());
  } catch (...) {
    // The client gets a 503 or 500 and will send again: the stored bytes would be referenced by
    // nothing and never removed, on what is often the very disk that just failed.
    try {
      (void)context.blobs.Delete(job.upload_blob_key);
    } catch (const std::exception&) {
      // Best effort: the original fault is what matters.
    }
    throw;
  }
  if (decoded && context.decoded_uploads) {
    context.decoded_uploads->Put(job.upload_blob_key, std::move(*decoded));
  }
  if (context.on_upload_enqueued) context.on_upload_enqueued();
  return std::move(*queued);
}

}  // namespace portrait::api
