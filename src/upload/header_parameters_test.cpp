#include "upload/header_parameters.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace portrait::upload {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

TEST(ParseHeaderValue, SplitsTokenAndParameters) {
  HeaderValue value = ParseHeaderValue("form-data; name=\"image\"; filename=\"x.png\"");
  EXPECT_EQ(value.token, "form-data");
  EXPECT_THAT(value.parameters, ElementsAre(Pair("name", "image"), Pair("filename", "x.png")));
}

TEST(ParseHeaderValue, LowerCasesTokenAndNamesButNotValues) {
  HeaderValue value = ParseHeaderValue("Multipart/Form-Data; BOUNDARY=AbC");
  EXPECT_EQ(value.token, "multipart/form-data");
  EXPECT_THAT(value.parameters, ElementsAre(Pair("boundary", "AbC")));
}

TEST(ParseHeaderValue, AcceptsUnquotedValuesAndTrimsThem) {
  HeaderValue value = ParseHeaderValue("form-data ;  name = image ;filename=a b.png");
  EXPECT_EQ(value.token, "form-data");
  EXPECT_THAT(value.parameters, ElementsAre(Pair("name", "image"), Pair("filename", "a b.png")));
}

TEST(ParseHeaderValue, KeepsSeparatorsAndSpacesInsideQuotes) {
  HeaderValue value = ParseHeaderValue("multipart/form-data; boundary=\"a b;c,d:e\"; x=1");
  EXPECT_THAT(value.parameters, ElementsAre(Pair("boundary", "a b;c,d:e"), Pair("x", "1")));
}

TEST(ParseHeaderValue, AcceptsCommaAsParameterSeparator) {
  HeaderValue value = ParseHeaderValue("multipart/form-data, boundary=\"xyz\"");
  EXPECT_EQ(value.token, "multipart/form-data");
  EXPECT_THAT(value.parameters, ElementsAre(Pair("boundary", "xyz")));
}

TEST(ParseHeaderValue, ResolvesBackslashEscapesInQuotedValues) {
  HeaderValue value = ParseHeaderValue(R"(form-data; name="a\"b\\c")");
  EXPECT_THAT(value.parameters, ElementsAre(Pair("name", "a\"b\\c")));
}

TEST(ParseHeaderValue, RunsAnUnterminatedQuoteToTheEnd) {
  HeaderValue value = ParseHeaderValue("form-data; name=\"ima;ge");
  EXPECT_THAT(value.parameters, ElementsAre(Pair("name", "ima;ge")));
}

TEST(ParseHeaderValue, DropsTextAfterAClosingQuote) {
  HeaderValue value = ParseHeaderValue("form-data; name=\"image\"junk; filename=\"f\"");
  EXPECT_THAT(value.parameters, ElementsAre(Pair("name", "image"), Pair("filename", "f")));
}

TEST(ParseHeaderValue, KeepsExtendedParametersUnderTheirOwnName) {
  HeaderValue value = ParseHeaderValue("form-data; name=image; filename*=UTF-8''%C3%A9.png");
  EXPECT_THAT(value.parameters,
              ElementsAre(Pair("name", "image"), Pair("filename*", "UTF-8''%C3%A9.png")));
}

TEST(ParseHeaderValue, GivesBareNamesAnEmptyValueAndSkipsEmptySegments) {
  HeaderValue value = ParseHeaderValue("form-data;; flag ;,; =orphan");
  EXPECT_EQ(value.token, "form-data");
  EXPECT_THAT(value.parameters, ElementsAre(Pair("flag", "")));
}

TEST(ParseHeaderValue, ParsesEmptyTextToNothing) {
  HeaderValue value = ParseHeaderValue("");
  EXPECT_EQ(value.token, "");
  EXPECT_TRUE(value.parameters.empty());
}

TEST(EqualsIgnoringCase, ComparesAsciiLettersWithoutCase) {
  EXPECT_TRUE(EqualsIgnoringCase("Content-Type", "content-TYPE"));
  EXPECT_FALSE(EqualsIgnoringCase("Content-Type", "Content-Typ"));
  EXPECT_FALSE(EqualsIgnoringCase("a", "b"));
}

}  // namespace
}  // namespace portrait::upload
