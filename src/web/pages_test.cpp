#include "web/pages.h"

#include <gtest/gtest.h>

#include <regex>

namespace portrait::web {
namespace {

constexpr std::string_view kCsrf = "Csrf0123456789abcdefghijklmnopqrstuvwxyzABC";

AppView HostileApp() {
  AppView app;
  app.name = "<script>alert('name')</script>";
  app.description = "\"><img src=x onerror=alert(1)>";
  app.website = "javascript:alert(document.cookie)";
  app.read_write = true;
  return app;
}

Frame Anonymous(std::string title) {
  Frame frame;
  frame.title = std::move(title);
  return frame;
}

Frame SignedIn() {
  Frame frame;
  frame.title = "Test";
  frame.signed_in_as = "alice";
  frame.csrf_token = std::string(kCsrf);
  return frame;
}

size_t Count(const std::string& text, std::string_view needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

// Every <form ...> of the page carries a hidden csrf_token field with this token.
void ExpectEveryFormCarriesTheToken(const std::string& html, std::string_view token) {
  const std::string field =
      "<input type=\"hidden\" name=\"csrf_token\" value=\"" + std::string(token) + "\">";
  EXPECT_GT(Count(html, "<form "), 0u);
  EXPECT_EQ(Count(html, "<form "), Count(html, field)) << html;
}

TEST(Pages, ShowAHostileAppsNameAndDescriptionAsTextAndNeverLinkItsJavascriptWebsite) {
  AuthorizeView view;
  view.app = HostileApp();
  view.oauth_token = "tok";
  view.csrf_token = std::string(kCsrf);
  for (const std::string& html :
       {AuthorizePage(SignedIn(), view).str(),
        ConnectedAppsPage(SignedIn(), {{7, HostileApp(), "1 March 2025"}}, "").str()}) {
    EXPECT_EQ(html.find("<script"), std::string::npos) << html;
    EXPECT_EQ(html.find("<img src=x"), std::string::npos);
    EXPECT_EQ(html.find("href=\"javascript:"), std::string::npos);
    EXPECT_NE(html.find("&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;"), std::string::npos);
    EXPECT_NE(html.find("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
    EXPECT_NE(html.find("href=\"#\""), std::string::npos);
    ExpectEveryFormCarriesTheToken(html, kCsrf);
  }
}

TEST(Pages, AuthorizePageAsksForCredentialsOnlyWhenTold) {
  AuthorizeView view;
  view.app = {"Good App", "Posts nothing", "https://good.example/", false};
  view.oauth_token = "request-token";
  view.csrf_token = std::string(kCsrf);
  view.screen_name = "bob";
  const std::string asking = AuthorizePage(Anonymous("Authorize"), view).str();
  EXPECT_NE(asking.find("name=\"password\""), std::string::npos);
  EXPECT_NE(asking.find("value=\"bob\""), std::string::npos);
  EXPECT_NE(asking.find("value=\"request-token\""), std::string::npos);
  EXPECT_NE(asking.find("href=\"https://good.example/\""), std::string::npos);
  EXPECT_NE(asking.find("<li>Update your profile or your profile image.</li>"), std::string::npos)
      << "a read-only request says it cannot write";
  view.ask_credentials = false;
  view.switch_account_url = "/oauth/authorize?oauth_token=request-token&force_login=true";
  const std::string signed_in = AuthorizePage(SignedIn(), view).str();
  EXPECT_EQ(signed_in.find("name=\"password\""), std::string::npos);
  EXPECT_NE(signed_in.find("Signed in as @alice"), std::string::npos);
  EXPECT_NE(signed_in.find("force_login=true"), std::string::npos);
}

TEST(Pages, PinPageShowsThePinAsItsOnlySevenDigitNumber) {
  Frame frame = SignedIn();
  frame.signed_in_as = "bob_7654321";
  const std::string html = PinPage(frame, "App 12", "0123456").str();
  const std::regex seven_digits("(^|[^0-9])[0-9]{7}([^0-9]|$)");
  auto begin = std::sregex_iterator(html.begin(), html.end(), seven_digits);
  ASSERT_EQ(std::distance(begin, std::sregex_iterator()), 1) << html;
  EXPECT_NE(begin->str().find("0123456"), std::string::npos);
}

TEST(Pages, EveryFormCarriesItsCsrfToken) {
  ExpectEveryFormCarriesTheToken(
      SignInPage(Anonymous("Sign in"), {"pre-token", "", ""}, "/", true).str(), "pre-token");
  ExpectEveryFormCarriesTheToken(SignUpPage(Anonymous("Sign up"), {"pre-token", "", "taken"}).str(),
                                 "pre-token");
  ExpectEveryFormCarriesTheToken(SignOutPage(SignedIn()).str(), kCsrf);
  ProfileView profile;
  profile.screen_name = "alice";
  profile.csrf_token = std::string(kCsrf);
  profile.variants = {{"400x400", "/profile_images/1/k_400x400.png", 400, 400}};
  ExpectEveryFormCarriesTheToken(ProfilePage(SignedIn(), profile).str(), kCsrf);
}

TEST(Pages, SignedInPagesOfferSignOutAndOthersSignIn) {
  const std::string signed_in = SignedOutPage(SignedIn()).str();
  EXPECT_NE(signed_in.find("action=\"/logout\""), std::string::npos);
  const std::string anonymous = SignedOutPage(Anonymous("Signed out")).str();
  EXPECT_EQ(anonymous.find("action=\"/logout\""), std::string::npos);
  EXPECT_NE(anonymous.find("href=\"/login\""), std::string::npos);
}

TEST(Pages, ProfilePageShowsEveryVariantAndTheUploadsError) {
  ProfileView profile;
  profile.screen_name = "alice";
  profile.name = "Alice <A>";
  profile.error = "Image file size must be less than 700 KB.";
  profile.variants = {{"original", "/profile_images/1/k.png", 500, 0},
                      {"normal", "/profile_images/1/k_normal.png", 48, 48}};
  const std::string html = ProfilePage(SignedIn(), profile).str();
  EXPECT_NE(html.find("src=\"/profile_images/1/k.png\""), std::string::npos);
  EXPECT_NE(html.find("src=\"/profile_images/1/k_normal.png\" alt=\"normal\" width=\"48\""),
            std::string::npos);
  EXPECT_NE(html.find("Image file size must be less than 700 KB."), std::string::npos);
  EXPECT_NE(html.find("Alice &lt;A&gt;"), std::string::npos);
  EXPECT_NE(html.find("enctype=\"multipart/form-data\""), std::string::npos);
}

TEST(Pages, RefreshOnlyWhenAsked) {
  Frame frame = SignedIn();
  EXPECT_EQ(ErrorPage(frame, "x").str().find("http-equiv=\"refresh\""), std::string::npos);
  frame.refresh = true;
  EXPECT_NE(ErrorPage(frame, "x").str().find("http-equiv=\"refresh\""), std::string::npos);
}

TEST(Stylesheet, FetchesNothingFromElsewhere) {
  EXPECT_EQ(Stylesheet().find("url("), std::string_view::npos);
  EXPECT_EQ(Stylesheet().find("@import"), std::string_view::npos);
  EXPECT_NE(Stylesheet().find("@media"), std::string_view::npos);
}

}  // namespace
}  // namespace portrait::web
