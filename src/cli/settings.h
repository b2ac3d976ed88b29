#pragma once
// Where `serve` takes its settings from, lowest precedence first: built-in defaults, a config
// file (--config FILE), PORTRAIT_* environment variables, command-line flags. A setting comes
// whole from the highest source that has it (a repeated flag such as --listen is not merged
// across sources).
//
// Config file: one "name = value" per line, names as the flags without "--", '#' starts a
// comment line, a name may repeat for repeatable flags. Unknown names are refused with the file
// and line. Environment: PORTRAIT_ plus the flag name upper-cased with '-' as '_'
// (PORTRAIT_DATA_DIR); a comma separates values of a repeatable flag. Unknown PORTRAIT_
// variables are ignored (tools use the prefix too).
#include <map>
#include <set>
#include <string>
#include <vector>

namespace portrait::cli {

struct Setting {
  std::vector<std::string> values;
  std::string source;  // "flag", "environment", "file:PATH"
};

// Merges the sources into flag arguments ("--name=value", ...) for Flags, and reports where
// each setting came from. known: the command's flags; switches: its value-less flags.
// Throws UsageError for an unreadable file or an unknown name in it.
std::vector<std::string> MergeSettings(const std::vector<std::string>& args,
                                       const std::set<std::string>& known,
                                       const std::set<std::string>& switches, char** environment,
                                       std::map<std::string, Setting>* effective = nullptr);

// Whether a setting's value must not be printed (secrets, credentials, keys).
bool IsSecretSetting(const std::string& name);

}  // namespace portrait::cli
