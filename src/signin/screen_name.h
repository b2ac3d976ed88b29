#pragma once
// Twitter's screen-name rule: 1 to 15 of [A-Za-z0-9_]. (A store-wide validation of screen names
// and profile fields is being written beside this; this one serves signing in until then.)
#include <string>
#include <string_view>

namespace portrait::signin {

bool IsValidScreenName(std::string_view screen_name);

// The name with ASCII letters lower-cased: how screen names compare (they are unique ignoring
// case).
std::string FoldScreenName(std::string_view screen_name);

}  // namespace portrait::signin
