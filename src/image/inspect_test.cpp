#include "image/inspect.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "image/test_images.h"

namespace portrait::image {
namespace {

using namespace testing;

constexpr size_t kLargestAcceptedBytes = 716'799;
// A pixel flood must be refused from its header: far below the time a decode would take.
constexpr auto kFloodBudget = std::chrono::milliseconds(50);

class InspectTest : public ::testing::Test {
 protected:
  void SetUp() override { StartImageLibrary(); }

  static std::optional<Rejection> RejectionOf(std::string_view bytes, const Limits& limits = {}) {
    auto result = Inspect(bytes, limits);
    if (result.ok()) {
      return std::nullopt;
    }
    return result.error();
  }

  static void ExpectFloodRefusedQuickly(const std::string& bytes) {
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(RejectionOf(bytes), Rejection::kDimensionsTooLarge);
    EXPECT_LT(std::chrono::steady_clock::now() - start, kFloodBudget);
  }
};

TEST_F(InspectTest, ReportsFormatAndSizeOfValidImages) {
  auto jpeg = Inspect(ToJpeg(Noise(300, 200)), {});
  ASSERT_TRUE(jpeg.ok());
  EXPECT_EQ(jpeg->format, Format::kJpeg);
  EXPECT_EQ(jpeg->width, 300);
  EXPECT_EQ(jpeg->height, 200);

  auto png = Inspect(ToPng(Noise(40, 30, 4)), {});
  ASSERT_TRUE(png.ok());
  EXPECT_EQ(png->format, Format::kPng);
  EXPECT_EQ(png->width, 40);

  auto gif = Inspect(ToGif(Noise(20, 10)), {});
  ASSERT_TRUE(gif.ok());
  EXPECT_EQ(gif->format, Format::kGif);
  EXPECT_EQ(gif->height, 10);
}

TEST_F(InspectTest, ChecksSizeBeforeAnythingElse) {
  EXPECT_EQ(RejectionOf(std::string(kLargestAcceptedBytes + 1, 'x')), Rejection::kTooManyBytes);
  EXPECT_EQ(RejectionOf(std::string(kLargestAcceptedBytes, 'x')), Rejection::kUnrecognized);
}

TEST_F(InspectTest, AcceptsPaddedFilesOfExactly716799BytesAndRefuses716800) {
  std::string jpeg = ToJpeg(Noise(64, 64));
  EXPECT_TRUE(Inspect(PadJpeg(jpeg, kLargestAcceptedBytes), {}).ok());
  EXPECT_EQ(RejectionOf(PadJpeg(jpeg, kLargestAcceptedBytes + 1)), Rejection::kTooManyBytes);

  std::string png = ToPng(Noise(64, 64));
  std::string padded_png = PadPng(png, kLargestAcceptedBytes);
  ASSERT_EQ(padded_png.size(), kLargestAcceptedBytes);
  EXPECT_TRUE(Inspect(padded_png, {}).ok());
  EXPECT_EQ(RejectionOf(PadPng(png, kLargestAcceptedBytes + 1)), Rejection::kTooManyBytes);
}

TEST_F(InspectTest, RefusesWhatIsNotGifJpegOrPng) {
  EXPECT_EQ(RejectionOf("not an image at all"), Rejection::kUnrecognized);
  EXPECT_EQ(RejectionOf("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"9\" height=\"9\"/>"),
            Rejection::kUnrecognized);
  EXPECT_EQ(RejectionOf(std::string("RIFF\x1A\0\0\0WEBPVP8L\x0D\0\0\0\x2F\0\0\0", 24)),
            Rejection::kUnrecognized);
  EXPECT_EQ(RejectionOf(std::string("II*\0\x08\0\0\0", 8)), Rejection::kUnrecognized);
  EXPECT_EQ(RejectionOf(""), Rejection::kUnrecognized);
}

TEST_F(InspectTest, RefusesTruncatedJpeg) {
  std::string jpeg = ToJpeg(Noise(400, 300));
  EXPECT_EQ(RejectionOf(jpeg.substr(0, jpeg.size() / 2)), Rejection::kCorrupt);
  EXPECT_EQ(RejectionOf(jpeg.substr(0, 400)), Rejection::kCorrupt);
  EXPECT_EQ(RejectionOf(jpeg.substr(0, 3)), Rejection::kCorrupt);
}

TEST_F(InspectTest, RefusesTruncatedProgressiveJpeg) {
  std::string jpeg = ToJpeg(Noise(400, 300), vips::VImage::option()->set("interlace", true));
  EXPECT_EQ(RejectionOf(jpeg.substr(0, jpeg.size() * 3 / 4)), Rejection::kCorrupt);
}

TEST_F(InspectTest, RefusesTruncatedOrCorruptPng) {
  std::string png = ToPng(Noise(200, 200));
  EXPECT_EQ(RejectionOf(png.substr(0, png.size() / 2)), Rejection::kCorrupt);
  std::string flipped = png;
  flipped[png.size() / 2] = static_cast<char>(flipped[png.size() / 2] ^ 0x5A);
  EXPECT_EQ(RejectionOf(flipped), Rejection::kCorrupt);
}

TEST_F(InspectTest, RefusesTruncatedGif) {
  std::string gif = ToGif(Noise(200, 200));
  EXPECT_EQ(RejectionOf(gif.substr(0, gif.size() / 2)), Rejection::kCorrupt);
}

TEST_F(InspectTest, RefusesPngPixelFloodFromItsHeader) {
  ExpectFloodRefusedQuickly(PngDeclaring(100'000, 100'000));
}

TEST_F(InspectTest, RefusesJpegPixelFloodFromItsHeader) {
  ExpectFloodRefusedQuickly(JpegDeclaring(65'000, 65'000));
}

TEST_F(InspectTest, RefusesGifPixelFloodFromItsHeader) {
  ExpectFloodRefusedQuickly(GifDeclaring(65'000, 65'000, 65'000, 65'000));
  // libnsgif grows a small screen to fit its frames: the frame decides.
  ExpectFloodRefusedQuickly(GifDeclaring(1, 1, 65'000, 65'000));
}

TEST_F(InspectTest, JudgesAGifByItsFrameWhenTheScreenIsImplausiblyLarge) {
  // libnsgif ignores a huge logical screen around small frames, so libvips never allocates it.
  auto start = std::chrono::steady_clock::now();
  auto result = Inspect(GifDeclaring(65'000, 65'000, 1, 1), {});
  EXPECT_LT(std::chrono::steady_clock::now() - start, kFloodBudget);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->width, 1);
  EXPECT_EQ(result->height, 1);
}

TEST_F(InspectTest, AppliesEachConfiguredLimit) {
  std::string wide = ToPng(vips::VImage::black(10'001, 1));
  std::string tall = ToPng(vips::VImage::black(1, 10'001));
  EXPECT_EQ(RejectionOf(wide), Rejection::kDimensionsTooLarge);
  EXPECT_EQ(RejectionOf(tall), Rejection::kDimensionsTooLarge);
  EXPECT_TRUE(Inspect(ToPng(vips::VImage::black(10'000, 1)), {}).ok());

  Limits small{.max_bytes = 716'799, .max_width = 100, .max_height = 100, .max_pixels = 100};
  EXPECT_EQ(RejectionOf(ToPng(Noise(11, 10)), small), Rejection::kDimensionsTooLarge);
  EXPECT_TRUE(Inspect(ToPng(Noise(10, 10)), small).ok());
  Limits few_bytes{.max_bytes = 10};
  EXPECT_EQ(RejectionOf(ToPng(Noise(10, 10)), few_bytes), Rejection::kTooManyBytes);
}

TEST_F(InspectTest, SortsTheRealCorpusBySize) {
  auto dir = CorpusDir();
  if (!dir) {
    GTEST_SKIP() << "no corpus: run /work/shared/corpus/fetch .corpus";
  }
  int accepted = 0;
  for (const auto& path : CorpusFiles(*dir)) {
    std::string bytes = ReadFile(path);
    SCOPED_TRACE(path.filename().string());
    if (path.filename() == "truncated.jpg") {
      EXPECT_EQ(bytes.size(), 400u);
      EXPECT_EQ(RejectionOf(bytes), Rejection::kCorrupt);
    } else if (bytes.size() > kLargestAcceptedBytes) {
      EXPECT_EQ(RejectionOf(bytes), Rejection::kTooManyBytes);
    } else {
      EXPECT_TRUE(Inspect(bytes, {}).ok());
      ++accepted;
    }
  }
  EXPECT_GE(accepted, 20);
}

}  // namespace
}  // namespace portrait::image
