#include <gtest/gtest.h>

#include <string>
#include <vips/vips8>

#include "image/pipeline.h"
#include "image/test_images.h"

namespace portrait::image {
namespace {

using testing::Noise;
using testing::StartImageLibrary;

// Encodes with a saver the server keeps blocked, unblocking it only for the call.
std::string EncodeWithBlockedSaver(const char* saver_class, const char* suffix) {
  vips_operation_block_set(saver_class, FALSE);
  void* buffer = nullptr;
  size_t length = 0;
  Noise(8, 8).write_to_buffer(suffix, &buffer, &length);
  vips_operation_block_set(saver_class, TRUE);
  std::string bytes(static_cast<const char*>(buffer), length);
  g_free(buffer);
  return bytes;
}

bool Loads(const std::string& bytes) {
  try {
    vips::VImage::new_from_buffer(bytes, "").avg();
    return true;
  } catch (const vips::VError&) {
    vips_error_clear();
    return false;
  }
}

TEST(InitImageLibrary, IsSafeToCallMoreThanOnce) {
  StartImageLibrary();
  StartImageLibrary();
  EXPECT_EQ(vips_cache_get_max(), 0);
}

TEST(InitImageLibrary, BlocksWebpTiffSvgAndPdfLoaders) {
  StartImageLibrary();
  std::string webp = EncodeWithBlockedSaver("VipsForeignSaveWebp", ".webp");
  std::string tiff = EncodeWithBlockedSaver("VipsForeignSaveTiff", ".tif");
  ASSERT_FALSE(webp.empty());
  ASSERT_FALSE(tiff.empty());

  EXPECT_FALSE(Loads(webp));
  EXPECT_FALSE(Loads(tiff));
  EXPECT_FALSE(Loads("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"9\" height=\"9\"/>"));
  EXPECT_FALSE(Loads("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"));

  // The bytes themselves are fine: only the block stops them.
  vips_operation_block_set("VipsForeignLoadWebpBuffer", FALSE);
  EXPECT_TRUE(Loads(webp));
  vips_operation_block_set("VipsForeignLoadWebpBuffer", TRUE);
  EXPECT_FALSE(Loads(webp));
}

TEST(InitImageLibrary, KeepsJpegPngAndGifLoadersAndSavers) {
  StartImageLibrary();
  EXPECT_TRUE(Loads(testing::ToJpeg(Noise(8, 8))));
  EXPECT_TRUE(Loads(testing::ToPng(Noise(8, 8))));
  EXPECT_TRUE(Loads(testing::ToGif(Noise(8, 8))));
}

TEST(InitImageLibrary, BlocksSaversPortraitDoesNotUse) {
  StartImageLibrary();
  void* buffer = nullptr;
  size_t length = 0;
  EXPECT_THROW(Noise(8, 8).write_to_buffer(".webp", &buffer, &length), vips::VError);
  vips_error_clear();
}

}  // namespace
}  // namespace portrait::image
