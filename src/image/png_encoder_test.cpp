// EncodeTruecolourPng: libvips' truecolour PNG output, made on the calling thread.
#include "image/png_encoder.h"

#include <gtest/gtest.h>
#include <png.h>

#include "image/image_format.h"
#include "image/test_images.h"

namespace portrait::image::internal {
namespace {

using namespace testing;

class PngEncoderTest : public ::testing::Test {
 protected:
  void SetUp() override { StartImageLibrary(); }

  static std::string Libvips(const vips::VImage& image) {
    VipsBlob* blob = image.pngsave_buffer(vips::VImage::option()
                                              ->set("compression", 2)
                                              ->set("filter", VIPS_FOREIGN_PNG_FILTER_SUB)
                                              ->set("strip", true));
    std::string bytes(static_cast<const char*>(VIPS_AREA(blob)->data), VIPS_AREA(blob)->length);
    vips_area_unref(VIPS_AREA(blob));
    return bytes;
  }
};

TEST_F(PngEncoderTest, MatchesLibvipsPngsaveByteForByteForEveryBandCount) {
  for (int bands : {3, 4}) {
    SCOPED_TRACE(bands);
    vips::VImage image = Noise(57, 33, bands).copy_memory();
    EXPECT_EQ(EncodeTruecolourPng(image, 2, PNG_FILTER_SUB), Libvips(image));
  }
  vips::VImage grey =
      Noise(40, 20)
          .extract_band(0)
          .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_B_W))
          .copy_memory();
  EXPECT_EQ(EncodeTruecolourPng(grey, 2, PNG_FILTER_SUB), Libvips(grey));
}

TEST_F(PngEncoderTest, KeepsEveryPixelAndTheAlpha) {
  vips::VImage image = Noise(64, 48, 4).copy_memory();
  vips::VImage decoded = Decode(EncodeTruecolourPng(image, 2, PNG_FILTER_SUB));
  ASSERT_EQ(decoded.bands(), 4);
  EXPECT_EQ((decoded - image).abs().max(), 0.0);
}

}  // namespace
}  // namespace portrait::image::internal
