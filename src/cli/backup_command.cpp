// `portrait backup`: a consistent copy of a data directory while the server runs. The database
// goes through SQLite's online backup API (a transactionally consistent snapshot, taken in
// steps so writers are never blocked for long); then the image files are copied. Blobs are
// immutable once written and the database is copied first, so every image it references was
// complete before the snapshot; files written later are simply extra.
#include <sqlite3.h>

#include <cstdio>
#include <filesystem>

#include "cli/command.h"

namespace portrait::cli {
namespace {

namespace fs = std::filesystem;

constexpr int kPagesPerStep = 256;
constexpr int kBusyRetrySleepMs = 50;

void BackupDatabase(const fs::path& source, const fs::path& destination) {
  sqlite3* from = nullptr;
  sqlite3* to = nullptr;
  auto close_both = [&] {
    sqlite3_close(from);
    sqlite3_close(to);
  };
  if (sqlite3_open_v2(source.c_str(), &from, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK ||
      sqlite3_open(destination.c_str(), &to) != SQLITE_OK) {
    std::string message = sqlite3_errmsg(from ? (to ? to : from) : nullptr);
    close_both();
    throw std::runtime_error("opening databases: " + message);
  }
  sqlite3_busy_timeout(from, 5000);
  sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
  if (!backup) {
    std::string message = sqlite3_errmsg(to);
    close_both();
    throw std::runtime_error("starting backup: " + message);
  }
  int rc = SQLITE_OK;
  while ((rc = sqlite3_backup_step(backup, kPagesPerStep)) == SQLITE_OK || rc == SQLITE_BUSY ||
         rc == SQLITE_LOCKED) {
    if (rc != SQLITE_OK) sqlite3_sleep(kBusyRetrySleepMs);
  }
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) {
    std::string message = sqlite3_errstr(rc);
    close_both();
    throw std::runtime_error("backup failed: " + message);
  }
  close_both();
}

// Copies regular files, skipping temporary files of writes in progress ("~" in the name).
uint64_t CopyBlobs(const fs::path& source, const fs::path& destination) {
  uint64_t copied = 0;
  if (!fs::exists(source)) return 0;
  for (const auto& entry : fs::recursive_directory_iterator(source)) {
    if (!entry.is_regular_file()) continue;
    if (entry.path().filename().string().find('~') != std::string::npos) continue;
    fs::path target = destination / fs::relative(entry.path(), source);
    fs::create_directories(target.parent_path());
    std::error_code error;
    fs::copy_file(entry.path(), target, fs::copy_options::overwrite_existing, error);
    // A file deleted by the janitor between listing and copying is no loss.
    if (!error) ++copied;
  }
  return copied;
}

int Backup(const Flags& flags) {
  const fs::path data_dir = flags.require("data-dir");
  const fs::path destination = flags.require("to");
  if (!fs::exists(data_dir / "portrait.db")) {
    throw UsageError("no Portrait database in " + data_dir.string());
  }
  if (fs::exists(destination) && !fs::is_empty(destination)) {
    throw UsageError(destination.string() + " exists and is not empty");
  }
  fs::create_directories(destination);
  BackupDatabase(data_dir / "portrait.db", destination / "portrait.db");
  uint64_t files = CopyBlobs(data_dir / "blobs", destination / "blobs");
  std::printf("backed up %s to %s (database and %llu files)\n", data_dir.c_str(),
              destination.c_str(), static_cast<unsigned long long>(files));
  return 0;
}

}  // namespace

std::vector<Command> BackupCommands() {
  return {{{"backup"},
           "copy a data directory consistently while the server runs (restore: stop the "
           "server, put the copy in place, start it)",
           "  --data-dir DIR        the data directory to back up (required)\n"
           "  --to DIR              a new or empty directory for the copy (required)\n",
           {"data-dir", "to"},
           {},
           Backup}};
}

}  // namespace portrait::cli
