#pragma once
// A streaming multipart/form-data parser (RFC 7578 over RFC 2046 §5.1.1).
//
// The body arrives in chunks of any size; chunk edges may fall anywhere, including inside a
// delimiter or a CRLF. Part contents are handed to a MultipartHandler as they are found, so
// the parser itself holds at most one partial header line or a delimiter's worth of bytes
// (plus the chunk being fed): memory and time are linear in the bytes fed, whatever the
// chunking, part count or content.
//
// Built to be driven by a fuzzer: deterministic, no global state, never throws on any input
// (only std::bad_alloc can escape), errors are values.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace portrait::upload {

struct MultipartLimits {
  size_t max_parts = 64;                // a part beyond this is kTooManyParts
  size_t max_part_header_bytes = 8192;  // all header lines of one part, CRLFs included
};

struct PartHeaders {
  std::string name;                     // Content-Disposition `name`, "" when absent
  std::optional<std::string> filename;  // set when the part is a file (even `filename=""`)
  std::string content_type;             // as sent, "" when absent
  bool base64_encoded = false;          // `Content-Transfer-Encoding: base64`; not decoded here
};

// Receives the parts in order: OnPartBegin, OnPartData zero or more times (pieces of any size,
// never empty), OnPartEnd. After an error no further calls are made, so a part may be left
// without OnPartEnd.
class MultipartHandler {
 public:
  virtual ~MultipartHandler() = default;
  virtual void OnPartBegin(const PartHeaders& headers) = 0;
  virtual void OnPartData(std::string_view bytes) = 0;
  virtual void OnPartEnd() = 0;
};

enum class MultipartError {
  kInvalidBoundary,         // the constructor's boundary breaks BoundaryFromContentType's rules
  kMalformedDelimiterLine,  // "--boundary" followed by other than "--", blanks then CRLF
  kMalformedPartHeader,     // a header line without a colon or name, or folded with no field
  kPartHeaderTooLarge,      // over MultipartLimits::max_part_header_bytes
  kTooManyParts,            // over MultipartLimits::max_parts
  kMissingCloseDelimiter,   // the body ended before "--boundary--" (or had no boundary at all)
};

// Accepts what real clients send: a boundary at the very start of the body or after a
// preamble (ignored), parts with or without headers, header names in any case, obsolete
// folded header lines, bare-LF header lines, blanks after a delimiter, any epilogue (ignored).
// Delimiters must be CRLF-framed, as RFC 2046 requires and every client does.
class MultipartParser {
 public:
  // boundary: as returned by BoundaryFromContentType (any other value makes every call fail
  // with kInvalidBoundary). handler must outlive the parser.
  MultipartParser(std::string_view boundary, MultipartHandler& handler,
                  MultipartLimits limits = {});

  // Parses the next piece of the body. Returns false once the body is known to be malformed
  // (see error()); later calls then do nothing.
  bool Feed(std::string_view chunk);

  // Declares the end of the body. Returns true only if the close delimiter was seen and no
  // error occurred. Feeding after Finish is ignored.
  bool Finish();

  std::optional<MultipartError> error() const { return error_; }

 private:
  enum class State { kPreamble, kDelimiterSuffix, kTransportPadding, kHeaders, kBody, kEpilogue };

  // Each consumes from buffer_ at position_ and returns false when it needs more input or
  // has failed.
  bool Step();
  bool FindDelimiter(bool deliver_data);
  bool ReadDelimiterSuffix();
  bool ReadTransportPadding();
  bool ReadHeaderLine();

  // The length of text's prefix that cannot be part of a delimiter continued by later input.
  size_t BytesBeforePossibleDelimiter(std::string_view text) const;
  bool AddHeaderLine(std::string_view line);
  void BeginPart();
  bool Fail(MultipartError error);

  const std::string delimiter_;  // CRLF "--" boundary
  MultipartHandler& handler_;
  const MultipartLimits limits_;

  State state_ = State::kPreamble;
  std::optional<MultipartError> error_;
  bool finished_ = false;
  std::string buffer_;  // unconsumed input; consumed bytes are dropped after each Feed
  size_t position_ = 0;
  size_t part_count_ = 0;
  size_t header_bytes_ = 0;
  std::string header_line_;  // a header line split across chunks
  std::vector<std::pair<std::string, std::string>> header_fields_;
};

// The boundary of a multipart Content-Type: `multipart/form-data; boundary=abc`, quoted
// (`boundary="a b:c"`), twurl's `multipart/form-data, boundary="..."`, any case, among other
// parameters. Returns nullopt when the type is not multipart/*, there is no boundary, or it is
// empty, longer than 70 bytes (RFC 2046) or holds control characters.
std::optional<std::string> BoundaryFromContentType(std::string_view content_type);

}  // namespace portrait::upload
