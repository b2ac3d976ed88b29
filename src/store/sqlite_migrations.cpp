#include "store/sqlite_migrations.h"

#include <string>

#include "common/result.h"
#include "common/time_format.h"

namespace portrait::store {
namespace {

constexpr std::string_view kCreateSchemaVersion =
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)";
constexpr std::string_view kSelectSchemaVersion =
    "SELECT COALESCE(MAX(version), 0) FROM schema_version";
constexpr std::string_view kInsertSchemaVersion =
    "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)";

void CheckNumbering(std::span<const Migration> migrations) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      throw Fault("schema migrations must be numbered 1, 2, 3...; found " +
                  std::string(migrations[i].name) + " in position " + std::to_string(i + 1));
    }
  }
}

}  // namespace

int SchemaVersion(SqliteConnection& connection) {
  Statement select = connection.Prepare(kSelectSchemaVersion);
  select.Step();
  return static_cast<int>(select.Int64(0));
}

void MigrateSchema(SqliteConnection& connection, std::span<const Migration> migrations) {
  CheckNumbering(migrations);
  {
    WriteTransaction transaction(connection);
    connection.Prepare(kCreateSchemaVersion).Run();
    transaction.Commit();
  }
  for (const Migration& migration : migrations) {
    WriteTransaction transaction(connection);
    // Read inside the write lock: another process may have applied it since the last look.
    const int current = SchemaVersion(connection);
    if (current >= migration.version) continue;
    connection.Execute(std::string(migration.sql));
    connection.Prepare(kInsertSchemaVersion)
        .BindAll(static_cast<int64_t>(migration.version), migration.name, NowSeconds())
        .Run();
    transaction.Commit();
  }
  const int current = SchemaVersion(connection);
  if (current > static_cast<int>(migrations.size())) {
    throw Fault("database schema version " + std::to_string(current) +
                " is newer than this binary supports (" + std::to_string(migrations.size()) + ")");
  }
}

}  // namespace portrait::store
