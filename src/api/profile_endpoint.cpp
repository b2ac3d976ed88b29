#include "api/endpoints.h"
#include "store/profile_rules.h"

namespace portrait::api {
namespace {

// Twitter's answer to a profile field it refuses: 403/120 with the field and the rule.
http::Response AccountUpdateFailed(const store::ProfileViolation& violation) {
  constexpr int kAccountUpdateFailed = 120;
  const std::string message = "Account update failed: " + store::Describe(violation) + ".";
  return ErrorResponse(ApiError{403, kAccountUpdateFailed, message});
}

// Twitter stored a website without a scheme as http://.
std::string WithScheme(std::string url) {
  if (!url.empty() && url.find("://") == std::string::npos) url.insert(0, "http://");
  return url;
}

}  // namespace

// Only the parameters given change; an empty url, location or description clears it. Unknown
// parameters are ignored. The entities of the answer are computed from the fields as stored.
http::Response UpdateProfile(ApiContext& context, const http::Request& request, Call& call) {
  const Params params = RequestParams(request);
  store::ProfileUpdate update;
  auto text = [&](std::string_view name) -> std::optional<std::string> {
    if (auto value = FindParam(params, name)) return std::string(*value);
    return std::nullopt;
  };
  update.name = text("name");
  update.location = text("location");
  update.description = text("description");
  if (auto url = text("url")) update.url = WithScheme(std::move(*url));
  if (auto colour = FindParam(params, "profile_link_color")) {
    std::optional<std::string> normal = store::NormalizeLinkColour(*colour);
    if (!normal) {
      return AccountUpdateFailed(
          {store::ProfileField::kLinkColor, store::ProfileProblem::kNotHexColour});
    }
    update.profile_link_color = std::move(*normal);
  }
  auto updated = context.store.UpdateProfile(call.principal->user_id, update);
  if (!updated.ok()) return AccountUpdateFailed(updated.error());
  if (!*updated) return ErrorResponse(errors::kInvalidToken);

  UserJsonOptions options;
  options.include_entities = !IsFalseFlag(FindParam(params, "include_entities"));
  return JsonResponse(UserJson(**updated, ImageBaseFor(context, request), options));
}

}  // namespace portrait::api
