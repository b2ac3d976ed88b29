#include "http/access_log.h"

#include <cstdio>
#include <mutex>

#include "common/log_level.h"
#include "common/time_format.h"

namespace portrait::http {
namespace {

std::mutex& LogMutex() {
  static std::mutex mutex;
  return mutex;
}

void WriteLine(std::string line) {
  line.push_back('\n');
  std::lock_guard lock(LogMutex());
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace

std::string JsonQuoted(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        // Control bytes and non-ASCII are escaped byte-wise so a line stays valid JSON even
        // when a client sends invalid UTF-8.
        if (c < 0x20 || c >= 0x7f) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xf]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
  return out;
}

std::string FormatAccessLogLine(const AccessLogEntry& entry, int64_t epoch_seconds) {
  std::string line = "{\"ts\":" + std::to_string(epoch_seconds) +
                     ",\"level\":" + (entry.status >= 500 ? "\"error\"" : "\"info\"") +
                     ",\"event\":\"request\",\"request_id\":" + JsonQuoted(entry.request_id) +
                     ",\"method\":" + JsonQuoted(entry.method) +
                     ",\"path\":" + JsonQuoted(entry.path) +
                     ",\"status\":" + std::to_string(entry.status) +
                     ",\"bytes\":" + std::to_string(entry.bytes_sent) +
                     ",\"duration_ms\":" + std::to_string(entry.duration_ms);
  if (entry.user_id) line += ",\"user_id\":" + std::to_string(*entry.user_id);
  line += "}";
  return line;
}

void WriteAccessLog(const AccessLogEntry& entry) {
  if (!ShouldLog(entry.status >= 500 ? "error" : "info")) return;
  WriteLine(FormatAccessLogLine(entry, NowSeconds()));
}

void WriteServerLog(std::string_view level, std::string_view event, std::string_view detail) {
  if (!ShouldLog(level)) return;
  WriteLine("{\"ts\":" + std::to_string(NowSeconds()) + ",\"level\":" + JsonQuoted(level) +
            ",\"event\":" + JsonQuoted(event) + ",\"detail\":" + JsonQuoted(detail) + "}");
}

void WriteFaultLog(std::string_view request_id, std::string_view message) {
  if (!ShouldLog("error")) return;
  WriteLine("{\"ts\":" + std::to_string(NowSeconds()) +
            ",\"level\":\"error\",\"event\":\"fault\",\"request_id\":" + JsonQuoted(request_id) +
            ",\"message\":" + JsonQuoted(message) + "}");
}

}  // namespace portrait::http
