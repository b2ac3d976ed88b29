// Processing cost per upload: Portrait's pipeline against ImageMagick doing the same work
// in-process (written as a competent user would: see MagickRender), and against the floor
// (libvips decoding each input once to the 500-px base).
//
// CPU time is the process's user+system time from getrusage, so threads libvips or ImageMagick
// start are counted. Each contender runs the whole corpus `repeats` times after a warm-up pass.
// Output: one "name cpu_ms_per_upload wall_ms_per_upload" line per contender, for bench/run.
#include <Magick++.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <sstream>
#include <string>
#include <thread>
#include <vector>
#include <vips/vips8>

#include "image/inspect.h"
#include "image/pipeline.h"

namespace {

constexpr int kOriginalMaxWidth = 500;
constexpr int kSquareSizes[] = {400, 200, 128, 73, 48, 24};
constexpr int kJpegQuality = 85;

struct Input {
  std::string name;
  std::string bytes;
};

double CpuMs() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto ms = [](const timeval& t) { return t.tv_sec * 1e3 + t.tv_usec / 1e3; };
  return ms(usage.ru_utime) + ms(usage.ru_stime);
}

// Voluntary and involuntary, over every thread of the process (libvips' own included).
long ContextSwitches() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_nvcsw + usage.ru_nivcsw;
}

// The inputs Portrait accepts: under the byte limit and passing Inspect.
std::vector<Input> LoadCorpus(const std::filesystem::path& dir) {
  std::vector<Input> inputs;
  portrait::image::Limits limits;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.file_size() > static_cast<uintmax_t>(limits.max_bytes)) {
      continue;
    }
    std::ifstream in(entry.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (portrait::image::Inspect(bytes, limits).ok()) {
      inputs.push_back({entry.path().filename().string(), std::move(bytes)});
    }
  }
  return inputs;
}

size_t PortraitRender(const Input& input) {
  auto result = portrait::image::RenderVariants(input.bytes);
  if (!result.ok()) {
    std::fprintf(stderr, "portrait failed on %s: %s\n", input.name.c_str(), result.error().c_str());
    return 0;
  }
  size_t total = 0;
  for (const auto& variant : result->variants) total += variant.bytes.size();
  return total;
}

size_t VipsDecodeFloor(const Input& input) {
  vips::VImage base = vips::VImage::thumbnail_buffer(
      vips_blob_new(nullptr, input.bytes.data(), input.bytes.size()), kOriginalMaxWidth,
      vips::VImage::option()->set("height", VIPS_MAX_COORD)->set("size", VIPS_SIZE_DOWN));
  base = base.copy_memory();
  return static_cast<size_t>(base.width()) * base.height();
}

// Magick++ throws warnings (a malformed XMP packet, say) as exceptions after finishing the
// operation; libvips ignores the same quirks, so the peer does too.
template <class Operation>
void Tolerating(Operation operation) {
  try {
    operation();
  } catch (const Magick::Warning&) {
  }
}

// ImageMagick as a competent user would write the same job: only the first frame read, JPEG
// decoded at a reduced scale (the size hint: libjpeg's DCT scaling to at least 500 x 500, enough
// for the 500-px original and the 400-px square), upright, stripped, and every variant resized
// from that one decoded image.
size_t MagickRender(const Input& input) {
  Magick::Blob blob(input.bytes.data(), input.bytes.size());
  Magick::Image decoded;
  decoded.quiet(true);
  decoded.subImage(0);
  decoded.subRange(1);
  const bool jpeg = input.bytes.size() > 2 && static_cast<unsigned char>(input.bytes[0]) == 0xFF &&
                    static_cast<unsigned char>(input.bytes[1]) == 0xD8;
  if (jpeg) {
    Tolerating([&] { decoded.read(blob, Magick::Geometry(kOriginalMaxWidth, kOriginalMaxWidth)); });
  } else {
    Tolerating([&] { decoded.read(blob); });
  }
  Tolerating([&] { decoded.autoOrient(); });
  Tolerating([&] { decoded.strip(); });
  decoded.quality(kJpegQuality);
  size_t total = 0;
  Magick::Blob out;
  Magick::Image original(decoded);
  if (original.columns() > static_cast<size_t>(kOriginalMaxWidth)) {
    Tolerating([&] { original.resize(Magick::Geometry(kOriginalMaxWidth, 0)); });
  }
  Tolerating([&] { original.write(&out); });
  total += out.length();
  const size_t side = std::min(decoded.columns(), decoded.rows());
  for (int size : kSquareSizes) {
    Magick::Image square(decoded);
    Tolerating([&] {
      square.crop(Magick::Geometry(side, side, (decoded.columns() - side) / 2,
                                   (decoded.rows() - side) / 2));
      square.repage();
      Magick::Geometry exact(size, size);
      exact.aspect(true);
      square.resize(exact);
    });
    Tolerating([&] { square.write(&out); });
    total += out.length();
  }
  return total;
}

struct Measurement {
  double cpu_ms_per_upload;
  double wall_ms_per_upload;
  double context_switches_per_upload = 0;
};

Measurement Measure(const std::vector<Input>& inputs, int repeats, bool warm_up,
                    const std::function<size_t(const Input&)>& work) {
  if (warm_up) {
    for (const auto& input : inputs) work(input);  // page in code, fill allocator pools
  }
  double cpu_start = CpuMs();
  auto wall_start = std::chrono::steady_clock::now();
  for (int r = 0; r < repeats; ++r) {
    for (const auto& input : inputs) work(input);
  }
  double wall_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall_start)
          .count();
  double uploads = static_cast<double>(inputs.size()) * repeats;
  return {(CpuMs() - cpu_start) / uploads, wall_ms / uploads};
}

// The same work spread over `threads` threads taking the next input in turn, as the server's
// workers take the next job: wall time per upload gives the pool's throughput.
Measurement MeasureParallel(const std::vector<Input>& inputs, int repeats, int threads,
                            const std::function<size_t(const Input&)>& work) {
  const size_t total = inputs.size() * static_cast<size_t>(repeats);
  std::atomic<size_t> next{0};
  long switches_start = ContextSwitches();
  double cpu_start = CpuMs();
  auto wall_start = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (size_t i = next++; i < total; i = next++) work(inputs[i % inputs.size()]);
    });
  }
  for (std::thread& thread : pool) thread.join();
  double wall_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall_start)
          .count();
  return {(CpuMs() - cpu_start) / static_cast<double>(total), wall_ms / static_cast<double>(total),
          static_cast<double>(ContextSwitches() - switches_start) / static_cast<double>(total)};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR [REPEATS] [VIPS_THREADS] [WARM_UP 0|1]\n", argv[0]);
    return 2;
  }
  int repeats = argc > 2 ? std::stoi(argv[2]) : 3;
  int vips_threads = argc > 3 ? std::stoi(argv[3]) : 1;
  bool warm_up = argc > 4 ? std::stoi(argv[4]) != 0 : true;
  portrait::image::InitImageLibrary(vips_threads);
  Magick::InitializeMagick(argv[0]);
  // One thread each, so CPU time measures work rather than OpenMP spinning; the server's
  // parallelism comes from its worker pool, not from threads inside one image.
  Magick::ResourceLimits::thread(1);

  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  auto inputs = LoadCorpus(argv[1]);
  if (inputs.empty()) {
    std::fprintf(stderr, "no valid inputs in %s\n", argv[1]);
    return 1;
  }
  std::printf("inputs %zu repeats %d vips_threads %d\n", inputs.size(), repeats, vips_threads);
  // PORTRAIT_BENCH_PER_FILE=1: each input's CPU ms per contender on stderr, for tuning.
  if (const char* per_file = std::getenv("PORTRAIT_BENCH_PER_FILE"); per_file && *per_file == '1') {
    for (const auto& input : inputs) {
      std::vector<Input> one{input};
      double portrait = Measure(one, repeats, true, PortraitRender).cpu_ms_per_upload;
      double floor = Measure(one, repeats, true, VipsDecodeFloor).cpu_ms_per_upload;
      double magick = Measure(one, repeats, true, MagickRender).cpu_ms_per_upload;
      std::fprintf(stderr, "%-28s portrait %7.1f floor %6.1f magick %7.1f (%.1fx floor)\n",
                   input.name.c_str(), portrait, floor, magick, portrait / floor);
    }
  }
  // PORTRAIT_BENCH_ONLY=portrait (or floor, imagemagick): that contender alone, for a profiler.
  if (const char* only = std::getenv("PORTRAIT_BENCH_ONLY"); only && *only) {
    const std::string name = only;
    auto work = name == "floor"         ? VipsDecodeFloor
                : name == "imagemagick" ? MagickRender
                                        : PortraitRender;
    auto alone = Measure(inputs, repeats, warm_up, work);
    std::printf("%s %.2f %.2f\n", only, alone.cpu_ms_per_upload, alone.wall_ms_per_upload);
    return 0;
  }
  auto portrait = Measure(inputs, repeats, warm_up, PortraitRender);
  std::printf("portrait %.2f %.2f\n", portrait.cpu_ms_per_upload, portrait.wall_ms_per_upload);
  auto floor = Measure(inputs, repeats, warm_up, VipsDecodeFloor);
  std::printf("vips_decode_floor %.2f %.2f\n", floor.cpu_ms_per_upload, floor.wall_ms_per_upload);
  auto magick = Measure(inputs, repeats, warm_up, MagickRender);
  std::printf("imagemagick %.2f %.2f\n", magick.cpu_ms_per_upload, magick.wall_ms_per_upload);
  // Worker scaling without HTTP, polling or the store: the pipeline alone on 1 and 2 threads.
  for (int threads : {1, 2}) {
    auto pool = MeasureParallel(inputs, 2 * repeats, threads, PortraitRender);
    std::printf("portrait_threads_%d %.2f %.2f\n", threads, pool.cpu_ms_per_upload,
                pool.wall_ms_per_upload);
    // On stderr, so bench/run's three-column parsing of stdout stays as it is: how busy the
    // threads kept the cores, and how often threads handed the CPU over.
    std::fprintf(stderr, "portrait_threads_%d: %.2f cores busy, %.1f context switches per upload\n",
                 threads, pool.cpu_ms_per_upload / pool.wall_ms_per_upload,
                 pool.context_switches_per_upload);
  }
  return 0;
}
