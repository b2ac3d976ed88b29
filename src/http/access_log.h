#pragma once
// Structured log lines on stderr: one JSON object per line, written with a single call under a
// process-wide lock, so lines from concurrent threads never interleave. Safe for concurrent use.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace portrait::http {

struct AccessLogEntry {
  std::string method;
  std::string path;  // without the query string: it may carry credentials
  int status = 0;
  uint64_t bytes_sent = 0;  // status line, headers and body
  int64_t duration_ms = 0;  // from the first byte of the request to the last byte of the response
  std::string request_id;
  std::optional<int64_t> user_id;
};

// {"ts":...,"level":"info","event":"request","request_id":...,"method":...,"path":...,
//  "status":...,"bytes":...,"duration_ms":...,"user_id":...} ("user_id" only when known).
std::string FormatAccessLogLine(const AccessLogEntry& entry, int64_t epoch_seconds);
void WriteAccessLog(const AccessLogEntry& entry);

// {"ts":...,"level":level,"event":event,"detail":detail}
void WriteServerLog(std::string_view level, std::string_view event, std::string_view detail);

// {"ts":...,"level":"error","event":"fault","request_id":...,"message":message}: a request
// answered 500 because of a fault.
void WriteFaultLog(std::string_view request_id, std::string_view message);

// s as a JSON string literal, quotes included.
std::string JsonQuoted(std::string_view s);

}  // namespace portrait::http
