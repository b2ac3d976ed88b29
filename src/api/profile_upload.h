#pragma once
// Accepting a new profile image (SPEC §2), for update_profile_image and the profile page alike:
// the same intake, the same checks, the same durable queue and the same refusals.
#include <cstdint>

#include "api/api_context.h"
#include "api/api_error.h"
#include "common/result.h"
#include "common/url_encoding.h"
#include "http/message.h"
#include "store/records.h"

namespace portrait::api {

struct AcceptedUpload {
  store::User user;  // as it stands: its image changes once the job is done
  store::UploadJob job;
  Params form;  // the request's other form fields (multipart text parts or urlencoded pairs)
};

// Finds the image in the request (any encoding of SPEC §2), checks everything knowable now,
// makes the upload durable (bytes in the blob store, then the job row) and wakes a worker.
// Refusals are SPEC §5's: 400/38, 400/44, 422/44, 503/130 (queue full), 401/89 (no such user).
// A failed job write removes the blob again; a crash between the two writes leaves only an
// unreferenced upload blob. Throws Fault as the stores do.
Result<AcceptedUpload, ApiError> AcceptProfileImage(ApiContext& context,
                                                    const http::Request& request, int64_t user_id);

}  // namespace portrait::api
