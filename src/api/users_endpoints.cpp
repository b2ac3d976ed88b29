#include <charconv>

#include "api/endpoints.h"

namespace portrait::api {
namespace {

std::optional<int64_t> ParseId(std::string_view text) {
  int64_t id = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

}  // namespace

http::Response UsersShow(ApiContext& context, const http::Request& request, Call&) {
  Params params = RequestParams(request);
  auto user_id = FindParam(params, "user_id");
  auto screen_name = FindParam(params, "screen_name");
  if ((!user_id || user_id->empty()) && (!screen_name || screen_name->empty())) {
    return ErrorResponse(errors::kUserParamMissing);
  }
  std::optional<store::User> user;
  if (user_id && !user_id->empty()) {
    if (auto id = ParseId(*user_id)) user = context.store.FindUserById(*id);
  } else {
    std::string_view name = *screen_name;
    if (!name.empty() && name.front() == '@') name.remove_prefix(1);
    user = context.store.FindUserByScreenName(name);
  }
  if (!user) return ErrorResponse(errors::kUserNotFound);

  UserJsonOptions options;
  options.include_entities = !IsFalseFlag(FindParam(params, "include_entities"));
  return JsonResponse(UserJson(*user, ImageBaseFor(context, request), options));
}

http::Response VerifyCredentials(ApiContext& context, const http::Request& request, Call& call) {
  std::optional<store::User> user = context.store.FindUserById(call.principal->user_id);
  if (!user) return ErrorResponse(errors::kInvalidToken);

  Params params = RequestParams(request);
  UserJsonOptions options;
  options.include_entities = !IsFalseFlag(FindParam(params, "include_entities"));
  options.include_email = IsTrueFlag(FindParam(params, "include_email"));
  return JsonResponse(UserJson(*user, ImageBaseFor(context, request), options));
}

}  // namespace portrait::api
