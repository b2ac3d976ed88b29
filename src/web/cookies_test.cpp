#include "web/cookies.h"

#include <gtest/gtest.h>

namespace portrait::web {
namespace {

TEST(FindCookie, FindsANamedCookieAmongOthers) {
  EXPECT_EQ(FindCookie("a=1; portrait_session=abc; b=2", "portrait_session"), "abc");
  EXPECT_EQ(FindCookie("portrait_session=abc", "portrait_session"), "abc");
  EXPECT_EQ(FindCookie("a=1;portrait_session=\"abc\"", "portrait_session"), "abc");
  EXPECT_EQ(FindCookie("a=1; b=2", "portrait_session"), std::nullopt);
  EXPECT_EQ(FindCookie("xportrait_session=abc; portrait_session=def", "portrait_session"), "def");
  EXPECT_EQ(FindCookie("portrait_session", "portrait_session"), std::nullopt);
  EXPECT_EQ(FindCookie("", "portrait_session"), std::nullopt);
}

TEST(FindCookie, TakesTheFirstOfTwoCookiesWithOneName) {
  EXPECT_EQ(FindCookie("s=first; s=second", "s"), "first");
}

TEST(SetCookieValue, IsHttpOnlyAndSameSiteLaxAndSecureOnlyWhenAsked) {
  EXPECT_EQ(SetCookieValue("s", "v", {}), "s=v; Path=/; HttpOnly; SameSite=Lax");
  EXPECT_EQ(SetCookieValue("s", "v", {.secure = true}),
            "s=v; Path=/; HttpOnly; SameSite=Lax; Secure");
  EXPECT_EQ(SetCookieValue("s", "", {.secure = true, .expire = true}),
            "s=; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=0");
}

}  // namespace
}  // namespace portrait::web
