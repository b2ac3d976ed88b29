#include "common/url_encoding.h"

#include <gtest/gtest.h>

namespace portrait {
namespace {

TEST(PercentEncode, KeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(PercentEncode("Hello Ladies + Gentlemen, a signed OAuth request!"),
            "Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21");
  EXPECT_EQ(PercentEncode("a-b.c_d~e"), "a-b.c_d~e");
  EXPECT_EQ(PercentEncode("\xE2\x98\x83"), "%E2%98%83");
}

TEST(PercentDecode, DecodesEscapesAndPlus) {
  EXPECT_EQ(PercentDecode("a%20b+c"), "a b c");
  EXPECT_EQ(PercentDecode("a+b", /*plus_as_space=*/false), "a+b");
  EXPECT_EQ(PercentDecode("%2b%2B"), "++");
}

TEST(PercentDecode, KeepsMalformedEscapesLiterally) {
  EXPECT_EQ(PercentDecode("100%"), "100%");
  EXPECT_EQ(PercentDecode("%g1%4"), "%g1%4");
}

TEST(ParseUrlEncoded, KeepsOrderDuplicatesAndEmptyValues) {
  Params params = ParseUrlEncoded("a=1&b=&c&&a=2&d=x%3Dy");
  ASSERT_EQ(params.size(), 5u);
  EXPECT_EQ(params[0], Param("a", "1"));
  EXPECT_EQ(params[1], Param("b", ""));
  EXPECT_EQ(params[2], Param("c", ""));
  EXPECT_EQ(params[3], Param("a", "2"));
  EXPECT_EQ(params[4], Param("d", "x=y"));
  EXPECT_EQ(FindParam(params, "a"), "1");
  EXPECT_FALSE(FindParam(params, "zz").has_value());
}

}  // namespace
}  // namespace portrait
