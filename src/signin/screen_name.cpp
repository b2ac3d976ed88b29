#include "signin/screen_name.h"

#include "store/profile_rules.h"

namespace portrait::signin {

bool IsValidScreenName(std::string_view screen_name) {
  return !store::CheckScreenName(screen_name).has_value();
}

std::string FoldScreenName(std::string_view screen_name) {
  std::string folded(screen_name);
  for (char& c : folded) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return folded;
}

}  // namespace portrait::signin
