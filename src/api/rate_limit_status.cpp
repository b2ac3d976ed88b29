#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <set>

#include "api/endpoints.h"
#include "api/routes.h"
#include "common/time_format.h"

namespace portrait::api {
namespace {

// "users,account" -> {"users", "account"}; nothing asked: every family.
std::set<std::string, std::less<>> AskedFamilies(std::optional<std::string_view> resources) {
  std::set<std::string, std::less<>> families;
  while (resources && !resources->empty()) {
    const size_t comma = resources->find(',');
    if (comma != 0) families.emplace(resources->substr(0, comma));
    resources = comma == std::string_view::npos ? std::string_view() : resources->substr(comma + 1);
  }
  return families;
}

}  // namespace

// Every rate-limited row of the route table, from the windows the x-rate-limit-* headers come
// from: a resource the caller has not used in its window shows its whole limit and the end of a
// window that would open now.
http::Response RateLimitStatus(ApiContext& context, const http::Request& request, Call& call) {
  const Principal& principal = *call.principal;
  const int64_t now = NowSeconds();
  const auto asked = AskedFamilies(FindParam(RequestParams(request), "resources"));
  const auto open = context.rate_limiter.Open(principal.rate_key + "|", now);

  boost::json::object resources;
  for (const Route& route : RouteTable()) {
    if (route.rate.user_limit == 0) continue;
    if (!asked.empty() && !asked.contains(route.rate.family)) continue;
    boost::json::value& node = resources[route.rate.family];
    if (!node.is_object()) node.emplace_object();
    boost::json::object& family = node.as_object();
    if (family.contains(route.rate.resource)) continue;  // a second method of one endpoint
    const int64_t limit = RateLimitFor(route, context.options.rate_limits, principal.app_only);
    int64_t remaining = limit;
    int64_t reset = now + context.options.rate_limits.window_seconds;
    if (auto window = open.find(route.rate.resource); window != open.end()) {
      remaining = std::max<int64_t>(0, limit - window->second.count);
      reset = window->second.reset;
    }
    family[route.rate.resource] = {{"limit", limit}, {"remaining", remaining}, {"reset", reset}};
  }

  boost::json::object context_node;
  if (principal.app_only) {
    std::optional<store::App> app = context.store.FindAppById(principal.app_id);
    context_node["application"] = app ? app->consumer_key : "";
  } else {
    context_node["access_token"] = principal.access_token;
  }
  boost::json::object body{{"rate_limit_context", std::move(context_node)},
                           {"resources", std::move(resources)}};
  return JsonResponse(boost::json::serialize(body));
}

}  // namespace portrait::api
