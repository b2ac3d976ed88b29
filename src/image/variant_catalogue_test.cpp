// The catalogue: the layouts other components rely on, and that the pipeline renders exactly
// its profile image variants.
#include "image/variant_catalogue.h"

#include <gtest/gtest.h>

#include <set>

#include "image/pipeline.h"
#include "image/test_images.h"

namespace portrait::image {
namespace {

TEST(VariantCatalogueTest, ProfileImagePathsAreTheUrlAndBlobLayoutClientsDeriveVariantsFrom) {
  EXPECT_EQ(ProfileImagePath(42, "abc", "_normal", "jpeg"), "profile_images/42/abc_normal.jpeg");
  EXPECT_EQ(ProfileImagePath(7, "k", "", "png"), "profile_images/7/k.png");
  EXPECT_EQ(kLinkedSuffix, kProfileImageVariants[5].suffix);
}

TEST(VariantCatalogueTest, BannerPathsAreTheBaseClientsAppendASizeTo) {
  EXPECT_EQ(ProfileBannerPath(12, 345), "profile_banners/12/345");
}

TEST(VariantCatalogueTest, BannerSizesAreTwittersTen) {
  std::set<std::string_view> names;
  for (const VariantSpec& banner : kBannerVariants) {
    EXPECT_TRUE(names.insert(banner.name).second) << banner.name;
    EXPECT_EQ(banner.shape, VariantShape::kCover) << banner.name;
    EXPECT_TRUE(banner.width == 2 * banner.height || banner.width == 3 * banner.height)
        << banner.name << ": Twitter's banners are 2:1 or 3:1";
  }
  EXPECT_EQ(names, (std::set<std::string_view>{"web", "web_retina", "ipad", "ipad_retina", "mobile",
                                               "mobile_retina", "300x100", "600x200", "1500x500",
                                               "1080x360"}));
}

TEST(VariantCatalogueTest, ThePipelineRendersEveryProfileVariantInCatalogueOrderAndSize) {
  testing::StartImageLibrary();
  auto rendered = RenderVariants(testing::ToJpeg(testing::Noise(900, 600)));
  ASSERT_TRUE(rendered.ok()) << rendered.error();
  ASSERT_EQ(rendered->variants.size(), kProfileImageVariants.size());
  for (size_t i = 0; i < kProfileImageVariants.size(); ++i) {
    const VariantSpec& spec = kProfileImageVariants[i];
    const Variant& variant = rendered->variants[i];
    EXPECT_EQ(variant.suffix, spec.suffix);
    EXPECT_EQ(variant.width, spec.width) << spec.name;
    EXPECT_EQ(variant.height, spec.shape == VariantShape::kCover ? spec.height : 600 * 500 / 900)
        << spec.name;
  }
}

}  // namespace
}  // namespace portrait::image
