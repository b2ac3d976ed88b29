#include "oauth/authorization_header.h"

#include <gtest/gtest.h>

#include <string>

namespace portrait::oauth {
namespace {

Params ParseOk(std::string_view header) {
  auto parsed = ParseAuthorizationHeader(header);
  EXPECT_TRUE(parsed.ok()) << header;
  return parsed.ok() ? parsed.value() : Params{};
}

AuthorizationHeaderError ParseError(std::string_view header) {
  auto parsed = ParseAuthorizationHeader(header);
  EXPECT_FALSE(parsed.ok()) << header;
  return parsed.ok() ? AuthorizationHeaderError::kNotOAuth : parsed.error();
}

TEST(AuthorizationHeader, ParsesParametersSeparatedByCommaAndSpace) {
  Params expected = {{"oauth_consumer_key", "key"}, {"oauth_nonce", "abc"}};
  EXPECT_EQ(ParseOk(R"(OAuth oauth_consumer_key="key", oauth_nonce="abc")"), expected);
}

TEST(AuthorizationHeader, ParsesParametersSeparatedByBareCommas) {
  Params expected = {{"oauth_consumer_key", "key"}, {"oauth_nonce", "abc"}};
  EXPECT_EQ(ParseOk(R"(OAuth oauth_consumer_key="key",oauth_nonce="abc")"), expected);
}

TEST(AuthorizationHeader, AcceptsSchemeInAnyCaseAndSurroundingWhitespace) {
  Params expected = {{"a", "1"}, {"b", "2"}};
  EXPECT_EQ(ParseOk("  oauth\ta = \"1\" ,\t b=\"2\"  "), expected);
  EXPECT_EQ(ParseOk(R"(OAUTH a="1", b="2")"), expected);
}

TEST(AuthorizationHeader, DropsRealm) {
  Params expected = {{"oauth_token", "t"}};
  EXPECT_EQ(ParseOk(R"(OAuth realm="https://api.example.com/", oauth_token="t")"), expected);
}

TEST(AuthorizationHeader, PercentDecodesNamesAndValuesKeepingPlus) {
  Params expected = {{"oauth_signature", "a+b/c="}, {"x y", "%zz"}};
  EXPECT_EQ(ParseOk(R"(OAuth oauth_signature="a%2Bb%2Fc%3D", x%20y="%zz")"), expected);
  Params careless = {{"oauth_signature", "a+b="}};
  EXPECT_EQ(ParseOk(R"(OAuth oauth_signature="a+b=")"), careless);
}

TEST(AuthorizationHeader, ToleratesUnquotedTokenValues) {
  Params expected = {{"oauth_version", "1.0"}, {"oauth_nonce", "-123456"}, {"empty", ""}};
  EXPECT_EQ(ParseOk("OAuth oauth_version=1.0, oauth_nonce=-123456, empty="), expected);
}

TEST(AuthorizationHeader, UnescapesQuotedPairs) {
  Params expected = {{"a", "x\"y\\"}};
  EXPECT_EQ(ParseOk(R"(OAuth a="x\"y\\")"), expected);
}

TEST(AuthorizationHeader, SkipsEmptyListElements) {
  Params expected = {{"a", "1"}, {"b", "2"}};
  EXPECT_EQ(ParseOk(R"(OAuth , a="1",, b="2",)"), expected);
}

TEST(AuthorizationHeader, SchemeAloneHasNoParameters) {
  EXPECT_TRUE(ParseOk("OAuth").empty());
  EXPECT_TRUE(ParseOk("OAuth   ").empty());
}

TEST(AuthorizationHeader, OtherSchemesAreNotOAuth) {
  EXPECT_EQ(ParseError("Bearer AAAA"), AuthorizationHeaderError::kNotOAuth);
  EXPECT_EQ(ParseError("Basic dXNlcjpwYXNz"), AuthorizationHeaderError::kNotOAuth);
  EXPECT_EQ(ParseError("OAuth2 a=\"b\""), AuthorizationHeaderError::kNotOAuth);
  EXPECT_EQ(ParseError(""), AuthorizationHeaderError::kNotOAuth);
}

TEST(AuthorizationHeader, RefusesMalformedParameters) {
  for (std::string_view header : {
           R"(OAuth a)",                // no '='
           R"(OAuth ="x")",             // no name
           R"(OAuth a="unterminated)",  // open quote
           R"(OAuth a="x\)",            // escape at the end
           R"(OAuth a="1" b="2")",      // no comma
           R"(OAuth a="1"junk)",        // junk after a value
           R"(OAuth a="1", a="2")",     // repeated name
           R"(OAuth realm="x", realm="y")",
           R"(OAuth a=x"y")",    // quote inside an unquoted value
           "OAuth a\x01=\"1\"",  // control character in a name
       }) {
    EXPECT_EQ(ParseError(header), AuthorizationHeaderError::kMalformed) << header;
  }
}

TEST(AuthorizationHeader, RefusesInputPastTheLimits) {
  std::string long_header = "OAuth a=\"" + std::string(kMaxAuthorizationHeaderBytes, 'x') + "\"";
  EXPECT_EQ(ParseError(long_header), AuthorizationHeaderError::kMalformed);

  std::string many = "OAuth ";
  for (size_t i = 0; i <= kMaxAuthorizationParams; ++i) many += "p" + std::to_string(i) + "=1,";
  EXPECT_EQ(ParseError(many), AuthorizationHeaderError::kMalformed);
}

}  // namespace
}  // namespace portrait::oauth
