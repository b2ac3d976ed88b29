// Decoding once: an upload decoded while it is checked renders to the very bytes a render from
// the stored upload gives, and the cache that carries it to the worker keeps its bounds.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "image/decoded_cache.h"
#include "image/inspect.h"
#include "image/pipeline.h"
#include "image/test_images.h"

namespace portrait::image {
namespace {

using namespace testing;

std::vector<std::string> EncodedVariants(const Result<VariantSet, std::string>& rendered) {
  std::vector<std::string> bytes;
  for (const Variant& variant : rendered->variants) bytes.push_back(variant.bytes);
  return bytes;
}

DecodedUpload Decoded(const std::string& bytes) {
  auto decoded = DecodeUpload(bytes);
  EXPECT_TRUE(decoded.ok()) << decoded.error();
  return *decoded;
}

class DecodeOnceTest : public ::testing::Test {
 protected:
  void SetUp() override { StartImageLibrary(); }

  static void ExpectSameVariants(const std::string& bytes) {
    auto from_bytes = RenderVariants(bytes);
    ASSERT_TRUE(from_bytes.ok()) << from_bytes.error();
    auto inspected = InspectAndDecode(bytes, {});
    ASSERT_TRUE(inspected.ok());
    auto from_decoded = RenderVariants(inspected->decoded);
    ASSERT_TRUE(from_decoded.ok()) << from_decoded.error();
    EXPECT_EQ(from_decoded->format, from_bytes->format);
    ASSERT_EQ(from_decoded->variants.size(), 7u);
    EXPECT_EQ(EncodedVariants(from_decoded), EncodedVariants(from_bytes));
    EXPECT_EQ(from_decoded->decode_seconds, 0.0);
    EXPECT_GT(from_bytes->decode_seconds, 0.0);
  }
};

TEST_F(DecodeOnceTest, RendersTheSameBytesAsARenderFromTheUpload) {
  ExpectSameVariants(ToJpeg(Noise(900, 600)));
  ExpectSameVariants(ToJpeg(Noise(300, 800), vips::VImage::option()->set("interlace", true)));
  // 2400 px wide: pre-shrunk on the way in. Blocks of 10x10 pixels keep it under 700 KB.
  ExpectSameVariants(ToPng(
      Noise(240, 160, 4).resize(10, vips::VImage::option()->set("kernel", VIPS_KERNEL_NEAREST))));
  ExpectSameVariants(ToPng(Noise(64, 40), vips::VImage::option()->set("palette", true)));
  ExpectSameVariants(ToGif(Noise(120, 90)));
  ExpectSameVariants(ToPng(Noise(30, 20).cast(VIPS_FORMAT_USHORT) * 256));  // 16-bit
}

TEST_F(DecodeOnceTest, RendersTheRealCorpusTheSame) {
  auto dir = CorpusDir();
  if (!dir) GTEST_SKIP() << "no corpus: run scripts/fetch-corpus";
  int rendered = 0;
  for (const auto& path : CorpusFiles(*dir)) {
    std::string bytes = ReadFile(path);
    if (!Inspect(bytes, {}).ok()) continue;
    SCOPED_TRACE(path.filename().string());
    ExpectSameVariants(bytes);
    ++rendered;
  }
  EXPECT_GT(rendered, 10);
}

TEST_F(DecodeOnceTest, TheCacheHandsEachUploadOutOnce) {
  DecodedCache cache(64 << 20, std::chrono::seconds(30));
  DecodedUpload decoded = Decoded(ToJpeg(Noise(600, 400)));
  ASSERT_TRUE(cache.Put("uploads/1-a", decoded));
  EXPECT_EQ(cache.bytes(), decoded.memory_bytes());
  EXPECT_FALSE(cache.Put("uploads/1-a", decoded)) << "a key is kept once";
  auto taken = cache.Take("uploads/1-a");
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->memory_bytes(), decoded.memory_bytes());
  EXPECT_FALSE(cache.Take("uploads/1-a"));
  EXPECT_FALSE(cache.Take("uploads/unknown"));
  EXPECT_EQ(cache.bytes(), 0u);
  EXPECT_EQ(cache.size(), 0u);
}

TEST_F(DecodeOnceTest, TheCacheLeavesOutWhatWouldTakeItOverItsBudget) {
  DecodedUpload decoded = Decoded(ToJpeg(Noise(600, 400)));
  DecodedCache cache(decoded.memory_bytes() * 2, std::chrono::seconds(30));
  EXPECT_TRUE(cache.Put("first", decoded));
  EXPECT_TRUE(cache.Put("second", decoded));
  EXPECT_FALSE(cache.Put("third", decoded)) << "the ones kept first are nearer their worker";
  EXPECT_TRUE(cache.Take("first"));
  EXPECT_TRUE(cache.Put("third", decoded));
  EXPECT_LE(cache.bytes(), decoded.memory_bytes() * 2);
}

TEST_F(DecodeOnceTest, TheCacheDropsWhatIsNotTakenInTime) {
  DecodedUpload decoded = Decoded(ToPng(Noise(100, 100)));
  DecodedCache cache(64 << 20, std::chrono::milliseconds(50));
  ASSERT_TRUE(cache.Put("old", decoded));
  std::this_thread::sleep_for(std::chrono::milliseconds(120));
  ASSERT_TRUE(cache.Put("new", decoded));
  EXPECT_EQ(cache.size(), 1u) << "the expired entry went when the new one came";
  EXPECT_FALSE(cache.Take("old"));
  EXPECT_TRUE(cache.Take("new"));
}

}  // namespace
}  // namespace portrait::image
