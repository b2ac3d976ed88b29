#include "image/inspect.h"

#include <gtest/gtest.h>
#include <vips/vips.h>

#include <chrono>
#include <string>
#include <utility>

#include "image/test_images.h"

namespace portrait::image {
namespace {

using namespace testing;

constexpr size_t kLargestAcceptedBytes = 716'799;
// A pixel flood must be refused from its header, without allocating its pixels: libvips'
// tracked-memory high-water mark may not grow by more than this while it is judged. (Memory,
// not time: these machines are shared and timings are noise.)
constexpr size_t kFloodMemoryBudgetBytes = 16 * 1024 * 1024;

// Runs check and expects libvips to have allocated no pixel buffer worth the name meanwhile.
template <class Check>
void ExpectNoLargeAllocation(Check check) {
  const size_t before = vips_tracked_get_mem_highwater();
  check();
  EXPECT_LT(vips_tracked_get_mem_highwater() - before, kFloodMemoryBudgetBytes);
}

// Every test runs against Inspect and against InspectAndDecode, which must judge alike.
enum class Checker { kInspect, kInspectAndDecode };

std::string CheckerName(const ::testing::TestParamInfo<Checker>& info) {
  return info.param == Checker::kInspect ? "Inspect" : "InspectAndDecode";
}

class InspectTest : public ::testing::TestWithParam<Checker> {
 protected:
  void SetUp() override { StartImageLibrary(); }

  static Result<ImageInfo, Rejection> Check(std::string_view bytes, const Limits& limits) {
    if (GetParam() == Checker::kInspect) return Inspect(bytes, limits);
    auto checked = InspectAndDecode(bytes, limits);
    if (!checked.ok()) return Failure{checked.error()};
    // What was decoded is the upload's first frame, ready to render.
    EXPECT_EQ(checked->decoded.format(), checked->info.format);
    EXPECT_GT(checked->decoded.memory_bytes(), 0u);
    return checked->info;
  }

  static std::optional<Rejection> RejectionOf(std::string_view bytes, const Limits& limits = {}) {
    auto result = Check(bytes, limits);
    if (result.ok()) {
      return std::nullopt;
    }
    return result.error();
  }

  static void ExpectFloodRefusedQuickly(const std::string& bytes) {
    ExpectNoLargeAllocation([&] { EXPECT_EQ(RejectionOf(bytes), Rejection::kDimensionsTooLarge); });
  }
};

TEST_P(InspectTest, ReportsFormatAndSizeOfValidImages) {
  auto jpeg = Check(ToJpeg(Noise(300, 200)), {});
  ASSERT_TRUE(jpeg.ok());
  EXPECT_EQ(jpeg->format, Format::kJpeg);
  EXPECT_EQ(jpeg->width, 300);
  EXPECT_EQ(jpeg->height, 200);

  auto png = Check(ToPng(Noise(40, 30, 4)), {});
  ASSERT_TRUE(png.ok());
  EXPECT_EQ(png->format, Format::kPng);
  EXPECT_EQ(png->width, 40);

  auto gif = Check(ToGif(Noise(20, 10)), {});
  ASSERT_TRUE(gif.ok());
  EXPECT_EQ(gif->format, Format::kGif);
  EXPECT_EQ(gif->height, 10);
}

TEST_P(InspectTest, ChecksSizeBeforeAnythingElse) {
  EXPECT_EQ(RejectionOf(std::string(kLargestAcceptedBytes + 1, 'x')), Rejection::kTooManyBytes);
  EXPECT_EQ(RejectionOf(std::string(kLargestAcceptedBytes, 'x')), Rejection::kUnrecognized);
}

TEST_P(InspectTest, AcceptsPaddedFilesOfExactly716799BytesAndRefuses716800) {
  std::string jpeg = ToJpeg(Noise(64, 64));
  EXPECT_TRUE(Check(PadJpeg(jpeg, kLargestAcceptedBytes), {}).ok());
  EXPECT_EQ(RejectionOf(PadJpeg(jpeg, kLargestAcceptedBytes + 1)), Rejection::kTooManyBytes);

  std::string png = ToPng(Noise(64, 64));
  std::string padded_png = PadPng(png, kLargestAcceptedBytes);
  ASSERT_EQ(padded_png.size(), kLargestAcceptedBytes);
  EXPECT_TRUE(Check(padded_png, {}).ok());
  EXPECT_EQ(RejectionOf(PadPng(png, kLargestAcceptedBytes + 1)), Rejection::kTooManyBytes);
}

TEST_P(InspectTest, RefusesWhatIsNotGifJpegOrPng) {
  EXPECT_EQ(RejectionOf("not an image at all"), Rejection::kUnrecognized);
  EXPECT_EQ(RejectionOf("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"9\" height=\"9\"/>"),
            Rejection::kUnrecognized);
  EXPECT_EQ(RejectionOf(std::string("RIFF\x1A\0\0\0WEBPVP8L\x0D\0\0\0\x2F\0\0\0", 24)),
            Rejection::kUnrecognized);
  EXPECT_EQ(RejectionOf(std::string("II*\0\x08\0\0\0", 8)), Rejection::kUnrecognized);
  EXPECT_EQ(RejectionOf(""), Rejection::kUnrecognized);
}

TEST_P(InspectTest, RefusesTruncatedJpeg) {
  std::string jpeg = ToJpeg(Noise(400, 300));
  EXPECT_EQ(RejectionOf(jpeg.substr(0, jpeg.size() / 2)), Rejection::kCorrupt);
  EXPECT_EQ(RejectionOf(jpeg.substr(0, 400)), Rejection::kCorrupt);
  EXPECT_EQ(RejectionOf(jpeg.substr(0, 3)), Rejection::kCorrupt);
}

TEST_P(InspectTest, RefusesTruncatedProgressiveJpeg) {
  std::string jpeg = ToJpeg(Noise(400, 300), vips::VImage::option()->set("interlace", true));
  EXPECT_EQ(RejectionOf(jpeg.substr(0, jpeg.size() * 3 / 4)), Rejection::kCorrupt);
}

TEST_P(InspectTest, RefusesTruncatedOrCorruptPng) {
  std::string png = ToPng(Noise(200, 200));
  EXPECT_EQ(RejectionOf(png.substr(0, png.size() / 2)), Rejection::kCorrupt);
  std::string flipped = png;
  flipped[png.size() / 2] = static_cast<char>(flipped[png.size() / 2] ^ 0x5A);
  EXPECT_EQ(RejectionOf(flipped), Rejection::kCorrupt);
}

TEST_P(InspectTest, RefusesTruncatedGif) {
  std::string gif = ToGif(Noise(200, 200));
  EXPECT_EQ(RejectionOf(gif.substr(0, gif.size() / 2)), Rejection::kCorrupt);
}

// libvips aborts the process when a JPEG decoded at 1/8 scale would have a zero side; Inspect
// must pick a smaller scale (found by fuzz/inspect_fuzzer).
TEST_P(InspectTest, AcceptsJpegsNarrowerThanEightPixels) {
  for (auto [width, height] : {std::pair{1, 1}, std::pair{4, 30}, std::pair{30, 7}}) {
    auto result = Check(ToJpeg(Noise(width, height)), {});
    ASSERT_TRUE(result.ok()) << width << "x" << height;
    EXPECT_EQ(result->width, width);
    EXPECT_EQ(result->height, height);
  }
}

TEST_P(InspectTest, RefusesTheCorruptFourPixelWideJpegTheFuzzerFound) {
  // fuzz/regressions/inspect/jpeg-narrower-than-check-shrink: 4x30, undefined quantization table.
  const std::string jpeg(
      "\xff\xd8\xff\xc0\x00\x0b\x08\x00\x1e\x00\x04\x01\x01\x11\x59\x00\xba\xff\xda\x00"
      "\x08\x01\x01\xff\xb7\x3f\x60",
      27);
  // The finding was a process abort; what must hold is an answer. libvips' verdict on this file
  // is not stable from run to run (usually kCorrupt, once accepted as 4x30 in CI): a known gap,
  // recorded in the issue notes, so either outcome is allowed here but nothing else.
  auto result = Check(jpeg, {});
  if (result.ok()) {
    EXPECT_EQ(result->width, 4);
    EXPECT_EQ(result->height, 30);
  } else {
    EXPECT_EQ(result.error(), Rejection::kCorrupt);
  }
}

TEST_P(InspectTest, RefusesPngPixelFloodFromItsHeader) {
  ExpectFloodRefusedQuickly(PngDeclaring(100'000, 100'000));
}

TEST_P(InspectTest, RefusesJpegPixelFloodFromItsHeader) {
  ExpectFloodRefusedQuickly(JpegDeclaring(65'000, 65'000));
}

TEST_P(InspectTest, RefusesGifPixelFloodFromItsHeader) {
  ExpectFloodRefusedQuickly(GifDeclaring(65'000, 65'000, 65'000, 65'000));
  // libnsgif grows a small screen to fit its frames: the frame decides.
  ExpectFloodRefusedQuickly(GifDeclaring(1, 1, 65'000, 65'000));
}

TEST_P(InspectTest, JudgesAGifByItsFrameWhenTheScreenIsImplausiblyLarge) {
  // libnsgif ignores a huge logical screen around small frames, so libvips never allocates it.
  std::optional<Result<ImageInfo, Rejection>> inspected;
  ExpectNoLargeAllocation(
      [&] { inspected.emplace(Check(GifDeclaring(65'000, 65'000, 1, 1), {})); });
  auto& result = *inspected;
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->width, 1);
  EXPECT_EQ(result->height, 1);
}

TEST_P(InspectTest, AppliesEachConfiguredLimit) {
  std::string wide = ToPng(vips::VImage::black(10'001, 1));
  std::string tall = ToPng(vips::VImage::black(1, 10'001));
  EXPECT_EQ(RejectionOf(wide), Rejection::kDimensionsTooLarge);
  EXPECT_EQ(RejectionOf(tall), Rejection::kDimensionsTooLarge);
  EXPECT_TRUE(Check(ToPng(vips::VImage::black(10'000, 1)), {}).ok());

  Limits small{.max_bytes = 716'799, .max_width = 100, .max_height = 100, .max_pixels = 100};
  EXPECT_EQ(RejectionOf(ToPng(Noise(11, 10)), small), Rejection::kDimensionsTooLarge);
  EXPECT_TRUE(Check(ToPng(Noise(10, 10)), small).ok());
  Limits few_bytes{.max_bytes = 10};
  EXPECT_EQ(RejectionOf(ToPng(Noise(10, 10)), few_bytes), Rejection::kTooManyBytes);
}

TEST_P(InspectTest, SortsTheRealCorpusBySize) {
  auto dir = CorpusDir();
  if (!dir) {
    GTEST_SKIP() << "no corpus: run scripts/fetch-corpus";
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
      EXPECT_TRUE(Check(bytes, {}).ok());
      ++accepted;
    }
  }
  EXPECT_GE(accepted, 20);
}

INSTANTIATE_TEST_SUITE_P(Checkers, InspectTest,
                         ::testing::Values(Checker::kInspect, Checker::kInspectAndDecode),
                         CheckerName);

}  // namespace
}  // namespace portrait::image
