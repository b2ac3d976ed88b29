#pragma once
// Wall-clock helpers. All times in Portrait are Unix epoch seconds (UTC) in int64_t.
#include <cstdint>
#include <string>

namespace portrait {

int64_t NowSeconds();
int64_t NowMilliseconds();

// Twitter's created_at form: "Thu Aug 23 19:45:07 +0000 2012".
std::string TwitterTime(int64_t epoch_seconds);

// RFC 9110 IMF-fixdate: "Thu, 23 Aug 2012 19:45:07 GMT".
std::string HttpDate(int64_t epoch_seconds);

}  // namespace portrait
