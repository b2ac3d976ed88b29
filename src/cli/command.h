#pragma once
// The operator CLI: a table of commands, each with its flags, help text and action.
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "blob/blob_store.h"
#include "cli/flags.h"
#include "store/metadata_store.h"

namespace portrait::cli {

struct Command {
  std::vector<std::string> words;  // e.g. {"credentials", "create"}
  std::string summary;             // one line for the command list
  std::string usage;               // the flags, one per line, for --help
  std::set<std::string> flags;     // flags that take a value
  std::set<std::string> switches;  // flags that take none
  std::function<int(const Flags&)> run;
  // Settings also come from --config FILE and PORTRAIT_* variables (settings.h).
  bool layered_settings = false;
};

std::vector<Command> ServeCommands();
std::vector<Command> AdminCommands();
std::vector<Command> AppCommands();
std::vector<Command> PasswordCommands();
std::vector<Command> UploadCommands();
std::vector<Command> BackupCommands();

// The embedded default's layout: DIR/portrait.db and DIR/blobs/. With --database
// postgresql://..., the metadata lives in PostgreSQL instead and DIR keeps only the blobs.
struct DataDir {
  std::unique_ptr<store::MetadataStore> store;
  std::unique_ptr<blob::BlobStore> blobs;
};
DataDir OpenDataDir(const Flags& flags);

// Dispatches argv to its command; returns the process exit code.
int Main(int argc, char** argv);

}  // namespace portrait::cli
