// MultipartParser on arbitrary bodies and chunkings. Input: a Content-Type line, then the body.
// The body is parsed once whole and once in chunks whose sizes come from the input; the parser
// promises the same parts and the same verdict whatever the chunking, so any difference aborts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_input.h"
#include "upload/multipart_parser.h"

namespace {

using portrait::upload::MultipartParser;
using portrait::upload::PartHeaders;

struct RecordedPart {
  std::string name;
  std::string filename;
  bool has_filename = false;
  std::string content_type;
  bool base64 = false;
  std::string data;
  bool ended = false;
  bool operator==(const RecordedPart&) const = default;
};

class RecordingHandler final : public portrait::upload::MultipartHandler {
 public:
  void OnPartBegin(const PartHeaders& headers) override {
    parts.push_back(RecordedPart{headers.name, headers.filename.value_or(""),
                                 headers.filename.has_value(), headers.content_type,
                                 headers.base64_encoded, "", false});
  }
  void OnPartData(std::string_view bytes) override {
    if (parts.empty() || bytes.empty() || parts.back().ended) std::abort();
    parts.back().data.append(bytes);
  }
  void OnPartEnd() override {
    if (parts.empty() || parts.back().ended) std::abort();
    parts.back().ended = true;
  }
  std::vector<RecordedPart> parts;
};

struct Outcome {
  std::vector<RecordedPart> parts;
  bool finished = false;
  bool failed = false;
  bool operator==(const Outcome&) const = default;
};

Outcome Parse(const std::string& boundary, std::string_view body, std::string_view chunk_sizes) {
  RecordingHandler handler;
  MultipartParser parser(boundary, handler, {.max_parts = 8, .max_part_header_bytes = 512});
  size_t next_size = 0;
  while (!body.empty()) {
    size_t size = body.size();
    if (!chunk_sizes.empty()) {
      size = 1 + static_cast<unsigned char>(chunk_sizes[next_size++ % chunk_sizes.size()]) % 64;
    }
    size = std::min(size, body.size());
    parser.Feed(body.substr(0, size));
    body.remove_prefix(size);
  }
  bool finished = parser.Finish();
  return Outcome{std::move(handler.parts), finished, parser.error().has_value()};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto fields = portrait::fuzz::SplitFields(data, size, 3);
  std::string boundary =
      portrait::upload::BoundaryFromContentType(fields[0]).value_or("fuzz-boundary");
  Outcome whole = Parse(boundary, fields[1], "");
  Outcome chunked = Parse(boundary, fields[1], fields[2].empty() ? "\x01" : fields[2]);
  if (!(whole == chunked)) std::abort();
  if (whole.finished && whole.failed) std::abort();
  return 0;
}
