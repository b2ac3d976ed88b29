#pragma once
// UploadIntake: finds the `image` parameter of an update_profile_image request in any encoding
// real clients send (SPEC §2) and returns its decoded bytes. Knows nothing of images or HTTP
// servers: it sees a content type, a body and a query string.
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/url_encoding.h"

namespace portrait::upload {

enum class IntakeError {
  kMissing,     // no image parameter, or an empty one (400/38)
  kBadBase64,   // image given as base64 that does not decode (400/44)
  kMalformed,   // a multipart body that cannot be parsed (400/44 "image parameter is invalid.")
};

struct IntakeLimits {
  size_t max_parts = 64;             // multipart parts beyond this: kMalformed
  size_t max_part_header_bytes = 8192;
};

struct IntakeResult {
  std::string image;  // decoded bytes
  Params form;        // other non-file form fields (multipart text parts or urlencoded pairs)
};

// content_type: the request's Content-Type (may be empty); body: the whole body; query: the
// query string. Precedence: a multipart `image` part, then a urlencoded body's `image`, then
// the query's `image`.
Result<IntakeResult, IntakeError> ExtractImage(std::string_view content_type, std::string_view body,
                                              std::string_view query, const IntakeLimits& limits);

}  // namespace portrait::upload
