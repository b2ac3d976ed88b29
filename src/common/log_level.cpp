#include "common/log_level.h"

#include <atomic>

namespace portrait {
namespace {

std::atomic<LogLevel> threshold{LogLevel::kInfo};

}  // namespace

std::optional<LogLevel> ParseLogLevel(std::string_view name) {
  if (name == "debug") return LogLevel::kDebug;
  if (name == "info") return LogLevel::kInfo;
  if (name == "warn") return LogLevel::kWarn;
  if (name == "error") return LogLevel::kError;
  return std::nullopt;
}

void SetLogLevel(LogLevel level) { threshold.store(level, std::memory_order_relaxed); }

bool ShouldLog(std::string_view level) {
  std::optional<LogLevel> parsed = ParseLogLevel(level);
  return !parsed || *parsed >= threshold.load(std::memory_order_relaxed);
}

}  // namespace portrait
