#pragma once
// Splitting one fuzzer input into several fields, so one target can drive a call that takes
// several strings (a content type, a body, a query). Fields are separated by "\n\x01\n", a
// sequence no seed needs elsewhere; missing fields are empty.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace portrait::fuzz {

inline constexpr std::string_view kFieldSeparator = "\n\x01\n";

inline std::vector<std::string_view> SplitFields(const uint8_t* data, size_t size, size_t count) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> fields;
  while (fields.size() + 1 < count) {
    size_t at = rest.find(kFieldSeparator);
    if (at == std::string_view::npos) break;
    fields.push_back(rest.substr(0, at));
    rest.remove_prefix(at + kFieldSeparator.size());
  }
  fields.push_back(rest);
  fields.resize(count);
  return fields;
}

}  // namespace portrait::fuzz
