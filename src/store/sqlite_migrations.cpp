#include "store/sqlite_migrations.h"

#include <algorithm>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/time_format.h"

namespace portrait::store {
namespace {

constexpr std::string_view kCreateSchemaVersion =
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)";
constexpr std::string_view kSelectSchemaVersion =
    "SELECT COALESCE(MAX(version), 0) FROM schema_version";
constexpr std::string_view kSelectAppliedVersions =
    "SELECT version FROM schema_version ORDER BY version";
constexpr std::string_view kSelectVersionApplied = "SELECT 1 FROM schema_version WHERE version = ?";
constexpr std::string_view kInsertSchemaVersion =
    "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)";

std::vector<int> AppliedVersions(SqliteConnection& connection) {
  std::vector<int> versions;
  Statement select = connection.Prepare(kSelectAppliedVersions);
  while (select.Step()) versions.push_back(static_cast<int>(select.Int64(0)));
  return versions;
}

}  // namespace

void CheckMigrationOrder(std::span<const Migration> migrations) {
  int previous = 0;
  for (const Migration& migration : migrations) {
    if (migration.version <= previous) {
      throw Fault("schema migrations must have ascending positive versions; found " +
                  std::string(migration.name) + " after version " + std::to_string(previous));
    }
    previous = migration.version;
  }
}

void CheckAppliedVersionsAreKnown(std::span<const int> applied,
                                  std::span<const Migration> migrations) {
  for (int version : applied) {
    const bool known = std::any_of(migrations.begin(), migrations.end(),
                                   [version](const Migration& m) { return m.version == version; });
    if (!known) {
      throw Fault("the database has schema migration " + std::to_string(version) +
                  ", which this binary does not know (it was migrated by a newer one)");
    }
  }
}

int SchemaVersion(SqliteConnection& connection) {
  Statement select = connection.Prepare(kSelectSchemaVersion);
  select.Step();
  return static_cast<int>(select.Int64(0));
}

void MigrateSchema(SqliteConnection& connection, std::span<const Migration> migrations) {
  CheckMigrationOrder(migrations);
  {
    WriteTransaction transaction(connection);
    connection.Prepare(kCreateSchemaVersion).Run();
    transaction.Commit();
  }
  CheckAppliedVersionsAreKnown(AppliedVersions(connection), migrations);
  for (const Migration& migration : migrations) {
    WriteTransaction transaction(connection);
    // Read inside the write lock: another process may have applied it since the last look.
    bool applied = false;
    {
      Statement select = connection.Prepare(kSelectVersionApplied);
      select.BindAll(static_cast<int64_t>(migration.version));
      applied = select.Step();
    }
    if (applied) continue;
    connection.Execute(std::string(migration.sql));
    connection.Prepare(kInsertSchemaVersion)
        .BindAll(static_cast<int64_t>(migration.version), migration.name, NowSeconds())
        .Run();
    transaction.Commit();
  }
}

}  // namespace portrait::store
