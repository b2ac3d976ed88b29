#include "oauth/authorization_header.h"

#include <string>

namespace portrait::oauth {
namespace {

constexpr std::string_view kScheme = "OAuth";
constexpr std::string_view kRealm = "realm";

bool IsWhitespace(char c) { return c == ' ' || c == '\t'; }

bool IsTokenChar(char c) {  // RFC 7230 tchar
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool StartsWithScheme(std::string_view text) {
  if (text.size() < kScheme.size()) return false;
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (LowerAscii(text[i]) != LowerAscii(kScheme[i])) return false;
  }
  return text.size() == kScheme.size() || IsWhitespace(text[kScheme.size()]);
}

// A cursor over the header; every step consumes at least one byte or fails, so parsing is linear.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool AtEnd() const { return position_ >= text_.size(); }
  char Peek() const { return text_[position_]; }
  void Advance() { ++position_; }
  void SkipWhitespace() {
    while (!AtEnd() && IsWhitespace(Peek())) Advance();
  }
  bool Consume(char c) {
    if (AtEnd() || Peek() != c) return false;
    Advance();
    return true;
  }
  std::string_view TakeWhile(bool (*accept)(char)) {
    size_t start = position_;
    while (!AtEnd() && accept(Peek())) Advance();
    return text_.substr(start, position_ - start);
  }

 private:
  std::string_view text_;
  size_t position_ = 0;
};

bool IsUnquotedValueChar(char c) { return c != ',' && c != '"' && c != '\\' && !IsWhitespace(c); }

// Reads a quoted-string after its opening quote; false when it never closes.
bool ReadQuotedValue(Cursor& cursor, std::string& value) {
  while (!cursor.AtEnd()) {
    char c = cursor.Peek();
    cursor.Advance();
    if (c == '"') return true;
    if (c == '\\') {
      if (cursor.AtEnd()) return false;
      c = cursor.Peek();
      cursor.Advance();
    }
    value.push_back(c);
  }
  return false;
}

bool Contains(const Params& params, std::string_view name) {
  return FindParam(params, name).has_value();
}

}  // namespace

Result<Params, AuthorizationHeaderError> ParseAuthorizationHeader(std::string_view header) {
  constexpr auto kMalformed = AuthorizationHeaderError::kMalformed;
  while (!header.empty() && IsWhitespace(header.front())) header.remove_prefix(1);
  if (!StartsWithScheme(header)) return Failure{AuthorizationHeaderError::kNotOAuth};
  if (header.size() > kMaxAuthorizationHeaderBytes) return Failure{kMalformed};

  Cursor cursor(header.substr(kScheme.size()));
  Params params;
  bool seen_realm = false;
  while (true) {
    cursor.SkipWhitespace();
    if (cursor.AtEnd()) break;
    if (cursor.Consume(',')) continue;  // empty list element

    std::string_view raw_name = cursor.TakeWhile(IsTokenChar);
    if (raw_name.empty()) return Failure{kMalformed};
    cursor.SkipWhitespace();
    if (!cursor.Consume('=')) return Failure{kMalformed};
    cursor.SkipWhitespace();

    std::string raw_value;
    if (cursor.Consume('"')) {
      if (!ReadQuotedValue(cursor, raw_value)) return Failure{kMalformed};
    } else {
      raw_value = cursor.TakeWhile(IsUnquotedValueChar);
    }
    cursor.SkipWhitespace();
    if (!cursor.AtEnd() && !cursor.Consume(',')) return Failure{kMalformed};

    std::string name = PercentDecode(raw_name, /*plus_as_space=*/false);
    if (name == kRealm) {
      if (seen_realm) return Failure{kMalformed};
      seen_realm = true;
      continue;
    }
    if (Contains(params, name) || params.size() == kMaxAuthorizationParams) {
      return Failure{kMalformed};
    }
    params.emplace_back(std::move(name), PercentDecode(raw_value, /*plus_as_space=*/false));
  }
  return params;
}

}  // namespace portrait::oauth
