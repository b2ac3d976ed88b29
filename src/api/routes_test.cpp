// The route table: every row is reachable, unambiguous and complete.
#include "api/routes.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "web/pages.h"

namespace portrait::api {
namespace {

std::string MethodName(Method method) { return method == Method::kGet ? "GET" : "POST"; }

TEST(RouteTableTest, EveryApiRowIsFoundWithAndWithoutItsJsonSuffix) {
  for (const Route& route : RouteTable()) {
    if (route.match != PathMatch::kApi) continue;
    const std::string path(route.path);
    EXPECT_EQ(FindRoute(MethodName(route.method), path), &route) << path;
    EXPECT_EQ(FindRoute(MethodName(route.method), path + ".json"), &route) << path;
    EXPECT_EQ(FindRoute(MethodName(route.method), path + ".xml"), nullptr) << path;
  }
}

TEST(RouteTableTest, HeadFindsGetRowsAndAWrongMethodFindsNothing) {
  EXPECT_EQ(FindRoute("HEAD", "/1.1/users/show.json"), FindRoute("GET", "/1.1/users/show.json"));
  EXPECT_NE(FindRoute("GET", "/1.1/users/show.json"), nullptr);
  EXPECT_EQ(FindRoute("POST", "/1.1/users/show.json"), nullptr);
  EXPECT_EQ(FindRoute("DELETE", "/1.1/users/show.json"), nullptr);
  EXPECT_EQ(FindRoute("GET", "/1.1/account/update_profile_image.json"), nullptr);
  EXPECT_EQ(FindRoute("GET", "/1.1/users/show.json/extra"), nullptr);
  EXPECT_EQ(FindRoute("GET", "/1.1/users/showx"), nullptr);
  EXPECT_EQ(FindRoute("GET", "/healthz.json"), nullptr) << "only API rows take .json";
}

TEST(RouteTableTest, FilePrefixesMatchEveryFileUnderThem) {
  const Route* image = FindRoute("GET", "/profile_images/12/abc_normal.jpeg");
  ASSERT_NE(image, nullptr);
  EXPECT_EQ(image->name, "profile_images");
  EXPECT_EQ(FindRoute("HEAD", "/sticky/default_profile_images/default_profile.png")->name,
            "default_profile_images");
  EXPECT_EQ(FindRoute("POST", "/profile_images/12/abc_normal.jpeg"), nullptr);
}

TEST(RouteTableTest, NoTwoRowsShareAMethodAndPathAndEachPathHasOneName) {
  std::set<std::string> seen;
  std::map<std::string_view, std::string_view> path_of_name;
  for (const Route& route : RouteTable()) {
    EXPECT_TRUE(seen.insert(MethodName(route.method) + " " + std::string(route.path)).second)
        << route.path;
    EXPECT_EQ(path_of_name.emplace(route.name, route.path).first->second, route.path) << route.name;
    EXPECT_NE(route.handler, nullptr) << route.name;
    EXPECT_EQ(route.answered == Inline::kFromMemory, route.from_memory != nullptr) << route.name;
  }
}

TEST(RouteTableTest, RateLimitedRowsNameTheirPlaceInRateLimitStatusAndTheirSetting) {
  for (const Route& route : RouteTable()) {
    if (route.rate.user_limit == 0) continue;
    EXPECT_FALSE(route.rate.family.empty()) << route.name;
    EXPECT_TRUE(route.rate.resource.starts_with("/" + std::string(route.rate.family) + "/"))
        << route.name;
    EXPECT_TRUE(route.rate.setting.starts_with("rate-limit-")) << route.name;
    EXPECT_GT(route.rate.app_limit, 0) << route.name;
    EXPECT_NE(route.auth, Auth::kNone) << route.name << ": a limit needs a principal";
  }
}

TEST(RouteTableTest, LimitsComeFromTheRowUnlessASettingOverridesThem) {
  const Route& show = *FindRoute("GET", "/1.1/users/show.json");
  RateLimitOptions options;
  EXPECT_EQ(RateLimitFor(show, options, false), 900);
  EXPECT_EQ(RateLimitFor(show, options, true), 900);
  options.limits["rate-limit-users-show"] = 5;
  EXPECT_EQ(RateLimitFor(show, options, false), 5);
  EXPECT_EQ(RateLimitFor(show, options, true), 5) << "the plain setting covers apps too";
  options.limits["rate-limit-users-show-app"] = 7;
  EXPECT_EQ(RateLimitFor(show, options, false), 5);
  EXPECT_EQ(RateLimitFor(show, options, true), 7);
  EXPECT_EQ(RateLimitFor(*FindRoute("GET", "/1.1/account/verify_credentials"), options, false), 75);
}

TEST(RouteTableTest, EveryUserContextPostWritesButLookupAndInvalidateToken) {
  // A read-only token may read by POST (users/lookup) and give itself up (invalidate_token);
  // every other POST on a user's behalf changes something and needs a write token (403/261).
  const std::set<std::string_view> reading_posts = {"/1.1/users/lookup",
                                                    "/1.1/oauth/invalidate_token"};
  for (const Route& route : RouteTable()) {
    if (route.method != Method::kPost || route.match != PathMatch::kApi) continue;
    if (route.auth != Auth::kUser && route.auth != Auth::kUserWrite &&
        route.auth != Auth::kUserOrApp) {
      continue;
    }
    EXPECT_EQ(route.auth == Auth::kUserWrite, !reading_posts.contains(route.path)) << route.path;
  }
}

TEST(RouteTableTest, PagesAreTheBrowserRowsAndAnswerNoApiHeaders) {
  const std::set<std::string_view> page_paths = {
      "/", "/login", "/logout", "/signup", "/oauth/authorize", "/oauth/authenticate"};
  for (const Route& route : RouteTable()) {
    const bool page_path = page_paths.contains(route.path) || route.path.starts_with("/settings/");
    EXPECT_EQ(IsPage(route), page_path) << route.path;
    if (IsPage(route)) {
      EXPECT_FALSE(route.api) << route.path;
      EXPECT_EQ(route.answered, Inline::kNever) << route.path << ": pages read the store";
    }
  }
  EXPECT_EQ(FindRoute("GET", "/settings/profile")->auth, Auth::kSignedIn);
  EXPECT_EQ(FindRoute("GET", "/oauth/authorize")->auth, Auth::kBrowser);
  EXPECT_EQ(FindRoute("POST", "/oauth/request_token")->auth, Auth::kConsumer);
  EXPECT_EQ(FindRoute("POST", "/oauth/access_token")->auth, Auth::kConsumer);
}

TEST(RouteTableTest, TheStylesheetIsServedWhereThePagesLinkIt) {
  const Route* stylesheet = FindRoute("GET", std::string(web::kStylesheetPath));
  ASSERT_NE(stylesheet, nullptr);
  EXPECT_EQ(stylesheet->auth, Auth::kNone);
  EXPECT_EQ(stylesheet->answered, Inline::kAlways);
}

TEST(RouteTableTest, TheLargestBodyIsTheDefaultOrALargerRowLimit) {
  uint64_t largest_row = 0;
  for (const Route& route : RouteTable()) largest_row = std::max(largest_row, route.max_body_bytes);
  EXPECT_EQ(LargestBodyBytes(1), std::max<uint64_t>(1, largest_row));
  EXPECT_EQ(LargestBodyBytes(UINT64_MAX / 2), UINT64_MAX / 2);
}

}  // namespace
}  // namespace portrait::api
