// The browser plumbing of the pages: forms, their genuineness, and where a sign-in may go.
#include "api/browser.h"

#include <gtest/gtest.h>

namespace portrait::api {
namespace {

constexpr std::string_view kToken = "Tok0123456789abcdefghijklmnopqrstuvwxyzABCD";

http::Request FormPost(std::string content_type, std::string body) {
  http::Request request;
  request.method = "POST";
  request.target = "/login";
  request.scheme = "https";
  request.host = "portrait.example";
  request.headers = {{"Content-Type", std::move(content_type)}};
  request.body = std::move(body);
  return request;
}

BrowserCall BrowserWithToken(Params form) {
  BrowserCall browser;
  browser.form_token = std::string(kToken);
  browser.form = std::move(form);
  return browser;
}

TEST(FormFields, ReadsAUrlencodedBody) {
  const Params form = FormFields(
      FormPost("application/x-www-form-urlencoded; charset=UTF-8", "a=1&csrf_token=x%2By&b="));
  EXPECT_EQ(form, (Params{{"a", "1"}, {"csrf_token", "x+y"}, {"b", ""}}));
}

TEST(FormFields, ReadsTheTextPartsOfAMultipartBodyAndLeavesFilesOut) {
  const std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\ntok\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n"
      "Content-Type: image/png\r\n\r\n\x89PNG bytes\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"big\"\r\n\r\n" +
      std::string(kMaxFormFieldBytes + 1, 'x') + "\r\n--XyZ--\r\n";
  const Params form = FormFields(FormPost("multipart/form-data; boundary=XyZ", body));
  EXPECT_EQ(form, (Params{{"csrf_token", "tok"}}));
}

TEST(FormFields, IsEmptyForOtherOrBrokenBodies) {
  EXPECT_TRUE(FormFields(FormPost("text/plain", "csrf_token=x")).empty());
  EXPECT_TRUE(FormFields(FormPost("multipart/form-data; boundary=XyZ", "--XyZ\r\nbroken")).empty());
}

TEST(FormIsGenuine, NeedsTheBrowsersTokenAndAnOriginOfThisServerIfAny) {
  const http::Request request = FormPost("application/x-www-form-urlencoded", "");
  EXPECT_TRUE(FormIsGenuine(request, BrowserWithToken({{"csrf_token", std::string(kToken)}})));
  EXPECT_FALSE(FormIsGenuine(request, BrowserWithToken({})));
  EXPECT_FALSE(FormIsGenuine(request, BrowserWithToken({{"csrf_token", ""}})));
  std::string other(kToken);
  other.back() = 'E';
  EXPECT_FALSE(FormIsGenuine(request, BrowserWithToken({{"csrf_token", other}})));

  http::Request same_origin = request;
  same_origin.headers.emplace_back("Origin", "https://portrait.example");
  EXPECT_TRUE(FormIsGenuine(same_origin, BrowserWithToken({{"csrf_token", std::string(kToken)}})));
  for (const char* origin : {"https://evil.example", "http://portrait.example", "null"}) {
    http::Request cross = request;
    cross.headers.emplace_back("Origin", origin);
    EXPECT_FALSE(FormIsGenuine(cross, BrowserWithToken({{"csrf_token", std::string(kToken)}})))
        << origin;
  }
}

TEST(FormIsGenuine, RefusesATokenMadeForThisVeryResponse) {
  BrowserCall browser = BrowserWithToken({{"csrf_token", std::string(kToken)}});
  browser.form_token_is_new = true;
  EXPECT_FALSE(FormIsGenuine(FormPost("application/x-www-form-urlencoded", ""), browser));
}

TEST(LocalPathOr, KeepsOnlyPathsOnThisServer) {
  EXPECT_EQ(LocalPathOr("/settings/applications?x=1", "/f"), "/settings/applications?x=1");
  EXPECT_EQ(LocalPathOr("/", "/f"), "/");
  for (std::string_view next : {"", "//evil.example", "/\\evil.example", "https://evil.example/",
                                "javascript:alert(1)", "settings", "/a b", "/a\\b", "/a\r\nX: y"}) {
    EXPECT_EQ(LocalPathOr(next, "/f"), "/f") << next;
  }
  EXPECT_EQ(LocalPathOr(std::nullopt, "/f"), "/f");
}

TEST(TakePassword, MovesThePasswordOutAndWipesTheFormsCopy) {
  Params form = {{"screen_name", "alice"}, {"password", "secret words"}};
  std::optional<signin::Password> password = TakePassword(form);
  ASSERT_TRUE(password);
  EXPECT_EQ(password->view(), "secret words");
  EXPECT_EQ(form[1].second, "");
  Params empty = {{"password", ""}};
  EXPECT_FALSE(TakePassword(empty));
}

}  // namespace
}  // namespace portrait::api
