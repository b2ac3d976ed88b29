#pragma once
// The process-wide threshold for the JSON log lines on stderr: lines below it are not written.
// Levels, lowest first: debug, info, warn, error. The default is info.
#include <optional>
#include <string_view>

namespace portrait {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

// "debug", "info", "warn" or "error"; nothing for anything else.
std::optional<LogLevel> ParseLogLevel(std::string_view name);

void SetLogLevel(LogLevel threshold);

// Whether a line of this level ("info", "warn", ...) is to be written. Unknown names are.
bool ShouldLog(std::string_view level);

}  // namespace portrait
