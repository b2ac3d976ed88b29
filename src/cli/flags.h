#pragma once
// Command-line flags: "--name value", "--name=value" and bare "--switch". Values are strings;
// typed getters report what is wrong in a message fit for the operator.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace portrait::cli {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Flags {
 public:
  // Parses args (after the command words). switches: flags that take no value. Throws
  // UsageError for a flag not in known or a value missing.
  Flags(const std::vector<std::string>& args, const std::set<std::string>& known,
        const std::set<std::string>& switches);

  bool has(std::string_view name) const { return values_.count(std::string(name)) > 0; }
  std::optional<std::string> get(std::string_view name) const;
  std::string require(std::string_view name) const;           // UsageError if absent
  std::vector<std::string> all(std::string_view name) const;  // repeated flags, in order
  int64_t integer(std::string_view name, int64_t fallback) const;
  bool on_off(std::string_view name, bool fallback) const;  // "on"/"off"/"true"/"false"

  // For commands with layered settings (see settings.h): where each given setting came from.
  std::map<std::string, std::string> sources;

 private:
  std::multimap<std::string, std::string> values_;
};

}  // namespace portrait::cli
