#include "common/time_format.h"

#include <chrono>
#include <ctime>

namespace portrait {
namespace {

std::string Format(int64_t epoch_seconds, const char* pattern) {
  std::time_t t = static_cast<std::time_t>(epoch_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  // strftime's %a and %b are locale-dependent; Portrait never calls setlocale, so they stay "C".
  char buffer[64];
  size_t n = std::strftime(buffer, sizeof buffer, pattern, &tm);
  return std::string(buffer, n);
}

}  // namespace

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t NowMilliseconds() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string TwitterTime(int64_t epoch_seconds) {
  return Format(epoch_seconds, "%a %b %d %H:%M:%S +0000 %Y");
}

std::string HttpDate(int64_t epoch_seconds) {
  return Format(epoch_seconds, "%a, %d %b %Y %H:%M:%S GMT");
}

}  // namespace portrait
