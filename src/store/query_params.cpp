#include "store/query_params.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

namespace portrait::store {

std::string JsonArray(std::span<const int64_t> values) {
  return boost::json::serialize(boost::json::array(values.begin(), values.end()));
}

std::string JsonArray(std::span<const std::string> values) {
  boost::json::array array;
  array.reserve(values.size());
  for (const std::string& value : values) array.emplace_back(value);
  return boost::json::serialize(array);
}

std::string KeyPrefixEnd(std::string_view prefix) {
  std::string end(prefix);
  end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
  return end;
}

}  // namespace portrait::store
