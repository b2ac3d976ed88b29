#pragma once
// URL entities of a user's url and description (SPEC §3): indices count Unicode code points.
#include <string>
#include <string_view>
#include <vector>

namespace portrait::api {

struct UrlEntity {
  std::string url;
  std::string expanded_url;
  std::string display_url;  // without the scheme, long ones shortened with an ellipsis
  int start = 0;            // code point offsets into the text, end exclusive
  int end = 0;
};

// Every http:// or https:// URL in text, up to the next whitespace; trailing punctuation that
// usually ends a sentence (.,;:!?) and closing brackets not opened inside the URL are left out.
std::vector<UrlEntity> FindUrlEntities(std::string_view text);

}  // namespace portrait::api
