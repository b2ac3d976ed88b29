// The banner pipeline: Twitter's ten sizes, cut from the chosen region of the upright image.
#include "image/banner.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <vector>

#include "image/test_images.h"
#include "image/variant_catalogue.h"

namespace portrait::image {
namespace {

using namespace testing;

class RenderBannerTest : public ::testing::Test {
 protected:
  void SetUp() override { StartImageLibrary(); }

  static VariantSet Render(const std::string& bytes, std::optional<BannerRegion> region = {}) {
    auto result = RenderBanner(bytes, region);
    if (!result.ok()) ADD_FAILURE() << result.error();
    return result.ok() ? std::move(result).value() : VariantSet{};
  }
};

// A black upright image of width x height with a white rectangle at region.
vips::VImage WithWhiteRegion(int width, int height, const BannerRegion& region) {
  vips::VImage white =
      vips::VImage::black(region.width, region.height, vips::VImage::option()->set("bands", 3))
          .new_from_image({255.0, 255.0, 255.0});
  return white.embed(region.offset_left, region.offset_top, width, height)
      .cast(VIPS_FORMAT_UCHAR)
      .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

TEST_F(RenderBannerTest, RendersEveryTwitterSizeAsAStrippedJpeg) {
  vips::VImage noise = Noise(2000, 1000);
  noise.set("orientation", 1);
  VariantSet set = Render(ToJpeg(noise));
  ASSERT_EQ(set.variants.size(), kBannerVariants.size());
  EXPECT_EQ(set.format, Format::kJpeg);
  for (size_t i = 0; i < kBannerVariants.size(); ++i) {
    const Variant& variant = set.variants[i];
    SCOPED_TRACE(variant.suffix);
    EXPECT_EQ(variant.suffix, kBannerVariants[i].name);
    EXPECT_EQ(variant.width, kBannerVariants[i].width);
    EXPECT_EQ(variant.height, kBannerVariants[i].height);
    EXPECT_EQ(SniffFormat(variant.bytes), Format::kJpeg);
    vips::VImage decoded = Decode(variant.bytes);
    EXPECT_EQ(decoded.width(), variant.width);
    EXPECT_EQ(decoded.height(), variant.height);
    for (const char* field : {"exif-data", "xmp-data", "icc-profile-data", "orientation"}) {
      EXPECT_EQ(decoded.get_typeof(field), 0u) << field;
    }
  }
}

TEST_F(RenderBannerTest, CutsTheRegionAndCoversEachSizeFromItsCentre) {
  const BannerRegion region{600, 300, 900, 400};
  VariantSet set = Render(ToPng(WithWhiteRegion(2000, 1200, region)), region);
  for (const Variant& variant : set.variants) {
    EXPECT_GT(Decode(variant.bytes).avg(), 250.0) << variant.suffix << ": only the region shows";
  }
  VariantSet whole = Render(ToPng(WithWhiteRegion(2000, 1200, region)));
  EXPECT_LT(Decode(whole.variants[0].bytes).avg(), 128.0) << "without a region, all of it";
}

TEST_F(RenderBannerTest, ReadsTheRegionInUprightPixelsForEveryExifOrientation) {
  // The upright image shows white at region; for each orientation, the stored image is the one
  // of the eight turns and mirrors of it that libvips' autorot brings back upright.
  const BannerRegion region{500, 250, 1100, 200};
  const vips::VImage upright = WithWhiteRegion(1800, 900, region);
  const std::vector<std::function<vips::VImage(const vips::VImage&)>> turns = {
      [](const vips::VImage& i) { return i; },
      [](const vips::VImage& i) { return i.rot90(); },
      [](const vips::VImage& i) { return i.rot180(); },
      [](const vips::VImage& i) { return i.rot270(); },
      [](const vips::VImage& i) { return i.flip(VIPS_DIRECTION_HORIZONTAL); },
      [](const vips::VImage& i) { return i.flip(VIPS_DIRECTION_VERTICAL); },
      [](const vips::VImage& i) { return i.rot90().flip(VIPS_DIRECTION_HORIZONTAL); },
      [](const vips::VImage& i) { return i.rot270().flip(VIPS_DIRECTION_HORIZONTAL); },
  };
  for (int orientation = 1; orientation <= 8; ++orientation) {
    SCOPED_TRACE(orientation);
    std::optional<vips::VImage> stored;
    for (const auto& turn : turns) {
      vips::VImage candidate = turn(upright).copy_memory();
      candidate.set("orientation", orientation);
      vips::VImage back = candidate.autorot();
      if (back.width() == upright.width() && back.height() == upright.height() &&
          (back - upright).abs().max() == 0) {
        stored = candidate;
        break;
      }
    }
    ASSERT_TRUE(stored) << "no turn of the image is stored as orientation " << orientation;
    VariantSet set = Render(ToJpeg(*stored), region);
    ASSERT_EQ(set.variants.size(), kBannerVariants.size());
    for (const Variant& variant : set.variants) {
      EXPECT_GT(Decode(variant.bytes).avg(), 245.0) << variant.suffix;
    }
  }
}

TEST_F(RenderBannerTest, CutsARegionReachingPastTheImageAndRefusesOneOutsideIt) {
  const BannerRegion inside{1200, 600, 800, 400};
  const std::string png = ToPng(WithWhiteRegion(2000, 1000, inside));
  VariantSet set = Render(png, BannerRegion{5000, 5000, 1200, 600});
  ASSERT_EQ(set.variants.size(), kBannerVariants.size());
  EXPECT_GT(Decode(set.variants[0].bytes).avg(), 250.0);
  auto outside = RenderBanner(png, BannerRegion{100, 100, 2000, 50});
  ASSERT_FALSE(outside.ok());
  EXPECT_EQ(outside.error(), "the region is outside the image");
}

TEST_F(RenderBannerTest, EnlargesASmallImageAndFlattensAlphaOnWhite) {
  vips::VImage transparent =
      vips::VImage::black(200, 100, vips::VImage::option()->set("bands", 4))
          .cast(VIPS_FORMAT_UCHAR)
          .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
  VariantSet set = Render(ToPng(transparent));
  ASSERT_EQ(set.variants.size(), kBannerVariants.size());
  vips::VImage largest = Decode(set.variants[0].bytes);
  EXPECT_EQ(largest.width(), 1500);
  EXPECT_EQ(largest.bands(), 3);
  EXPECT_GT(largest.avg(), 250.0) << "transparent pixels become white";
}

TEST_F(RenderBannerTest, UsesTheFirstFrameOfAnAnimatedGif) {
  vips::VImage first = vips::VImage::black(300, 150, vips::VImage::option()->set("bands", 3))
                           .new_from_image({255.0, 255.0, 255.0})
                           .cast(VIPS_FORMAT_UCHAR);
  vips::VImage second = vips::VImage::black(300, 150, vips::VImage::option()->set("bands", 3))
                            .cast(VIPS_FORMAT_UCHAR);
  vips::VImage frames = first.join(second, VIPS_DIRECTION_VERTICAL);
  frames.set("page-height", 150);
  frames.set("delay", std::vector<int>{10, 10});
  VariantSet set = Render(ToGif(frames));
  ASSERT_EQ(set.variants.size(), kBannerVariants.size());
  EXPECT_GT(Decode(set.variants[0].bytes).avg(), 240.0);
}

// Every corpus file a banner may be (under 5 MB; the truncated one is refused at intake).
TEST_F(RenderBannerTest, RendersEveryCorpusImageAsTenStrippedSingleFrameJpegs) {
  std::optional<std::filesystem::path> dir = CorpusDir();
  if (!dir) GTEST_SKIP() << "no corpus: run scripts/fetch-corpus";
  int rendered = 0;
  for (const std::filesystem::path& path : CorpusFiles(*dir)) {
    if (path.filename() == "truncated.jpg" || std::filesystem::file_size(path) >= 5'242'880) {
      continue;
    }
    SCOPED_TRACE(path.filename().string());
    VariantSet set = Render(ReadFile(path));
    ASSERT_EQ(set.variants.size(), kBannerVariants.size());
    for (size_t i = 0; i < kBannerVariants.size(); ++i) {
      vips::VImage decoded = Decode(set.variants[i].bytes, /*all_pages=*/true);
      EXPECT_EQ(decoded.width(), kBannerVariants[i].width);
      EXPECT_EQ(decoded.height(), kBannerVariants[i].height) << "one frame, exactly the size";
      EXPECT_EQ(decoded.bands(), 3);
      for (const char* field : {"exif-data", "xmp-data", "icc-profile-data", "orientation"}) {
        EXPECT_EQ(decoded.get_typeof(field), 0u) << field;
      }
    }
    ++rendered;
  }
  EXPECT_GE(rendered, 20);
}

}  // namespace
}  // namespace portrait::image
