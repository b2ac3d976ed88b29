#include "upload/multipart_parser.h"

#include "upload/header_parameters.h"

namespace portrait::upload {
namespace {

constexpr size_t kMaxBoundaryBytes = 70;  // RFC 2046 §5.1.1
constexpr std::string_view kCrlf = "\r\n";
constexpr std::string_view kCloseSuffix = "--";

// Control characters would break delimiter matching (BytesBeforePossibleDelimiter relies on
// the boundary holding no CR) and no client sends them.
bool IsValidBoundary(std::string_view boundary) {
  if (boundary.empty() || boundary.size() > kMaxBoundaryBytes) {
    return false;
  }
  for (unsigned char c : boundary) {
    if (c < 0x20 || c == 0x7F) {
      return false;
    }
  }
  return true;
}

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsBlank(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && IsBlank(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

MultipartParser::MultipartParser(std::string_view boundary, MultipartHandler& handler,
                                 MultipartLimits limits)
    : delimiter_(std::string(kCrlf) + "--" + std::string(boundary)),
      handler_(handler),
      limits_(limits),
      // A delimiter is CRLF "--" boundary, but the first one may open the body: a virtual CRLF
      // in front lets one search find both.
      buffer_(kCrlf) {
  if (!IsValidBoundary(boundary)) {
    Fail(MultipartError::kInvalidBoundary);
  }
}

bool MultipartParser::Feed(std::string_view chunk) {
  if (finished_ || error_) {
    return !error_;
  }
  if (state_ == State::kEpilogue) {
    return true;
  }
  buffer_.append(chunk);
  while (Step()) {
  }
  if (state_ == State::kEpilogue || error_) {
    buffer_.clear();
  } else {
    buffer_.erase(0, position_);
  }
  position_ = 0;
  return !error_;
}

bool MultipartParser::Finish() {
  if (finished_) {
    return !error_;
  }
  finished_ = true;
  buffer_.clear();
  position_ = 0;
  if (error_) {
    return false;
  }
  if (state_ != State::kEpilogue) {
    return Fail(MultipartError::kMissingCloseDelimiter);
  }
  return true;
}

bool MultipartParser::Step() {
  if (error_) {
    return false;
  }
  switch (state_) {
    case State::kPreamble:
      return FindDelimiter(/*deliver_data=*/false);
    case State::kDelimiterSuffix:
      return ReadDelimiterSuffix();
    case State::kTransportPadding:
      return ReadTransportPadding();
    case State::kHeaders:
      return ReadHeaderLine();
    case State::kBody:
      return FindDelimiter(/*deliver_data=*/true);
    case State::kEpilogue:
      return false;
  }
  return false;
}

bool MultipartParser::FindDelimiter(bool deliver_data) {
  std::string_view pending = std::string_view(buffer_).substr(position_);
  size_t match = pending.find(delimiter_);
  size_t data_bytes =
      match == std::string_view::npos ? BytesBeforePossibleDelimiter(pending) : match;
  if (deliver_data && data_bytes > 0) {
    handler_.OnPartData(pending.substr(0, data_bytes));
  }
  position_ += data_bytes;
  if (match == std::string_view::npos) {
    return false;
  }
  if (deliver_data) {
    handler_.OnPartEnd();
  }
  position_ += delimiter_.size();
  state_ = State::kDelimiterSuffix;
  return true;
}

size_t MultipartParser::BytesBeforePossibleDelimiter(std::string_view text) const {
  // The delimiter holds a CR only at its start (the boundary has none), so only the last CR
  // within a delimiter's length of the end can begin one.
  size_t window = delimiter_.size() - 1;
  size_t window_start = text.size() > window ? text.size() - window : 0;
  size_t last_cr = text.rfind('\r');
  if (last_cr == std::string_view::npos || last_cr < window_start) {
    return text.size();
  }
  std::string_view tail = text.substr(last_cr);
  return std::string_view(delimiter_).starts_with(tail) ? last_cr : text.size();
}

bool MultipartParser::ReadDelimiterSuffix() {
  std::string_view pending = std::string_view(buffer_).substr(position_);
  if (pending.empty()) {
    return false;
  }
  if (pending.front() != '-') {
    state_ = State::kTransportPadding;
    return true;
  }
  if (pending.size() < kCloseSuffix.size()) {
    return false;
  }
  if (!pending.starts_with(kCloseSuffix)) {
    return Fail(MultipartError::kMalformedDelimiterLine);
  }
  state_ = State::kEpilogue;
  return false;
}

bool MultipartParser::ReadTransportPadding() {
  std::string_view pending = std::string_view(buffer_).substr(position_);
  size_t blanks = 0;
  while (blanks < pending.size() && IsBlank(pending[blanks])) {
    ++blanks;
  }
  position_ += blanks;
  pending.remove_prefix(blanks);
  if (pending.empty() || pending == "\r") {
    return false;
  }
  if (!pending.starts_with(kCrlf)) {
    return Fail(MultipartError::kMalformedDelimiterLine);
  }
  position_ += kCrlf.size();
  if (++part_count_ > limits_.max_parts) {
    return Fail(MultipartError::kTooManyParts);
  }
  state_ = State::kHeaders;
  header_bytes_ = 0;
  header_line_.clear();
  header_fields_.clear();
  return true;
}

bool MultipartParser::ReadHeaderLine() {
  std::string_view pending = std::string_view(buffer_).substr(position_);
  size_t newline = pending.find('\n');
  size_t taken = newline == std::string_view::npos ? pending.size() : newline + 1;
  header_bytes_ += taken;
  if (header_bytes_ > limits_.max_part_header_bytes) {
    return Fail(MultipartError::kPartHeaderTooLarge);
  }
  position_ += taken;
  if (newline == std::string_view::npos) {
    header_line_.append(pending);
    return false;
  }
  header_line_.append(pending.substr(0, newline));
  std::string_view line = header_line_;
  if (line.ends_with('\r')) {
    line.remove_suffix(1);
  }
  if (line.empty()) {
    BeginPart();
    return true;
  }
  bool added = AddHeaderLine(line);
  header_line_.clear();
  return added;
}

bool MultipartParser::AddHeaderLine(std::string_view line) {
  if (IsBlank(line.front())) {
    // Obsolete line folding (RFC 5322 §2.2.3): the line continues the previous field.
    if (header_fields_.empty()) {
      return Fail(MultipartError::kMalformedPartHeader);
    }
    header_fields_.back().second.append(" ").append(Trim(line));
    return true;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) {
    return Fail(MultipartError::kMalformedPartHeader);
  }
  std::string_view name = Trim(line.substr(0, colon));
  if (name.empty()) {
    return Fail(MultipartError::kMalformedPartHeader);
  }
  header_fields_.emplace_back(std::string(name), std::string(Trim(line.substr(colon + 1))));
  return true;
}

void MultipartParser::BeginPart() {
  // A repeated header is ignored: the first occurrence wins.
  PartHeaders headers;
  bool seen_disposition = false, seen_type = false, seen_encoding = false;
  for (const auto& [name, value] : header_fields_) {
    if (!seen_disposition && EqualsIgnoringCase(name, "Content-Disposition")) {
      seen_disposition = true;
      HeaderValue disposition = ParseHeaderValue(value);
      if (auto field_name = FindParam(disposition.parameters, "name")) {
        headers.name = *field_name;
      }
      if (auto filename = FindParam(disposition.parameters, "filename")) {
        headers.filename = std::string(*filename);
      }
    } else if (!seen_type && EqualsIgnoringCase(name, "Content-Type")) {
      seen_type = true;
      headers.content_type = value;
    } else if (!seen_encoding && EqualsIgnoringCase(name, "Content-Transfer-Encoding")) {
      seen_encoding = true;
      headers.base64_encoded = EqualsIgnoringCase(value, "base64");
    }
  }
  header_fields_.clear();
  header_line_.clear();
  state_ = State::kBody;
  handler_.OnPartBegin(headers);
}

bool MultipartParser::Fail(MultipartError error) {
  if (!error_) {
    error_ = error;
  }
  return false;
}

std::optional<std::string> BoundaryFromContentType(std::string_view content_type) {
  HeaderValue value = ParseHeaderValue(content_type);
  if (!value.token.starts_with("multipart/")) {
    return std::nullopt;
  }
  std::optional<std::string_view> boundary = FindParam(value.parameters, "boundary");
  if (!boundary || !IsValidBoundary(*boundary)) {
    return std::nullopt;
  }
  return std::string(*boundary);
}

}  // namespace portrait::upload
