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
  std::string text(std::string_view name, std::string_view fallback) const;

  // The typed getters and text() remember each fallback they returned, so the defaults in
  // effect can be printed (`portrait config show`); note_default records one found otherwise.
  void note_default(std::string_view name, std::string value) const;
  const std::map<std::string, std::string>& defaults() const { return defaults_; }
  // The flags that take a value, as given to the constructor.
  const std::set<std::string>& known() const { return known_; }

  // For commands with layered settings (see settings.h): where each given setting came from.
  std::map<std::string, std::string> sources;

 private:
  std::set<std::string> known_;
  std::multimap<std::string, std::string> values_;
  mutable std::map<std::string, std::string> defaults_;
};

}  // namespace portrait::cli
