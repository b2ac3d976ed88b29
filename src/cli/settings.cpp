#include "cli/settings.h"

#include <cstring>
#include <fstream>

#include "cli/flags.h"

namespace portrait::cli {
namespace {

constexpr std::string_view kEnvironmentPrefix = "PORTRAIT_";

std::string Trim(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return "";
  size_t end = text.find_last_not_of(" \t\r");
  return std::string(text.substr(begin, end - begin + 1));
}

// The command line as name -> values, keeping only what the caller wrote.
std::map<std::string, std::vector<std::string>> FromArgs(const std::vector<std::string>& args,
                                                         const std::set<std::string>& switches) {
  std::map<std::string, std::vector<std::string>> out;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (arg.substr(0, 2) != "--") throw UsageError("unexpected argument: " + std::string(arg));
    arg.remove_prefix(2);
    size_t eq = arg.find('=');
    std::string name(arg.substr(0, eq));
    if (eq != std::string_view::npos) {
      out[name].emplace_back(arg.substr(eq + 1));
    } else if (switches.count(name) || i + 1 >= args.size()) {
      out[name].emplace_back(switches.count(name) ? "true" : "");
      if (!switches.count(name)) throw UsageError("--" + name + " needs a value");
    } else {
      out[name].push_back(args[++i]);
    }
  }
  return out;
}

std::map<std::string, std::vector<std::string>> FromFile(const std::string& path,
                                                         const std::set<std::string>& known) {
  std::ifstream in(path);
  if (!in) throw UsageError("cannot read config file " + path);
  std::map<std::string, std::vector<std::string>> out;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    std::string text = Trim(line);
    if (text.empty() || text[0] == '#') continue;
    size_t eq = text.find('=');
    std::string where = path + ":" + std::to_string(number);
    if (eq == std::string::npos) throw UsageError(where + ": expected name = value");
    std::string name = Trim(text.substr(0, eq));
    if (!known.count(name) || name == "config") {
      throw UsageError(where + ": unknown setting '" + name + "'");
    }
    out[name].push_back(Trim(text.substr(eq + 1)));
  }
  return out;
}

std::map<std::string, std::vector<std::string>> FromEnvironment(
    char** environment, const std::set<std::string>& known) {
  std::map<std::string, std::vector<std::string>> out;
  for (char** entry = environment; entry && *entry; ++entry) {
    std::string_view text = *entry;
    if (text.substr(0, kEnvironmentPrefix.size()) != kEnvironmentPrefix) continue;
    size_t eq = text.find('=');
    if (eq == std::string_view::npos) continue;
    std::string name(text.substr(kEnvironmentPrefix.size(), eq - kEnvironmentPrefix.size()));
    for (char& c : name) c = c == '_' ? '-' : static_cast<char>(std::tolower(c));
    if (!known.count(name) || name == "config") continue;
    std::string_view value = text.substr(eq + 1);
    while (true) {
      size_t comma = value.find(',');
      out[name].emplace_back(value.substr(0, comma));
      if (comma == std::string_view::npos) break;
      value.remove_prefix(comma + 1);
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> MergeSettings(const std::vector<std::string>& args,
                                       const std::set<std::string>& known,
                                       const std::set<std::string>& switches, char** environment,
                                       std::map<std::string, Setting>* effective) {
  auto flags = FromArgs(args, switches);
  std::map<std::string, Setting> merged;
  if (auto config = flags.find("config"); config != flags.end()) {
    const std::string path = config->second.back();
    for (auto& [name, values] : FromFile(path, known)) merged[name] = {values, "file:" + path};
  }
  for (auto& [name, values] : FromEnvironment(environment, known)) {
    merged[name] = {values, "environment"};
  }
  for (auto& [name, values] : flags) {
    if (name != "config") merged[name] = {values, "flag"};
  }
  std::vector<std::string> out;
  for (const auto& [name, setting] : merged) {
    for (const auto& value : setting.values) out.push_back("--" + name + "=" + value);
  }
  if (effective) *effective = std::move(merged);
  return out;
}

bool IsSecretSetting(const std::string& name) {
  for (const char* marker : {"secret", "password", "token", "key"}) {
    if (name.find(marker) != std::string::npos) return true;
  }
  return name == "database";  // a URL that may carry a password
}

}  // namespace portrait::cli
