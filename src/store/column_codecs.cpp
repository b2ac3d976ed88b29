#include "store/column_codecs.h"

#include "common/result.h"

namespace portrait::store {

std::string_view AccessLevelName(AccessLevel level) {
  return level == AccessLevel::kRead ? "read" : "read-write";
}

AccessLevel ParseAccessLevel(std::string_view name) {
  if (name == "read") return AccessLevel::kRead;
  if (name == "read-write") return AccessLevel::kReadWrite;
  throw Fault("unknown access level in database: " + std::string(name));
}

std::string_view RequestTokenStateName(RequestTokenState state) {
  switch (state) {
    case RequestTokenState::kPending:
      return "pending";
    case RequestTokenState::kAuthorized:
      return "authorized";
    case RequestTokenState::kDenied:
      return "denied";
    case RequestTokenState::kUsed:
      return "used";
  }
  throw Fault("unknown request token state");
}

RequestTokenState ParseRequestTokenState(std::string_view name) {
  for (RequestTokenState state : {RequestTokenState::kPending, RequestTokenState::kAuthorized,
                                  RequestTokenState::kDenied, RequestTokenState::kUsed}) {
    if (RequestTokenStateName(state) == name) return state;
  }
  throw Fault("unknown request token state in database: " + std::string(name));
}

std::string JoinCallbackUrls(const std::vector<std::string>& urls) {
  std::string column;
  for (const std::string& url : urls) {
    if (url.empty() || url.find_first_of("\r\n") != std::string::npos) {
      throw Fault("a callback URL is empty or holds a line break");
    }
    if (!column.empty()) column += '\n';
    column += url;
  }
  return column;
}

std::vector<std::string> SplitCallbackUrls(std::string_view column) {
  std::vector<std::string> urls;
  while (!column.empty()) {
    const size_t end = column.find('\n');
    urls.emplace_back(column.substr(0, end));
    if (end == std::string_view::npos) break;
    column.remove_prefix(end + 1);
  }
  return urls;
}

}  // namespace portrait::store
