#pragma once
// Screen names as signing in reads them: the store's rule (store::CheckScreenName, Twitter's
// 1 to 15 of [A-Za-z0-9_]) and the case folding they compare under.
#include <string>
#include <string_view>

namespace portrait::signin {

bool IsValidScreenName(std::string_view screen_name);

// The name with ASCII letters lower-cased: how screen names compare (they are unique ignoring
// case).
std::string FoldScreenName(std::string_view screen_name);

}  // namespace portrait::signin
