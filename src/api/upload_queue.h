#pragma once
// What every upload that passed its checks goes through before it is answered: made durable
// (the bytes in the blob store, then the job row: after this returns, the upload survives kill
// -9), queued, and a worker woken. Used by update_profile_image and update_profile_banner.
#include <optional>
#include <string_view>

#include "api/api_context.h"
#include "api/api_error.h"
#include "common/result.h"
#include "image/pipeline.h"
#include "store/records.h"

namespace portrait::api {

// job.upload_blob_key and job.upload_bytes are set here ("uploads/{user id}-{random}").
// decoded: the upload as this process decoded it while checking, kept for its workers
// (DecodedCache). Answers the queued job, or 503/130 (errors::kOverCapacity) when
// max_pending_jobs uploads already wait. A failed job write removes the stored bytes again
// before the fault propagates; a crash between the two writes leaves only an unreferenced upload
// blob.
Result<store::UploadJob, ApiError> QueueUpload(
    ApiContext& context, store::NewUploadJob job, std::string_view bytes,
    std::optional<image::DecodedUpload> decoded = std::nullopt);

}  // namespace portrait::api
