#pragma once
// UploadIntake: finds the `image` parameter of an update_profile_image request (or the `banner`
// of update_profile_banner: the field is a parameter) in any encoding real clients send (SPEC
// §2, §9) and returns its decoded bytes. Knows nothing of images or HTTP
// servers: it sees a content type, a body and a query string. Deterministic, no global state,
// never throws on bad input (only std::bad_alloc can escape).
#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/url_encoding.h"

namespace portrait::upload {

enum class IntakeError {
  kMissing,    // no image parameter, or an empty one (400/38)
  kBadBase64,  // image given as base64 that does not decode (400/44)
  kMalformed,  // a multipart body that cannot be parsed (400/44 "image parameter is invalid.")
};

struct IntakeLimits {
  size_t max_parts = 64;  // multipart parts beyond this: kMalformed
  size_t max_part_header_bytes = 8192;
};

struct IntakeResult {
  std::string image;  // decoded bytes
  Params form;        // other non-file form fields (multipart text parts or urlencoded pairs)
};

// content_type: the request's Content-Type (may be empty); body: the whole body; query: the
// query string (a leading '?' is ignored). Precedence: a multipart `image` part, then a
// urlencoded body's `image`, then the query's `image`; the first source that has an `image`
// decides, so an empty one there is kMissing even if a later source has one.
//
// Multipart (any multipart/* type; the boundary rules are BoundaryFromContentType's):
//  - the first part named `image` is the image; later ones are ignored;
//  - with `Content-Transfer-Encoding: base64` it is decoded (DecodeBase64; failure is
//    kBadBase64); otherwise its bytes are the image, whatever its Content-Type or filename
//    (base64 text without that header stays text, which image inspection then refuses);
//  - parts without a filename (other than `image`) go to `form`; other file parts are dropped;
//  - a body that does not parse (no or bad boundary, missing close delimiter, over limits) is
//    kMalformed.
// Urlencoded (`application/x-www-form-urlencoded`, any parameters; or no Content-Type and a
// body of printable ASCII holding '='): pairs other than `image` go to `form`.
// Base64 in a urlencoded body or query is form-decoded once, by the rule the OAuth signature
// applies to the same field (ParseUrlEncoded: '+' is a space), then decoded by DecodeBase64
// with Base64Source::kFormDecoded, for which a space is the '+' it must have been.
// field: the parameter holding the image ("image"; "banner" for banners), named `image` above.
Result<IntakeResult, IntakeError> ExtractImage(std::string_view content_type, std::string_view body,
                                               std::string_view query, const IntakeLimits& limits,
                                               std::string_view field = "image");

}  // namespace portrait::upload
