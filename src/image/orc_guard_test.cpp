#include "image/orc_guard.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>
#include <vips/vips8>

// After vips8: vector.h expects the types vips.h declares.
#include <vips/vector.h>

#include "image/test_images.h"

namespace portrait::image {
namespace {

using testing::StartImageLibrary;

TEST(OrcGuard, LibvipsCallsReachTheLockedDefinitionsAndVectorPathsStayOn) {
  StartImageLibrary();
  EXPECT_TRUE(OrcCallsAreLocked());
  EXPECT_TRUE(vips_vector_isenabled());
}

// Without the lock this crashes (or hangs) within a few hundred iterations on liborc 0.4.33:
// every uchar vertical reduce compiles an ORC program when it is built and frees it when it is
// disposed, here on four threads at once.
TEST(OrcGuard, ManyThreadsBuildingVectorisedReducesTogetherDoNotCorruptLiborc) {
  StartImageLibrary();
  constexpr int kThreads = 4;
  constexpr int kReducesPerThread = 600;
  std::vector<std::thread> threads;
  std::vector<double> sums(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t, &sums] {
      for (int i = 0; i < kReducesPerThread; ++i) {
        vips::VImage in = vips::VImage::black(32 + i % 7, 48).cast(VIPS_FORMAT_UCHAR);
        sums[t] += in.reducev(1.5 + (i % 5) * 0.25).avg();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (double sum : sums) EXPECT_EQ(sum, 0.0);  // black in, black out
}

}  // namespace
}  // namespace portrait::image
