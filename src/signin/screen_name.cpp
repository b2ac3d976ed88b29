#include "signin/screen_name.h"

#include <algorithm>

namespace portrait::signin {
namespace {

constexpr size_t kMaxScreenNameLength = 15;

bool IsScreenNameCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

bool IsValidScreenName(std::string_view screen_name) {
  return !screen_name.empty() && screen_name.size() <= kMaxScreenNameLength &&
         std::all_of(screen_name.begin(), screen_name.end(), IsScreenNameCharacter);
}

std::string FoldScreenName(std::string_view screen_name) {
  std::string folded(screen_name);
  for (char& c : folded) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return folded;
}

}  // namespace portrait::signin
