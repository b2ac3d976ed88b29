#include "upload/base64.h"

#include <gtest/gtest.h>

#include <string>

namespace portrait::upload {
namespace {

std::string AllByteValues() {
  std::string bytes;
  for (int i = 0; i < 256; ++i) {
    bytes.push_back(static_cast<char>(i));
  }
  return bytes;
}

TEST(EncodeBase64, MatchesRfc4648TestVectors) {
  EXPECT_EQ(EncodeBase64(""), "");
  EXPECT_EQ(EncodeBase64("f"), "Zg==");
  EXPECT_EQ(EncodeBase64("fo"), "Zm8=");
  EXPECT_EQ(EncodeBase64("foo"), "Zm9v");
  EXPECT_EQ(EncodeBase64("foob"), "Zm9vYg==");
  EXPECT_EQ(EncodeBase64("fooba"), "Zm9vYmE=");
  EXPECT_EQ(EncodeBase64("foobar"), "Zm9vYmFy");
}

TEST(DecodeBase64, InvertsEncodeForEveryByteValueAndLength) {
  std::string bytes = AllByteValues();
  for (size_t length = 0; length <= bytes.size(); ++length) {
    std::string prefix = bytes.substr(0, length);
    EXPECT_EQ(DecodeBase64(EncodeBase64(prefix)), prefix) << "length " << length;
  }
}

TEST(DecodeBase64, AcceptsMissingPadding) {
  EXPECT_EQ(DecodeBase64("Zg"), "f");
  EXPECT_EQ(DecodeBase64("Zm8"), "fo");
  EXPECT_EQ(DecodeBase64("Zm9vYmE"), "fooba");
}

TEST(DecodeBase64, AcceptsUrlSafeAlphabet) {
  // 0xFB 0xFF 0xBF encodes to "+/+/" in the standard alphabet.
  EXPECT_EQ(DecodeBase64("-_-_"), "\xFB\xFF\xBF");
  EXPECT_EQ(DecodeBase64("+/+/"), "\xFB\xFF\xBF");
}

TEST(DecodeBase64, AcceptsBothAlphabetsMixedInOneText) {
  EXPECT_EQ(DecodeBase64("+_-/"), "\xFB\xFF\xBF");
}

TEST(DecodeBase64, IgnoresLineBreaksSpacesAndTabsAnywhere) {
  std::string bytes = AllByteValues();
  std::string encoded = EncodeBase64(bytes);
  std::string wrapped;
  for (size_t i = 0; i < encoded.size(); i += 76) {
    wrapped += encoded.substr(i, 76) + "\r\n";
  }
  EXPECT_EQ(DecodeBase64(wrapped), bytes);
  EXPECT_EQ(DecodeBase64(" Zm9v\tYm\nFy \r\n"), "foobar");
  EXPECT_EQ(DecodeBase64("Zm9vYg= =\n"), "foob");
}

TEST(DecodeBase64, ReadsASpaceInFormDecodedTextAsPlusAndOtherWhitespaceAsWhitespace) {
  const std::string plus_slash = "\xFB\xEF\xBE\xFF\xFF\xFF";  // "++++////"
  EXPECT_EQ(DecodeBase64("    ////", Base64Source::kFormDecoded), plus_slash);
  EXPECT_EQ(DecodeBase64("+ + ////", Base64Source::kFormDecoded), plus_slash);
  EXPECT_EQ(DecodeBase64("++\r\n++\t////\n", Base64Source::kFormDecoded), plus_slash);
  EXPECT_EQ(DecodeBase64("    ////", Base64Source::kRaw), "\xFF\xFF\xFF");
  EXPECT_EQ(DecodeBase64("Zm9v Yg", Base64Source::kFormDecoded), DecodeBase64("Zm9v+Yg"));
  EXPECT_EQ(DecodeBase64("Zm9v Yg", Base64Source::kRaw), "foob");
}

TEST(DecodeBase64, StripsDataUriPrefix) {
  EXPECT_EQ(DecodeBase64("data:image/png;base64,Zm9vYmFy"), "foobar");
  EXPECT_EQ(DecodeBase64("DATA:image/png;name=a.png;base64,Zm9v"), "foo");
  EXPECT_EQ(DecodeBase64("data:;base64,Zm9v"), "foo");
  EXPECT_EQ(DecodeBase64("\r\n data:image/gif;base64,\r\nZm9v"), "foo");
}

TEST(DecodeBase64, RefusesDataUriThatIsNotBase64) {
  EXPECT_EQ(DecodeBase64("data:text/plain,foo"), std::nullopt);
  EXPECT_EQ(DecodeBase64("data:image/png;charset=utf-8,Zm9v"), std::nullopt);
}

TEST(DecodeBase64, DecodesEmptyAndBlankTextToEmpty) {
  EXPECT_EQ(DecodeBase64(""), "");
  EXPECT_EQ(DecodeBase64(" \r\n\t"), "");
}

TEST(DecodeBase64, RefusesCharactersOutsideBothAlphabets) {
  for (std::string_view text : {"Zm9v!", "Zm.v", "Zm9v\x80", "Zm9v\v", "Zm9v%2B"}) {
    EXPECT_EQ(DecodeBase64(text), std::nullopt) << text;
  }
  EXPECT_EQ(DecodeBase64(std::string_view("Zm9v\0Zm9v", 9)), std::nullopt);
}

TEST(DecodeBase64, RefusesALoneLeftoverCharacter) {
  EXPECT_EQ(DecodeBase64("Z"), std::nullopt);
  EXPECT_EQ(DecodeBase64("Zm9vY"), std::nullopt);
  EXPECT_EQ(DecodeBase64("Zm9vY==="), std::nullopt);
}

TEST(DecodeBase64, RefusesPaddingInTheMiddle) {
  EXPECT_EQ(DecodeBase64("Zg==Zg=="), std::nullopt);
  EXPECT_EQ(DecodeBase64("Zm8=Zm9v"), std::nullopt);
  EXPECT_EQ(DecodeBase64("Z=m9v"), std::nullopt);
}

TEST(DecodeBase64, RefusesPaddingThatDoesNotCompleteTheGroup) {
  EXPECT_EQ(DecodeBase64("Zg="), std::nullopt);
  EXPECT_EQ(DecodeBase64("Zm8=="), std::nullopt);
  EXPECT_EQ(DecodeBase64("Zm9v===="), std::nullopt);
  EXPECT_EQ(DecodeBase64("===="), std::nullopt);
  EXPECT_EQ(DecodeBase64("="), std::nullopt);
}

TEST(DecodeBase64, IgnoresUnusedLowBitsOfTheLastGroup) {
  EXPECT_EQ(DecodeBase64("Zh=="), "f");
  EXPECT_EQ(DecodeBase64("Zm9="), "fo");
}

TEST(DecodeBase64, DecodesAMegabyteInLinearTime) {
  std::string bytes(1 << 20, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    bytes[i] = static_cast<char>(i * 7919);
  }
  EXPECT_EQ(DecodeBase64(EncodeBase64(bytes)), bytes);
}

}  // namespace
}  // namespace portrait::upload
