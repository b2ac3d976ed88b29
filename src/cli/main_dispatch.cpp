#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "blob/s3_blob_store.h"
#include "cli/command.h"
#include "cli/settings.h"

namespace portrait::cli {
namespace {

constexpr int kUsageExit = 2;

constexpr const char* kSharedStorageUsage =
    "  --database URL        postgresql://... (default: SQLite in the data directory)\n"
    "  --database-pool-size N  PostgreSQL connections this process keeps open (default 8)\n"
    "  --s3-endpoint URL     keep uploads and images in an S3-compatible bucket instead of\n"
    "                        DIR/blobs (with --s3-bucket, --s3-region (us-east-1),\n"
    "                        --s3-path-style on|off (on), --s3-access-key, --s3-secret-key;\n"
    "                        keys default to AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)\n"
    "                        With both --database and --s3-endpoint, --data-dir is optional.\n";

std::vector<Command> AllCommands() {
  std::vector<Command> all;
  for (auto group : {ServeCommands(), AdminCommands(), AppCommands(), PasswordCommands(),
                     UploadCommands(), BackupCommands()}) {
    for (auto& command : group) {
      // Every command that opens a data directory can keep metadata in PostgreSQL and files in
      // S3, set by flags or PORTRAIT_* variables (settings.h).
      if (command.flags.count("data-dir") && command.words[0] != "backup") {
        command.flags.insert({"database", "database-pool-size", "s3-endpoint", "s3-bucket",
                              "s3-region", "s3-path-style", "s3-access-key", "s3-secret-key"});
        command.usage += kSharedStorageUsage;
        command.layered_settings = true;
      }
      all.push_back(std::move(command));
    }
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

DataDir OpenDataDir(const Flags& flags) {
  // A node keeping metadata in PostgreSQL and files in S3 has nothing of its own to keep.
  const bool stateless = flags.has("database") && flags.has("s3-endpoint");
  const std::string path =
      stateless ? flags.get("data-dir").value_or("") : flags.require("data-dir");
  if (!path.empty()) std::filesystem::create_directories(path);
  DataDir dir;
  const int pool_size =
      static_cast<int>(flags.integer("database-pool-size", store::PostgresOptions{}.pool_size));
  if (pool_size < 1) throw UsageError("--database-pool-size must be 1 or more");
  dir.store =
      store::OpenMetadataStore(flags.get("database").value_or(path + "/portrait.db"), pool_size);
  if (auto endpoint = flags.get("s3-endpoint")) {
    blob::S3Options s3;
    s3.endpoint = *endpoint;
    s3.bucket = flags.require("s3-bucket");
    s3.region = flags.get("s3-region").value_or(s3.region);
    s3.path_style = flags.on_off("s3-path-style", s3.path_style);
    s3.access_key = flags.get("s3-access-key").value_or("");
    s3.secret_key = flags.get("s3-secret-key").value_or("");
    dir.blobs = blob::OpenS3BlobStore(blob::S3OptionsFromEnvironment(s3));
  } else {
    dir.blobs = blob::OpenFileBlobStore(path + "/blobs");
  }
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
    // "portrait users --help": the commands of that group.
    std::vector<Command> group;
    for (const auto& command : commands) {
      if (command.words.size() > 1 && command.words[0] == args[0]) group.push_back(command);
    }
    if (!group.empty() && (args.size() == 1 || args[1] == "--help")) {
      PrintOverview(group, args.size() == 1 ? stderr : stdout);
      return args.size() == 1 ? kUsageExit : 0;
    }
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
