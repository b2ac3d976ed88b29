#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli/command.h"
#include "cli/settings.h"

namespace portrait::cli {
namespace {

constexpr int kUsageExit = 2;

std::vector<Command> AllCommands() {
  std::vector<Command> all;
  for (auto group : {ServeCommands(), AdminCommands(), UploadCommands(), BackupCommands()}) {
    for (auto& command : group) all.push_back(std::move(command));
  }
  return all;
}

std::string Joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) out += (out.empty() ? "" : " ") + word;
  return out;
}

void PrintOverview(const std::vector<Command>& commands, std::FILE* out) {
  std::fprintf(out, "Portrait: Twitter's v1.1 update_profile_image API server.\n\nCommands:\n");
  for (const auto& command : commands) {
    std::fprintf(out, "  portrait %-22s %s\n", Joined(command.words).c_str(),
                 command.summary.c_str());
  }
  std::fprintf(out, "\nRun 'portrait COMMAND --help' for a command's flags.\n");
}

}  // namespace

DataDir OpenDataDir(const std::string& path) {
  std::filesystem::create_directories(path);
  DataDir dir;
  dir.store = store::OpenSqliteStore({.path = path + "/portrait.db"});
  dir.blobs = blob::OpenFileBlobStore(path + "/blobs");
  return dir;
}

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::vector<Command> commands = AllCommands();
  if (args.empty() || args[0] == "--help" || args[0] == "help") {
    PrintOverview(commands, args.empty() ? stderr : stdout);
    return args.empty() ? kUsageExit : 0;
  }
  const Command* match = nullptr;
  for (const auto& command : commands) {
    if (args.size() >= command.words.size() &&
        std::equal(command.words.begin(), command.words.end(), args.begin()) &&
        (!match || command.words.size() > match->words.size())) {
      match = &command;
    }
  }
  if (!match) {
    std::fprintf(stderr, "portrait: unknown command '%s'\n\n", Joined(args).c_str());
    PrintOverview(commands, stderr);
    return kUsageExit;
  }
  std::vector<std::string> rest(args.begin() + match->words.size(), args.end());
  if (std::find(rest.begin(), rest.end(), "--help") != rest.end()) {
    std::printf("usage: portrait %s [flags]\n\n%s\n\nFlags:\n%s", Joined(match->words).c_str(),
                match->summary.c_str(), match->usage.c_str());
    return 0;
  }
  try {
    std::map<std::string, Setting> effective;
    if (match->layered_settings) {
      rest = MergeSettings(rest, match->flags, match->switches, environ, &effective);
    }
    Flags flags(rest, match->flags, match->switches);
    for (const auto& [name, setting] : effective) flags.sources[name] = setting.source;
    return match->run(flags);
  } catch (const UsageError& error) {
    std::fprintf(stderr, "portrait %s: %s (see --help)\n", Joined(match->words).c_str(),
                 error.what());
    return kUsageExit;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "portrait %s: %s\n", Joined(match->words).c_str(), error.what());
    return 1;
  }
}

}  // namespace portrait::cli
