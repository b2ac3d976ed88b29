#pragma once
// The Twitter error envelope and every error of SPEC §5, named once.
#include <string_view>

#include "http/message.h"

namespace portrait::api {

struct ApiError {
  int http_status;
  int code;
  std::string_view message;
};

namespace errors {
inline constexpr ApiError kBadAuthenticationData{400, 215, "Bad authentication data."};
inline constexpr ApiError kCouldNotAuthenticate{401, 32, "Could not authenticate you."};
inline constexpr ApiError kInvalidToken{401, 89, "Invalid or expired token."};
inline constexpr ApiError kTimestampOutOfBounds{401, 135, "Timestamp out of bounds."};
inline constexpr ApiError kBearerNotAllowed{
    403, 220, "Your credentials do not allow access to this resource."};
inline constexpr ApiError kImageMissing{400, 38, "image parameter is missing."};
inline constexpr ApiError kImageInvalid{400, 44, "image parameter is invalid."};
inline constexpr ApiError kMediaUnrecognized{400, 44, "media type unrecognized."};
inline constexpr ApiError kImageCorrupt{400, 44, "Image data could not be processed."};
inline constexpr ApiError kImageTooManyBytes{422, 44, "Image file size must be less than 700 KB."};
inline constexpr ApiError kImageTooLarge{422, 44, "Image dimensions are too large."};
inline constexpr ApiError kEntityTooLarge{413, 44, "Request entity too large."};
inline constexpr ApiError kUserParamMissing{400, 38,
                                            "user_id or screen_name parameter is missing."};
inline constexpr ApiError kUserNotFound{404, 50, "User not found."};
inline constexpr ApiError kNoUserMatches{404, 17, "No user matches for specified terms."};
inline constexpr ApiError kTooManyTerms{400, 18, "Too many terms specified in query."};
inline constexpr ApiError kPageNotFound{404, 34, "Sorry, that page does not exist."};
inline constexpr ApiError kRateLimited{429, 88, "Rate limit exceeded."};
inline constexpr ApiError kOverCapacity{503, 130, "Over capacity."};
inline constexpr ApiError kInternal{500, 131, "Internal error."};
// A read-only token on a write endpoint (docs/DECISIONS.md: Twitter's later answer, in the
// envelope, rather than the historical 401 "Read-only application cannot POST.").
inline constexpr ApiError kReadOnlyToken{403, 261, "Application cannot perform write actions."};
// oauth/request_token (SPEC §8).
inline constexpr ApiError kCallbackNotApproved{
    403, 415,
    "Callback URL not approved for this client application. Approved callback URLs can be "
    "adjusted in your application settings"};
inline constexpr ApiError kAccessTypeInvalid{400, 44, "x_auth_access_type parameter is invalid."};
// oauth2/invalidate_token without access_token=.
inline constexpr ApiError kAccessTokenMissing{400, 38, "access_token parameter is missing."};
// oauth2/token answers as Twitter's did.
inline constexpr ApiError kMissingGrantType{403, 170, "Missing required parameter: grant_type"};
inline constexpr ApiError kUnableToVerifyCredentials{403, 99, "Unable to verify your credentials"};
}  // namespace errors

inline constexpr std::string_view kJsonContentType = "application/json;charset=utf-8";

// {"errors":[{"code":N,"message":"..."}]} with the error's status and the JSON content type.
http::Response ErrorResponse(const ApiError& error);

// A 200 (or status) JSON response.
http::Response JsonResponse(std::string body, int status = 200);

}  // namespace portrait::api
