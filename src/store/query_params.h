#pragma once
// Statement parameters both backends share. Lists are bound as one parameter: a JSON array,
// which SQLite reads with json_each and PostgreSQL with json_array_elements_text (strings are
// escaped by the JSON serializer).
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace portrait::store {

std::string JsonArray(std::span<const int64_t> values);
std::string JsonArray(std::span<const std::string> values);

// The end of the key range that a prefix starts: keys k with prefix <= k < KeyPrefixEnd(prefix),
// compared bytewise, are those starting with prefix. REQUIRES: prefix non-empty and its last byte
// below 0xFF.
std::string KeyPrefixEnd(std::string_view prefix);

}  // namespace portrait::store
