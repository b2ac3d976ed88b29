#pragma once
// Test-only helpers: a MultipartHandler that records what it is told, and a driver that feeds a
// body in chunks of a chosen size.
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "upload/multipart_parser.h"

namespace portrait::upload::test_support {

struct RecordedPart {
  PartHeaders headers;
  std::string data;
  bool ended = false;
};

class RecordingHandler final : public MultipartHandler {
 public:
  void OnPartBegin(const PartHeaders& headers) override {
    parts.push_back(RecordedPart{headers, "", false});
  }
  void OnPartData(std::string_view bytes) override {
    if (bytes.empty()) {
      empty_data_calls++;
    }
    parts.back().data.append(bytes);
  }
  void OnPartEnd() override { parts.back().ended = true; }

  std::vector<RecordedPart> parts;
  size_t empty_data_calls = 0;
};

struct ParseOutcome {
  bool ok = false;
  std::optional<MultipartError> error;
  std::vector<RecordedPart> parts;
};

// chunk_bytes 0 feeds the whole body at once.
inline ParseOutcome ParseInChunks(std::string_view boundary, std::string_view body,
                                  size_t chunk_bytes = 0, MultipartLimits limits = {}) {
  RecordingHandler handler;
  MultipartParser parser(boundary, handler, limits);
  if (chunk_bytes == 0) {
    chunk_bytes = std::max<size_t>(body.size(), 1);
  }
  bool fed = true;
  for (size_t offset = 0; offset < body.size(); offset += chunk_bytes) {
    fed = parser.Feed(body.substr(offset, chunk_bytes)) && fed;
  }
  bool finished = parser.Finish();
  return ParseOutcome{fed && finished, parser.error(), std::move(handler.parts)};
}

// A body of the given parts (name, content), each with a plain Content-Disposition header.
inline std::string FormBody(std::string_view boundary,
                            const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string body;
  for (const auto& [name, content] : fields) {
    body.append("--").append(boundary).append("\r\n");
    body.append("Content-Disposition: form-data; name=\"").append(name).append("\"\r\n\r\n");
    body.append(content).append("\r\n");
  }
  body.append("--").append(boundary).append("--\r\n");
  return body;
}

}  // namespace portrait::upload::test_support
