#include <algorithm>
#include <array>
#include <mutex>
#include <string>
#include <vips/vips8>

// After vips8: vector.h expects the types vips.h declares.
#include <vips/vector.h>

#include "common/result.h"
#include "image/orc_guard.h"
#include "image/pipeline.h"

namespace portrait::image {
namespace {

// libvips can load dozens of formats, several through large third-party parsers (ImageMagick,
// poppler, librsvg). Portrait accepts three and opens them by name, so everything else stays
// blocked even if some code path were to ask libvips to sniff a buffer.
constexpr std::array<const char*, 3> kAllowedLoaders = {
    "VipsForeignLoadJpegBuffer", "VipsForeignLoadPngBuffer", "VipsForeignLoadNsgifBuffer"};
// Savers are not an attack surface; each family stays whole because write_to_buffer() prefers
// the target saver over the buffer one.
constexpr std::array<const char*, 3> kAllowedSavers = {"VipsForeignSaveJpeg", "VipsForeignSavePng",
                                                       "VipsForeignSaveCgif"};

void StartVips(int vips_threads) {
  if (VIPS_INIT("portrait") != 0) {
    throw Fault(std::string("libvips failed to start: ") + vips_error_buffer());
  }
  // Every upload is different: caching operations would only hold memory.
  vips_cache_set_max(0);
  vips_concurrency_set(std::max(1, vips_threads));
  // Without the lock around liborc's code memory, vectorised operations built on several
  // threads at once can crash the process (orc_guard.h); the plain C paths are then the safe
  // choice, about a tenth slower.
  if (!OrcCallsAreLocked()) vips_vector_set_enabled(FALSE);
  vips_block_untrusted_set(TRUE);
  vips_operation_block_set("VipsForeignLoad", TRUE);
  vips_operation_block_set("VipsForeignSave", TRUE);
  vips_operation_block_set("VipsSystem", TRUE);
  for (const char* loader : kAllowedLoaders) {
    vips_operation_block_set(loader, FALSE);
  }
  for (const char* saver : kAllowedSavers) {
    vips_operation_block_set(saver, FALSE);
  }
}

}  // namespace

void InitImageLibrary(int vips_threads) {
  static std::once_flag started;
  std::call_once(started, StartVips, vips_threads);
}

}  // namespace portrait::image
