#include <cctype>
#include <charconv>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "api/endpoints.h"

namespace portrait::api {
namespace {

std::optional<int64_t> ParseId(std::string_view text) {
  int64_t id = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

// users/lookup takes at most this many ids and screen names together (SPEC §9).
constexpr size_t kMaxLookupTerms = 100;

// The non-empty elements of a comma-separated list, trimmed of spaces.
std::vector<std::string_view> CommaSeparated(std::optional<std::string_view> list) {
  std::vector<std::string_view> terms;
  while (list && !list->empty()) {
    const size_t comma = list->find(',');
    std::string_view term = list->substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view() : list->substr(comma + 1);
    const size_t first = term.find_first_not_of(' ');
    if (first == std::string_view::npos) continue;
    terms.push_back(term.substr(first, term.find_last_not_of(' ') - first + 1));
  }
  return terms;
}

std::string_view WithoutAt(std::string_view screen_name) {
  if (!screen_name.empty() && screen_name.front() == '@') screen_name.remove_prefix(1);
  return screen_name;
}

std::string Lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

}  // namespace

Result<store::User, ApiError> FindUserByParams(ApiContext& context, const Params& params) {
  auto user_id = FindParam(params, "user_id");
  auto screen_name = FindParam(params, "screen_name");
  if ((!user_id || user_id->empty()) && (!screen_name || screen_name->empty())) {
    return Failure{errors::kUserParamMissing};
  }
  std::optional<store::User> user;
  if (user_id && !user_id->empty()) {
    if (auto id = ParseId(*user_id)) user = context.store.FindUserById(*id);
  } else {
    user = context.store.FindUserByScreenName(WithoutAt(*screen_name));
  }
  if (!user) return Failure{errors::kUserNotFound};
  return std::move(*user);
}

http::Response UsersShow(ApiContext& context, const http::Request& request, Call&) {
  Params params = RequestParams(request);
  auto user = FindUserByParams(context, params);
  if (!user.ok()) return ErrorResponse(user.error());

  UserJsonOptions options;
  options.include_entities = !IsFalseFlag(FindParam(params, "include_entities"));
  return JsonResponse(UserJson(*user, ImageBaseFor(context, request), options));
}

// Ids that are not positive numbers and names that match no one are left out, as are
// duplicates; the users come back in the order first asked for, ids before names.
http::Response UsersLookup(ApiContext& context, const http::Request& request, Call&) {
  Params params = RequestParams(request);
  const std::vector<std::string_view> id_terms = CommaSeparated(FindParam(params, "user_id"));
  const std::vector<std::string_view> name_terms = CommaSeparated(FindParam(params, "screen_name"));
  if (id_terms.size() + name_terms.size() > kMaxLookupTerms) {
    return ErrorResponse(errors::kTooManyTerms);
  }
  std::vector<int64_t> ids;
  for (std::string_view term : id_terms) {
    if (auto id = ParseId(term)) ids.push_back(*id);
  }
  std::vector<std::string> names;
  for (std::string_view term : name_terms) names.emplace_back(WithoutAt(term));
  if (ids.empty() && names.empty()) return ErrorResponse(errors::kNoUserMatches);

  std::vector<store::User> users = context.store.FindUsers(ids, names);
  if (users.empty()) return ErrorResponse(errors::kNoUserMatches);
  std::unordered_map<int64_t, const store::User*> by_id;
  std::unordered_map<std::string, const store::User*> by_name;
  for (const store::User& user : users) {
    by_id.emplace(user.id, &user);
    by_name.emplace(Lower(user.screen_name), &user);
  }
  std::vector<const store::User*> ordered;
  std::unordered_set<int64_t> listed;
  auto add = [&](const store::User* user) {
    if (user && listed.insert(user->id).second) ordered.push_back(user);
  };
  for (int64_t id : ids) add(by_id.contains(id) ? by_id[id] : nullptr);
  for (const std::string& name : names) {
    auto it = by_name.find(Lower(name));
    add(it == by_name.end() ? nullptr : it->second);
  }

  UserJsonOptions options;
  options.include_entities = !IsFalseFlag(FindParam(params, "include_entities"));
  const ImageBase base = ImageBaseFor(context, request);
  std::string body = "[";
  for (const store::User* user : ordered) {
    if (body.size() > 1) body += ',';
    body += UserJson(*user, base, options);
  }
  body += ']';
  return JsonResponse(std::move(body));
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
