#include "cli/flags.h"

#include <charconv>

namespace portrait::cli {

Flags::Flags(const std::vector<std::string>& args, const std::set<std::string>& known,
             const std::set<std::string>& switches)
    : known_(known) {
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (arg.substr(0, 2) != "--") throw UsageError("unexpected argument: " + std::string(arg));
    arg.remove_prefix(2);
    std::string name(arg.substr(0, arg.find('=')));
    if (!known.count(name) && !switches.count(name)) {
      throw UsageError("unknown flag: --" + name);
    }
    if (arg.find('=') != std::string_view::npos) {
      values_.emplace(name, std::string(arg.substr(arg.find('=') + 1)));
    } else if (switches.count(name)) {
      values_.emplace(name, "true");
    } else if (i + 1 < args.size()) {
      values_.emplace(name, args[++i]);
    } else {
      throw UsageError("--" + name + " needs a value");
    }
  }
}

std::optional<std::string> Flags::get(std::string_view name) const {
  auto it = values_.find(std::string(name));
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Flags::require(std::string_view name) const {
  auto value = get(name);
  if (!value) throw UsageError("--" + std::string(name) + " is required");
  return *value;
}

std::vector<std::string> Flags::all(std::string_view name) const {
  std::vector<std::string> out;
  auto [begin, end] = values_.equal_range(std::string(name));
  for (auto it = begin; it != end; ++it) out.push_back(it->second);
  return out;
}

void Flags::note_default(std::string_view name, std::string value) const {
  defaults_[std::string(name)] = std::move(value);
}

std::string Flags::text(std::string_view name, std::string_view fallback) const {
  auto value = get(name);
  if (!value) note_default(name, std::string(fallback));
  return value.value_or(std::string(fallback));
}

int64_t Flags::integer(std::string_view name, int64_t fallback) const {
  auto value = get(name);
  if (!value) {
    note_default(name, std::to_string(fallback));
    return fallback;
  }
  int64_t number = 0;
  auto [end, error] = std::from_chars(value->data(), value->data() + value->size(), number);
  if (error != std::errc() || end != value->data() + value->size()) {
    throw UsageError("--" + std::string(name) + " needs an integer, got: " + *value);
  }
  return number;
}

bool Flags::on_off(std::string_view name, bool fallback) const {
  auto value = get(name);
  if (!value) {
    note_default(name, fallback ? "on" : "off");
    return fallback;
  }
  if (*value == "on" || *value == "true") return true;
  if (*value == "off" || *value == "false") return false;
  throw UsageError("--" + std::string(name) + " takes on or off, got: " + *value);
}

}  // namespace portrait::cli
