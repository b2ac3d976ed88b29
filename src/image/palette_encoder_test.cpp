// EncodeWithExactPalette: few-coloured palette outputs encoded with their own colours.
#include "image/palette_encoder.h"

#include <gtest/gtest.h>

#include "image/test_images.h"

namespace portrait::image::internal {
namespace {

using namespace testing;

class PaletteEncoderTest : public ::testing::Test {
 protected:
  void SetUp() override { StartImageLibrary(); }

  // A 12 x 10 image of at most 16 colours (alpha 255, or 0 / 100 / 200 with bands 4), enlarged 8
  // times by pixel replication, in memory.
  static vips::VImage FewColours(int bands) {
    vips::VImage x = vips::VImage::xyz(12, 10)[0];
    vips::VImage y = vips::VImage::xyz(12, 10)[1];
    vips::VImage image = ((x % 4) * 60).bandjoin((y % 4) * 60).bandjoin(90);
    if (bands == 4) image = image.bandjoin(((x + y) % 3) * 100);
    return image.cast(VIPS_FORMAT_UCHAR)
        .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB))
        .zoom(8, 8)
        .copy_memory();
  }
};

TEST_F(PaletteEncoderTest, AGifOfFewColoursKeepsEveryPixelExactly) {
  vips::VImage image = FewColours(3);
  std::optional<std::string> gif = EncodeWithExactPalette(image, Format::kGif, 6);
  ASSERT_TRUE(gif);
  vips::VImage decoded = Decode(*gif).extract_band(0, vips::VImage::option()->set("n", 3));
  EXPECT_EQ(decoded.width(), 96);
  EXPECT_EQ((decoded - image).abs().max(), 0.0);
}

TEST_F(PaletteEncoderTest, GifTransparencyIsOneBitAtHalfAlpha) {
  vips::VImage image = FewColours(4);
  std::optional<std::string> gif = EncodeWithExactPalette(image, Format::kGif, 6);
  ASSERT_TRUE(gif);
  vips::VImage decoded = Decode(*gif);
  ASSERT_EQ(decoded.bands(), 4);
  // Alpha 0 and 100 are below 128: transparent; 200 is opaque.
  vips::VImage expected_alpha = (image[3] >= 128).ifthenelse(255, 0);
  EXPECT_EQ((decoded[3] - expected_alpha).abs().max(), 0.0);
  vips::VImage opaque = image[3] >= 128;
  vips::VImage colour_error = (decoded.extract_band(0, vips::VImage::option()->set("n", 3)) -
                               image.extract_band(0, vips::VImage::option()->set("n", 3)))
                                  .abs();
  EXPECT_EQ(opaque.ifthenelse(colour_error, 0).max(), 0.0) << "opaque pixels keep their colour";
}

TEST_F(PaletteEncoderTest, APalettePngKeepsEveryColourAndItsAlpha) {
  vips::VImage image = FewColours(4);
  std::optional<std::string> png = EncodeWithExactPalette(image, Format::kPng, 6);
  ASSERT_TRUE(png);
  vips::VImage decoded = Decode(*png);
  EXPECT_NE(decoded.get_typeof("palette-bit-depth"), 0u) << "saved with a palette";
  ASSERT_EQ(decoded.bands(), 4);
  EXPECT_EQ((decoded - image).abs().max(), 0.0);
}

TEST_F(PaletteEncoderTest, AnImageOfMoreThan256ColoursIsLeftToTheQuantiser) {
  vips::VImage noise = Noise(64, 64).copy_memory();
  EXPECT_FALSE(EncodeWithExactPalette(noise, Format::kGif, 6));
  EXPECT_FALSE(EncodeWithExactPalette(noise, Format::kPng, 6));
}

}  // namespace
}  // namespace portrait::image::internal
