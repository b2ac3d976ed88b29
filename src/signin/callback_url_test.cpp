#include "signin/callback_url.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace portrait::signin {
namespace {

const std::vector<std::string> kRegistered = {"https://good.example/callback",
                                              "http://127.0.0.1:8000/"};

std::optional<CallbackProblem> Problem(std::string_view requested,
                                       const std::vector<std::string>& registered = kRegistered) {
  Result<std::string, CallbackProblem> approved = ApproveCallback(requested, registered);
  if (approved.ok()) return std::nullopt;
  return approved.error();
}

TEST(CallbackUrlTest, OutOfBandIsAlwaysApproved) {
  EXPECT_EQ(*ApproveCallback("oob", kRegistered), "oob");
  EXPECT_EQ(*ApproveCallback("OOB", {}), "oob");
}

TEST(CallbackUrlTest, RegisteredUrlAndItsSubpathsWithAnyQueryAreApproved) {
  EXPECT_EQ(Problem("https://good.example/callback"), std::nullopt);
  EXPECT_EQ(Problem("https://good.example/callback/done"), std::nullopt);
  EXPECT_EQ(Problem("https://good.example/callback?source=twitter&x=1"), std::nullopt);
  EXPECT_EQ(Problem("HTTPS://GOOD.example:443/callback"), std::nullopt);
  EXPECT_EQ(Problem("http://127.0.0.1:8000/anything/at/all"), std::nullopt);
  EXPECT_EQ(*ApproveCallback("https://good.example/callback?a=b", kRegistered),
            "https://good.example/callback?a=b");
}

TEST(CallbackUrlTest, OpenRedirectAttemptsAreRefused) {
  EXPECT_EQ(Problem("https://evil.example"), CallbackProblem::kNotApproved);
  EXPECT_EQ(Problem("https://evil.example/callback"), CallbackProblem::kNotApproved);
  EXPECT_EQ(Problem("https://good.example.evil.example/callback"), CallbackProblem::kNotApproved);
  EXPECT_EQ(Problem("https://evil.example/https://good.example/callback"),
            CallbackProblem::kNotApproved);
  EXPECT_EQ(Problem("https://good.example@evil.example/callback"), CallbackProblem::kMalformed);
  EXPECT_EQ(Problem("https://good.example:x@evil.example/callback"), CallbackProblem::kMalformed);
  EXPECT_EQ(Problem("//evil.example/callback"), CallbackProblem::kMalformed);
  EXPECT_EQ(Problem("/callback"), CallbackProblem::kMalformed);
  EXPECT_EQ(Problem("javascript:alert(document.cookie)"), CallbackProblem::kMalformed);
  EXPECT_EQ(Problem("data:text/html,<script>alert(1)</script>"), CallbackProblem::kMalformed);
  EXPECT_EQ(Problem("https://good.example\\@evil.example/callback"), CallbackProblem::kMalformed);
  EXPECT_EQ(Problem("https://good.example%2f@evil.example/"), CallbackProblem::kMalformed);
  EXPECT_EQ(Problem("https://evil%2eexample/callback"), CallbackProblem::kNotApproved);
}

TEST(CallbackUrlTest, SchemePortAndPathMustMatchExactly) {
  EXPECT_EQ(Problem("http://good.example/callback"), CallbackProblem::kNotApproved);
  EXPECT_EQ(Problem("https://good.example:8443/callback"), CallbackProblem::kNotApproved);
  EXPECT_EQ(Problem("https://good.example/callbackx"), CallbackProblem::kNotApproved);
  EXPECT_EQ(Problem("https://good.example/"), CallbackProblem::kNotApproved);
  EXPECT_EQ(Problem("https://good.example/callback/../admin"), CallbackProblem::kNotApproved);
  EXPECT_EQ(Problem("https://good.example/callback/%2E%2E/admin"), CallbackProblem::kNotApproved);
  EXPECT_EQ(Problem("https://good.example/callback%2F..%2Fadmin"), CallbackProblem::kNotApproved);
  EXPECT_EQ(Problem("https://good.example./callback"), CallbackProblem::kNotApproved);
  EXPECT_EQ(Problem("http://127.0.0.1/"), CallbackProblem::kNotApproved);
}

TEST(CallbackUrlTest, WithoutRegisteredUrlsAnyAbsoluteHttpUrlIsApproved) {
  EXPECT_EQ(Problem("https://anywhere.example/cb?x=1", {}), std::nullopt);
  EXPECT_EQ(Problem("http://[::1]:9000/cb", {}), std::nullopt);
  EXPECT_EQ(Problem("javascript:alert(1)", {}), CallbackProblem::kMalformed);
  EXPECT_EQ(Problem("data:,x", {}), CallbackProblem::kMalformed);
  EXPECT_EQ(Problem("ftp://files.example/", {}), CallbackProblem::kMalformed);
  EXPECT_EQ(Problem("https://user@anywhere.example/", {}), CallbackProblem::kMalformed);
  EXPECT_EQ(Problem("https://anywhere.example/cb#fragment", {}), CallbackProblem::kMalformed);
  EXPECT_EQ(Problem("https:///path-only", {}), CallbackProblem::kMalformed);
  EXPECT_EQ(Problem("https://anywhere.example/cb\r\nLocation: https://evil.example", {}),
            CallbackProblem::kMalformed);
  EXPECT_EQ(Problem("https://anywhere.example:99999/", {}), CallbackProblem::kMalformed);
  EXPECT_EQ(Problem("", {}), CallbackProblem::kMalformed);
  EXPECT_EQ(Problem("https://a.example/" + std::string(kMaxCallbackBytes, 'x'), {}),
            CallbackProblem::kMalformed);
}

TEST(CallbackUrlTest, RegistrableUrlsHaveNoQuery) {
  EXPECT_TRUE(CheckRegistrableCallback("https://good.example/callback").ok());
  EXPECT_FALSE(CheckRegistrableCallback("https://good.example/callback?source=x").ok());
  EXPECT_FALSE(CheckRegistrableCallback("javascript:alert(1)").ok());
  EXPECT_FALSE(CheckRegistrableCallback("oob").ok());
  EXPECT_FALSE(CheckRegistrableCallback("myapp://authorize").ok());
}

TEST(CallbackUrlTest, ParametersAreAppendedToTheQueryEncoded) {
  EXPECT_EQ(WithQueryParameters("https://good.example/cb",
                                {{"oauth_token", "abc"}, {"oauth_verifier", "x y&z"}}),
            "https://good.example/cb?oauth_token=abc&oauth_verifier=x%20y%26z");
  EXPECT_EQ(WithQueryParameters("https://good.example/cb?state=1", {{"denied", "tok"}}),
            "https://good.example/cb?state=1&denied=tok");
}

}  // namespace
}  // namespace portrait::signin
