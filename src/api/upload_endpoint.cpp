#include <chrono>

#include "api/endpoints.h"
#include "api/profile_upload.h"
#include "api/upload_queue.h"
#include "common/random.h"
#include "common/time_format.h"
#include "image/inspect.h"
#include "upload/intake.h"

namespace portrait::api {
namespace {

ApiError FromIntakeError(upload::IntakeError error) {
  switch (error) {
    case upload::IntakeError::kMissing:
      return errors::kImageMissing;
    case upload::IntakeError::kBadBase64:
      return errors::kImageInvalid;
    case upload::IntakeError::kMalformed:
      return errors::kImageInvalid;
  }
  return errors::kImageInvalid;
}

ApiError FromRejection(image::Rejection rejection) {
  switch (rejection) {
    case image::Rejection::kUnrecognized:
      return errors::kMediaUnrecognized;
    case image::Rejection::kTooManyBytes:
      return errors::kImageTooManyBytes;
    case image::Rejection::kDimensionsTooLarge:
      return errors::kImageTooLarge;
    case image::Rejection::kCorrupt:
      return errors::kImageCorrupt;
  }
  return errors::kImageCorrupt;
}

struct CheckedImage {
  image::ImageInfo info;
  std::optional<image::DecodedUpload> decoded;  // for this process's workers
};

// Inspect, or, when this process renders uploads too, Inspect with the pipeline's own decode as
// its integrity check, keeping what was decoded so that the worker does not decode it again.
Result<CheckedImage, image::Rejection> CheckImage(const ApiContext& context,
                                                  std::string_view bytes) {
  if (!context.decoded_uploads) {
    auto info = image::Inspect(bytes, context.options.image_limits);
    if (!info.ok()) return Failure{info.error()};
    return CheckedImage{*info, std::nullopt};
  }
  auto decoded = image::InspectAndDecode(bytes, context.options.image_limits);
  if (!decoded.ok()) return Failure{decoded.error()};
  return CheckedImage{decoded->info, std::move(decoded->decoded)};
}

}  // namespace

Result<AcceptedUpload, ApiError> AcceptProfileImage(ApiContext& context,
                                                    const http::Request& request, int64_t user_id) {
  auto intake = upload::ExtractImage(request.header("Content-Type").value_or(""), request.body,
                                     request.query(), context.options.intake_limits);
  if (!intake.ok()) return Failure{FromIntakeError(intake.error())};
  const auto validate_started = std::chrono::steady_clock::now();
  auto checked = CheckImage(context, intake->image);
  if (!checked.ok()) return Failure{FromRejection(checked.error())};
  const std::chrono::duration<double> validate_time =
      std::chrono::steady_clock::now() - validate_started;

  std::optional<store::User> user = context.store.FindUserById(user_id);
  if (!user) return Failure{errors::kInvalidToken};
  store::NewUploadJob job;
  job.user_id = user->id;
  job.format = std::string(image::Extension(checked->info.format));
  auto queued = QueueUpload(context, job, intake->image, std::move(checked->decoded));
  if (!queued.ok()) return Failure{queued.error()};
  context.metrics.CountUpload(job.format, validate_time.count());
  return AcceptedUpload{std::move(*user), std::move(*queued), std::move(intake->form)};
}

http::Response UpdateProfileImage(ApiContext& context, const http::Request& request, Call& call) {
  auto accepted = AcceptProfileImage(context, request, call.principal->user_id);
  if (!accepted.ok()) return ErrorResponse(accepted.error());
  Params params = RequestParams(request);
  params.insert(params.end(), accepted->form.begin(), accepted->form.end());
  UserJsonOptions options;
  options.include_entities = !IsFalseFlag(FindParam(params, "include_entities"));
  return JsonResponse(UserJson(accepted->user, ImageBaseFor(context, request), options));
}

}  // namespace portrait::api
