#include "blob/blob_store.h"

namespace portrait::blob {
namespace {

// Long enough for any key Portrait makes, short enough to stay far below PATH_MAX under a root.
constexpr size_t kMaxKeyLength = 512;

bool IsKeyCharacter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

bool IsValidSegment(std::string_view segment) {
  if (segment.empty() || segment == "." || segment == "..") return false;
  for (char c : segment) {
    if (!IsKeyCharacter(c)) return false;
  }
  return true;
}

}  // namespace

bool IsValidKey(std::string_view key) {
  if (key.empty() || key.size() > kMaxKeyLength) return false;
  while (true) {
    size_t slash = key.find('/');
    if (!IsValidSegment(key.substr(0, slash))) return false;
    if (slash == std::string_view::npos) return true;
    key.remove_prefix(slash + 1);
  }
}

}  // namespace portrait::blob
