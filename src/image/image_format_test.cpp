#include "image/image_format.h"

#include <gtest/gtest.h>

#include <string>

namespace portrait::image {
namespace {

TEST(SniffFormat, RecognisesJpegPngAndGifByTheirMagicBytes) {
  EXPECT_EQ(SniffFormat(std::string("\xFF\xD8\xFF\xE0", 4)), Format::kJpeg);
  EXPECT_EQ(SniffFormat(std::string("\x89PNG\r\n\x1A\n\0\0\0\x0DIHDR", 16)), Format::kPng);
  EXPECT_EQ(SniffFormat("GIF87a\x01\x00"), Format::kGif);
  EXPECT_EQ(SniffFormat("GIF89a\x01\x00"), Format::kGif);
}

TEST(SniffFormat, RefusesOtherFormatsWhateverTheyClaim) {
  EXPECT_EQ(SniffFormat("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), std::nullopt);
  EXPECT_EQ(SniffFormat(std::string("RIFF\x1A\0\0\0WEBPVP8L", 16)), std::nullopt);
  EXPECT_EQ(SniffFormat(std::string("II*\0", 4)), std::nullopt);
  EXPECT_EQ(SniffFormat("%PDF-1.4"), std::nullopt);
  EXPECT_EQ(SniffFormat("BM6\x0C"), std::nullopt);
  EXPECT_EQ(SniffFormat("hello, world"), std::nullopt);
}

TEST(SniffFormat, RefusesPrefixesTooShortToBeSure) {
  EXPECT_EQ(SniffFormat(""), std::nullopt);
  EXPECT_EQ(SniffFormat("\xFF\xD8"), std::nullopt);
  EXPECT_EQ(SniffFormat("\x89PNG"), std::nullopt);
  EXPECT_EQ(SniffFormat("GIF8"), std::nullopt);
  EXPECT_EQ(SniffFormat("GIF88a"), std::nullopt);
}

TEST(Extension, RoundTripsThroughFormatFromExtension) {
  for (Format format : {Format::kJpeg, Format::kPng, Format::kGif}) {
    EXPECT_EQ(FormatFromExtension(Extension(format)), format);
  }
  EXPECT_EQ(Extension(Format::kJpeg), "jpeg");
  EXPECT_EQ(FormatFromExtension("bmp"), std::nullopt);
  EXPECT_EQ(FormatFromExtension(""), std::nullopt);
}

TEST(MimeType, NamesTheImageType) {
  EXPECT_EQ(MimeType(Format::kJpeg), "image/jpeg");
  EXPECT_EQ(MimeType(Format::kPng), "image/png");
  EXPECT_EQ(MimeType(Format::kGif), "image/gif");
}

}  // namespace
}  // namespace portrait::image
