// EncodeJpeg: libvips' JPEG output, made on the calling thread.
#include "image/jpeg_encoder.h"

#include <gtest/gtest.h>

#include "image/image_format.h"
#include "image/test_images.h"

namespace portrait::image::internal {
namespace {

using namespace testing;

class JpegEncoderTest : public ::testing::Test {
 protected:
  void SetUp() override { StartImageLibrary(); }
};

TEST_F(JpegEncoderTest, WritesAJpegOfTheImageWithNothingButItsPixels) {
  vips::VImage image = Noise(73, 41).gaussblur(2.0).cast(VIPS_FORMAT_UCHAR).copy_memory();
  std::string bytes = EncodeJpeg(image, 85);
  ASSERT_EQ(SniffFormat(bytes), Format::kJpeg);
  vips::VImage decoded = Decode(bytes);
  EXPECT_EQ(decoded.width(), 73);
  EXPECT_EQ(decoded.height(), 41);
  EXPECT_EQ(decoded.bands(), 3);
  for (const char* field : {"exif-data", "xmp-data", "icc-profile-data"}) {
    EXPECT_EQ(decoded.get_typeof(field), 0u) << field;
  }
  const double difference = (decoded.cast(VIPS_FORMAT_FLOAT) - image).abs().avg();
  EXPECT_LT(difference, 4.0) << "quality 85 keeps the pixels close";
}

TEST_F(JpegEncoderTest, MatchesLibvipsJpegsaveByteForByte) {
  vips::VImage image = Noise(128, 128).gaussblur(1.5).cast(VIPS_FORMAT_UCHAR).copy_memory();
  VipsBlob* blob = image.jpegsave_buffer(
      vips::VImage::option()->set("Q", 85)->set("optimize_coding", true)->set("strip", true));
  const std::string expected(static_cast<const char*>(VIPS_AREA(blob)->data),
                             VIPS_AREA(blob)->length);
  vips_area_unref(VIPS_AREA(blob));
  EXPECT_EQ(EncodeJpeg(image, 85), expected);
}

TEST_F(JpegEncoderTest, WritesGreyscaleAndRefusesAlpha) {
  vips::VImage grey = Noise(20, 10).extract_band(0).copy_memory();
  EXPECT_EQ(Decode(EncodeJpeg(grey, 85)).bands(), 1);
  vips::VImage with_alpha = Noise(20, 10, 4).copy_memory();
  EXPECT_THROW(EncodeJpeg(with_alpha, 85), vips::VError);
}

}  // namespace
}  // namespace portrait::image::internal
