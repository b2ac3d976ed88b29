#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>

#include "api/endpoints.h"
#include "api/upload_queue.h"
#include "common/time_format.h"
#include "image/inspect.h"
#include "image/variant_catalogue.h"
#include "upload/intake.h"

namespace portrait::api {
namespace {

constexpr std::string_view kBannerField = "banner";

// Twitter's answers for a banner (SPEC §9): 400 for what is not an image, 422 for what it
// cannot take; in the envelope every API error has.
constexpr ApiError kBannerMissing{400, 38, "banner parameter is missing."};
constexpr ApiError kBannerInvalid{400, 44, "banner parameter is invalid."};
constexpr ApiError kBannerTooManyBytes{422, 44, "Image file size must be less than 5 MB."};
constexpr ApiError kBadRegion{
    400, 44, "width, height, offset_left and offset_top must be given together, as whole pixels."};

ApiError FromIntake(upload::IntakeError error) {
  return error == upload::IntakeError::kMissing ? kBannerMissing : kBannerInvalid;
}

ApiError FromRejection(image::Rejection rejection) {
  switch (rejection) {
    case image::Rejection::kUnrecognized:
      return errors::kMediaUnrecognized;
    case image::Rejection::kTooManyBytes:
      return kBannerTooManyBytes;
    case image::Rejection::kDimensionsTooLarge:
      return errors::kImageTooLarge;
    case image::Rejection::kCorrupt:
      return errors::kImageCorrupt;
  }
  return errors::kImageCorrupt;
}

std::optional<int> WholePixels(std::string_view text, int minimum) {
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < minimum) {
    return std::nullopt;
  }
  return value;
}

// The four region parameters: all of them (a region), none (the whole image), or an error.
Result<std::optional<store::BannerRegion>, ApiError> RegionFrom(const Params& params) {
  const std::optional<std::string_view> values[] = {
      FindParam(params, "width"), FindParam(params, "height"), FindParam(params, "offset_left"),
      FindParam(params, "offset_top")};
  const int given = static_cast<int>(std::count_if(std::begin(values), std::end(values),
                                                   [](const auto& v) { return v.has_value(); }));
  if (given == 0) return std::optional<store::BannerRegion>();
  if (given != 4) return Failure{kBadRegion};
  auto width = WholePixels(*values[0], 1);
  auto height = WholePixels(*values[1], 1);
  auto left = WholePixels(*values[2], 0);
  auto top = WholePixels(*values[3], 0);
  if (!width || !height || !left || !top) return Failure{kBadRegion};
  return std::optional(store::BannerRegion{*width, *height, *left, *top});
}

http::Response EmptyResponse(int status) {
  http::Response response = JsonResponse("", status);
  return response;
}

}  // namespace

// Checks what can be known now (the region's parameters, format, size, dimensions, integrity),
// queues the banner durably like a profile image, and answers 201 with an empty body; the
// banner appears in the user object once processed.
http::Response UpdateProfileBanner(ApiContext& context, const http::Request& request, Call& call) {
  auto intake = upload::ExtractImage(request.header("Content-Type").value_or(""), request.body,
                                     request.query(), context.options.intake_limits, kBannerField);
  if (!intake.ok()) return ErrorResponse(FromIntake(intake.error()));
  Params params = RequestParams(request);
  params.insert(params.end(), intake->form.begin(), intake->form.end());
  auto region = RegionFrom(params);
  if (!region.ok()) return ErrorResponse(region.error());
  auto info = image::Inspect(intake->image, context.options.banner_limits);
  if (!info.ok()) return ErrorResponse(FromRejection(info.error()));

  store::NewUploadJob job;
  job.user_id = call.principal->user_id;
  job.format = std::string(image::Extension(info->format));
  job.kind = store::MediaKind::kBanner;
  job.banner_region = *region;
  auto queued = QueueUpload(context, job, intake->image);
  if (!queued.ok()) return ErrorResponse(queued.error());
  return EmptyResponse(201);
}

http::Response RemoveProfileBanner(ApiContext& context, const http::Request&, Call& call) {
  context.store.RemoveBanner(call.principal->user_id,
                             NowSeconds() + context.options.retire_grace_seconds);
  return EmptyResponse(200);
}

// {"sizes":{"web":{"h":260,"w":520,"url":"..."}, ...}}, or 404/34 for a user without a banner.
http::Response ProfileBanner(ApiContext& context, const http::Request& request, Call&) {
  Params params = RequestParams(request);
  auto user = FindUserByParams(context, params);
  if (!user.ok()) return ErrorResponse(user.error());
  if (!user->banner_id) return ErrorResponse(errors::kPageNotFound);
  const std::string base =
      ProfileBannerUrl(*user, ImageBaseFor(context, request).https).value_or("");
  boost::json::object sizes;
  for (const image::VariantSpec& size : image::kBannerVariants) {
    sizes[size.name] = {
        {"h", size.height}, {"w", size.width}, {"url", base + "/" + std::string(size.name)}};
  }
  boost::json::object body{{"sizes", std::move(sizes)}};
  return JsonResponse(boost::json::serialize(body));
}

}  // namespace portrait::api
