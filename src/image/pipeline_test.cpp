#include "image/pipeline.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "image/inspect.h"
#include "image/test_images.h"

namespace portrait::image {
namespace {

using namespace testing;

const std::vector<std::pair<std::string, int>> kSquares = {
    {"_400x400", 400}, {"_200x200", 200}, {"_reasonably_small", 128},
    {"_bigger", 73},   {"_normal", 48},   {"_mini", 24}};

class RenderVariantsTest : public ::testing::Test {
 protected:
  void SetUp() override { StartImageLibrary(); }

  static VariantSet Render(const std::string& bytes) {
    auto result = RenderVariants(bytes);
    if (!result.ok()) {
      ADD_FAILURE() << result.error();
    }
    return result.ok() ? std::move(result).value() : VariantSet{};
  }

  // Every variant: the right suffix and size, encoded in `format`, without metadata.
  static void ExpectVariants(const VariantSet& set, Format format, int width, int height) {
    ASSERT_EQ(set.variants.size(), 7u);
    EXPECT_EQ(set.format, format);
    EXPECT_GT(set.decode_seconds, 0);  // both stages ran and were timed
    EXPECT_GT(set.encode_seconds, 0);
    EXPECT_EQ(set.variants[0].suffix, "");
    EXPECT_EQ(set.variants[0].width, width);
    EXPECT_EQ(set.variants[0].height, height);
    for (size_t i = 0; i < kSquares.size(); ++i) {
      EXPECT_EQ(set.variants[i + 1].suffix, kSquares[i].first);
      EXPECT_EQ(set.variants[i + 1].width, kSquares[i].second);
      EXPECT_EQ(set.variants[i + 1].height, kSquares[i].second);
    }
    for (const Variant& variant : set.variants) {
      SCOPED_TRACE(variant.suffix);
      EXPECT_EQ(SniffFormat(variant.bytes), format);
      vips::VImage decoded = Decode(variant.bytes, /*all_pages=*/true);
      EXPECT_EQ(decoded.width(), variant.width);
      EXPECT_EQ(decoded.height(), variant.height);
      EXPECT_EQ(decoded.format(), VIPS_FORMAT_UCHAR);
      ExpectNoMetadata(decoded);
    }
  }

  static void ExpectNoMetadata(const vips::VImage& decoded) {
    for (const char* field : {"exif-data", "xmp-data", "icc-profile-data", "iptc-data",
                              "orientation", "png-comment-0-Comment", "gif-comment"}) {
      EXPECT_EQ(decoded.get_typeof(field), 0u) << field;
    }
  }
};

TEST_F(RenderVariantsTest, ScalesALargeJpegTo500WideAndCutsExactSquares) {
  ExpectVariants(Render(ToJpeg(Noise(800, 600))), Format::kJpeg, 500, 375);
}

TEST_F(RenderVariantsTest, NeverUpscalesTheOriginalButAlwaysFillsTheSquares) {
  ExpectVariants(Render(ToJpeg(Noise(100, 50))), Format::kJpeg, 100, 50);
  ExpectVariants(Render(ToPng(Noise(1, 1))), Format::kPng, 1, 1);
}

TEST_F(RenderVariantsTest, KeepsTheAspectOfVeryWideAndVeryTallImages) {
  ExpectVariants(Render(ToJpeg(Noise(4000, 100))), Format::kJpeg, 500, 13);
  ExpectVariants(Render(ToPng(Noise(60, 3000))), Format::kPng, 60, 3000);
}

TEST_F(RenderVariantsTest, CropsSquaresFromTheCentre) {
  // White centre band between black sides: the squares must be all white.
  vips::VImage black =
      vips::VImage::black(300, 300)
          .bandjoin({0.0, 0.0})
          .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
  vips::VImage image =
      black.insert(black.new_from_image({255.0, 255.0, 255.0}), 0, 0).embed(300, 0, 900, 300);
  VariantSet set = Render(ToPng(image.cast(VIPS_FORMAT_UCHAR)));
  ASSERT_EQ(set.variants.size(), 7u);
  EXPECT_EQ(Decode(set.variants[1].bytes).min(), 255.0);
  EXPECT_LT(Decode(set.variants[0].bytes).avg(), 120.0);
}

TEST_F(RenderVariantsTest, AppliesExifOrientation) {
  // Stored 300x200, left half white; orientation 6 turns it clockwise: the top half is white.
  vips::VImage stored =
      vips::VImage::black(150, 200, vips::VImage::option()->set("bands", 3))
          .new_from_image({255.0, 255.0, 255.0})
          .embed(0, 0, 300, 200)
          .cast(VIPS_FORMAT_UCHAR)
          .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
  stored.set("orientation", 6);
  VariantSet set = Render(ToJpeg(stored));
  ExpectVariants(set, Format::kJpeg, 200, 300);
  vips::VImage upright = Decode(set.variants[0].bytes);
  EXPECT_GT(upright.extract_area(0, 0, 200, 140).avg(), 240.0);
  EXPECT_LT(upright.extract_area(0, 160, 200, 140).avg(), 15.0);
}

TEST_F(RenderVariantsTest, ConvertsCmykJpegToSrgb) {
  std::string cmyk = ToJpeg(Noise(300, 300).colourspace(VIPS_INTERPRETATION_CMYK));
  ASSERT_EQ(Decode(cmyk).bands(), 4);
  VariantSet set = Render(cmyk);
  ExpectVariants(set, Format::kJpeg, 300, 300);
  vips::VImage output = Decode(set.variants[0].bytes);
  EXPECT_EQ(output.bands(), 3);
  EXPECT_EQ(output.interpretation(), VIPS_INTERPRETATION_sRGB);
}

TEST_F(RenderVariantsTest, ConvertsAnEmbeddedProfileToSrgbAndLeavesUntaggedPixelsAlone) {
  vips::VImage red =
      vips::VImage::black(64, 64, vips::VImage::option()->set("bands", 3))
          .new_from_image({200.0, 30.0, 30.0})
          .cast(VIPS_FORMAT_UCHAR)
          .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
  vips::VImage in_p3 = red.icc_transform(
      "p3", vips::VImage::option()->set("input_profile", "srgb")->set("embedded", false));
  ASSERT_GT(std::abs(in_p3.extract_band(0).avg() - 200.0), 5.0);

  VariantSet tagged = Render(ToPng(in_p3));
  ExpectVariants(tagged, Format::kPng, 64, 64);
  EXPECT_NEAR(Decode(tagged.variants[0].bytes).extract_band(0).avg(), 200.0, 2.0);

  VariantSet untagged = Render(ToPng(red));
  vips::VImage output = Decode(untagged.variants[0].bytes);
  EXPECT_EQ(output.extract_band(0).avg(), 200.0);
  EXPECT_EQ(output.extract_band(1).avg(), 30.0);
}

TEST_F(RenderVariantsTest, ReadsProgressiveJpeg) {
  std::string jpeg = ToJpeg(Noise(640, 480), vips::VImage::option()->set("interlace", true));
  ExpectVariants(Render(jpeg), Format::kJpeg, 500, 375);
}

TEST_F(RenderVariantsTest, WritesSixteenBitPngAsEightBit) {
  vips::VImage grey_rgb16 =
      (vips::VImage::black(120, 80, vips::VImage::option()->set("bands", 3)) + 32768.0)
          .cast(VIPS_FORMAT_USHORT)
          .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_RGB16));
  std::string png = ToPng(grey_rgb16);
  ASSERT_EQ(Decode(png).format(), VIPS_FORMAT_USHORT);
  VariantSet set = Render(png);
  ExpectVariants(set, Format::kPng, 120, 80);
  EXPECT_NEAR(Decode(set.variants[0].bytes).avg(), 128.0, 2.0);
}

TEST_F(RenderVariantsTest, ReadsInterlacedPng) {
  std::string png = ToPng(Noise(300, 200, 4), vips::VImage::option()->set("interlace", true));
  ExpectVariants(Render(png), Format::kPng, 300, 200);
}

TEST_F(RenderVariantsTest, KeepsPngAlphaAndPalette) {
  vips::VImage alpha = vips::VImage::black(64, 64).new_from_image({0.0}).embed(
      0, 0, 128, 64, vips::VImage::option()->set("background", std::vector<double>{255.0}));
  vips::VImage image = Noise(128, 64).bandjoin(alpha.cast(VIPS_FORMAT_UCHAR));
  std::string palette_png = ToPng(image, vips::VImage::option()->set("palette", true));
  ASSERT_NE(Decode(palette_png).get_typeof("palette-bit-depth"), 0u);
  VariantSet set = Render(palette_png);
  ExpectVariants(set, Format::kPng, 128, 64);
  vips::VImage output = Decode(set.variants[0].bytes);
  EXPECT_TRUE(output.has_alpha());
  EXPECT_NE(output.get_typeof("palette-bit-depth"), 0u);
  EXPECT_EQ(output.extract_band(3).extract_area(0, 0, 60, 64).max(), 0.0);
  EXPECT_EQ(output.extract_band(3).extract_area(68, 0, 60, 64).min(), 255.0);
}

TEST_F(RenderVariantsTest, KeepsGifTransparency) {
  vips::VImage alpha = vips::VImage::black(32, 32).embed(
      0, 0, 64, 32, vips::VImage::option()->set("background", std::vector<double>{255.0}));
  std::string gif = ToGif(Noise(64, 32).bandjoin(alpha.cast(VIPS_FORMAT_UCHAR)));
  VariantSet set = Render(gif);
  ExpectVariants(set, Format::kGif, 64, 32);
  vips::VImage output = Decode(set.variants[0].bytes);
  ASSERT_TRUE(output.has_alpha());
  EXPECT_EQ(output.extract_band(3).extract_area(0, 0, 28, 32).max(), 0.0);
  EXPECT_EQ(output.extract_band(3).extract_area(36, 0, 28, 32).min(), 255.0);
}

TEST_F(RenderVariantsTest, RendersOnlyTheFirstFrameOfAnAnimatedGif) {
  vips::VImage frames = Noise(50, 150);
  frames.set("page-height", 50);
  frames.set("delay", std::vector<int>{100, 100, 100});
  std::string gif = ToGif(frames);
  ASSERT_EQ(Decode(gif, /*all_pages=*/true).get_int("n-pages"), 3);
  VariantSet set = Render(gif);
  ExpectVariants(set, Format::kGif, 50, 50);
  for (const Variant& variant : set.variants) {
    vips::VImage decoded = Decode(variant.bytes, /*all_pages=*/true);
    EXPECT_TRUE(decoded.get_typeof("n-pages") == 0 || decoded.get_int("n-pages") == 1);
  }
}

TEST_F(RenderVariantsTest, StripsExifIccAndComments) {
  vips::VImage image = Noise(64, 64);
  image.set("orientation", 1);
  image.set("png-comment-0-Comment", "secret");
  std::string jpeg = ToJpeg(image.icc_transform(
      "srgb", vips::VImage::option()->set("input_profile", "srgb")->set("embedded", false)));
  ASSERT_NE(Decode(jpeg).get_typeof("exif-data"), 0u);
  ASSERT_NE(Decode(jpeg).get_typeof("icc-profile-data"), 0u);
  ExpectVariants(Render(jpeg), Format::kJpeg, 64, 64);
  std::string png = ToPng(image);
  ASSERT_NE(Decode(png).get_typeof("png-comment-0-Comment"), 0u);
  ExpectVariants(Render(png), Format::kPng, 64, 64);
}

TEST_F(RenderVariantsTest, ReportsBytesThatAreNotAnImage) {
  EXPECT_FALSE(RenderVariants("not an image").ok());
  EXPECT_FALSE(RenderVariants(std::string("\xFF\xD8\xFF\xE0garbage", 11)).ok());
}

TEST_F(RenderVariantsTest, RunsOnSeveralThreadsAtOnce) {
  // Noise hardly compresses: these stay under the upload limit.
  std::vector<std::string> inputs = {ToJpeg(Noise(700, 600)), ToPng(Noise(300, 400, 4)),
                                     ToGif(Noise(300, 200)), ToJpeg(Noise(640, 640))};
  std::vector<int> variant_counts(inputs.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < inputs.size(); ++i) {
    threads.emplace_back([&, i] {
      for (int round = 0; round < 3; ++round) {
        auto result = RenderVariants(inputs[i]);
        if (result.ok() && Inspect(inputs[i], {}).ok()) {
          variant_counts[i] += result->variants.size();
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  for (int count : variant_counts) {
    EXPECT_EQ(count, 21);
  }
}

TEST_F(RenderVariantsTest, RendersEveryAcceptedCorpusImage) {
  auto dir = CorpusDir();
  if (!dir) {
    GTEST_SKIP() << "no corpus: run scripts/fetch-corpus";
  }
  for (const auto& path : CorpusFiles(*dir)) {
    std::string bytes = ReadFile(path);
    if (!Inspect(bytes, {}).ok()) {
      continue;
    }
    SCOPED_TRACE(path.filename().string());
    auto start = std::chrono::steady_clock::now();
    VariantSet set = Render(bytes);
    auto elapsed =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start);
    std::printf("  %-28s %8zu bytes  %7.1f ms\n", path.filename().c_str(), bytes.size(),
                elapsed.count());
    vips::VImage header = Decode(bytes);
    int width = std::min(header.width(), 500);
    ExpectVariants(set, *SniffFormat(bytes), width,
                   static_cast<int>(
                       std::lround(static_cast<double>(header.height()) * width / header.width())));
  }
}

}  // namespace
}  // namespace portrait::image
