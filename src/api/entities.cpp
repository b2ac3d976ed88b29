#include "api/entities.h"

#include <algorithm>

namespace portrait::api {
namespace {

constexpr size_t kMaxDisplayChars = 26;

bool IsContinuationByte(unsigned char c) { return (c & 0xC0) == 0x80; }

int CodePointsBefore(std::string_view text, size_t byte_offset) {
  int count = 0;
  for (size_t i = 0; i < byte_offset && i < text.size(); ++i) {
    if (!IsContinuationByte(static_cast<unsigned char>(text[i]))) ++count;
  }
  return count;
}

bool IsSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

size_t TrimTrailing(std::string_view url) {
  size_t end = url.size();
  while (end > 0) {
    char c = url[end - 1];
    if (std::string_view(".,;:!?'\"").find(c) != std::string_view::npos) {
      --end;
    } else if (c == ')' && std::count(url.begin(), url.begin() + end, '(') <
                               std::count(url.begin(), url.begin() + end, ')')) {
      --end;
    } else {
      break;
    }
  }
  return end;
}

std::string DisplayUrl(std::string_view url) {
  std::string_view rest = url.substr(url.find("://") + 3);
  if (rest.size() <= kMaxDisplayChars) return std::string(rest);
  // Cut on a code point boundary.
  size_t cut = kMaxDisplayChars;
  while (cut > 0 && IsContinuationByte(static_cast<unsigned char>(rest[cut]))) --cut;
  return std::string(rest.substr(0, cut)) + "\xE2\x80\xA6";
}

}  // namespace

std::vector<UrlEntity> FindUrlEntities(std::string_view text) {
  std::vector<UrlEntity> entities;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t http = text.find("http://", pos);
    size_t https = text.find("https://", pos);
    size_t start = std::min(http, https);
    if (start == std::string_view::npos) break;
    bool at_word_start = start == 0 || IsSpace(static_cast<unsigned char>(text[start - 1])) ||
                         std::string_view("([{\"'").find(text[start - 1]) != std::string_view::npos;
    size_t end = start;
    while (end < text.size() && !IsSpace(static_cast<unsigned char>(text[end]))) ++end;
    std::string_view candidate = text.substr(start, end - start);
    candidate = candidate.substr(0, TrimTrailing(candidate));
    size_t scheme_end = candidate.find("://") + 3;
    if (at_word_start && candidate.size() > scheme_end) {
      UrlEntity entity;
      entity.url = std::string(candidate);
      entity.expanded_url = entity.url;
      entity.display_url = DisplayUrl(candidate);
      entity.start = CodePointsBefore(text, start);
      entity.end = CodePointsBefore(text, start + candidate.size());
      entities.push_back(std::move(entity));
    }
    pos = std::max(end, start + 1);
  }
  return entities;
}

}  // namespace portrait::api
