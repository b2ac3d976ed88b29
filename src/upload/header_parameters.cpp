#include "upload/header_parameters.h"

namespace portrait::upload {
namespace {

bool IsSeparator(char c) { return c == ';' || c == ','; }
bool IsBlank(char c) { return c == ' ' || c == '\t'; }

char ToLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsBlank(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && IsBlank(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

std::string Lowered(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = ToLower(c);
  }
  return out;
}

// Reads a quoted-string starting after its opening quote; advances position past the closing
// quote (or to the end when there is none).
std::string ReadQuoted(std::string_view text, size_t& position) {
  std::string value;
  while (position < text.size()) {
    char c = text[position++];
    if (c == '"') {
      return value;
    }
    if (c == '\\' && position < text.size()) {
      c = text[position++];
    }
    value.push_back(c);
  }
  return value;
}

// Reads up to the next separator outside quotes, dropping anything after a closing quote
// (`name="a"junk` is "a").
std::string ReadValue(std::string_view text, size_t& position) {
  while (position < text.size() && IsBlank(text[position])) {
    ++position;
  }
  std::string value;
  if (position < text.size() && text[position] == '"') {
    ++position;
    value = ReadQuoted(text, position);
  } else {
    size_t start = position;
    while (position < text.size() && !IsSeparator(text[position])) {
      ++position;
    }
    value = std::string(Trim(text.substr(start, position - start)));
  }
  while (position < text.size() && !IsSeparator(text[position])) {
    ++position;
  }
  return value;
}

}  // namespace

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    if (ToLower(a[i]) != ToLower(b[i])) {
      return false;
    }
  }
  return true;
}

HeaderValue ParseHeaderValue(std::string_view text) {
  HeaderValue result;
  size_t position = 0;
  while (position < text.size() && !IsSeparator(text[position])) {
    ++position;
  }
  result.token = Lowered(Trim(text.substr(0, position)));

  while (position < text.size()) {
    while (position < text.size() && (IsSeparator(text[position]) || IsBlank(text[position]))) {
      ++position;
    }
    size_t name_start = position;
    while (position < text.size() && text[position] != '=' && !IsSeparator(text[position])) {
      ++position;
    }
    std::string name = Lowered(Trim(text.substr(name_start, position - name_start)));
    std::string value;
    if (position < text.size() && text[position] == '=') {
      ++position;
      value = ReadValue(text, position);
    }
    if (!name.empty()) {
      result.parameters.emplace_back(std::move(name), std::move(value));
    }
  }
  return result;
}

}  // namespace portrait::upload
