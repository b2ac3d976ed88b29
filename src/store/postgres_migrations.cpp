#include "store/postgres_migrations.h"

#include <string>

#include "common/result.h"
#include "common/time_format.h"

namespace portrait::store {
namespace {

// pg_advisory_xact_lock key for schema changes: "portrait" in ASCII.
constexpr int64_t kMigrationLockKey = 0x706f727472616974;

constexpr std::string_view kLockMigrations = "SELECT pg_advisory_xact_lock($1)";
constexpr std::string_view kCreateSchemaVersion =
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";
constexpr std::string_view kSelectSchemaVersion =
    "SELECT COALESCE(MAX(version), 0) FROM schema_version";
constexpr std::string_view kInsertSchemaVersion =
    "INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)";

void CheckNumbering(std::span<const Migration> migrations) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      throw Fault("schema migrations must be numbered 1, 2, 3...; found " +
                  std::string(migrations[i].name) + " in position " + std::to_string(i + 1));
    }
  }
}

}  // namespace

int PostgresSchemaVersion(PostgresConnection& connection) {
  return static_cast<int>(connection.Query(kSelectSchemaVersion).Int64(0, 0));
}

void MigratePostgresSchema(PostgresConnection& connection, std::span<const Migration> migrations) {
  CheckNumbering(migrations);
  PostgresTransaction transaction(connection);
  connection.Query(kLockMigrations, kMigrationLockKey);
  // Under the lock, so that two first starts do not race to create it.
  connection.Query(kCreateSchemaVersion);
  const int current = PostgresSchemaVersion(connection);
  if (current > static_cast<int>(migrations.size())) {
    throw Fault("database schema version " + std::to_string(current) +
                " is newer than this binary supports (" + std::to_string(migrations.size()) + ")");
  }
  for (const Migration& migration : migrations) {
    if (migration.version <= current) continue;
    connection.ExecuteScript(std::string(migration.sql));
    connection.Query(kInsertSchemaVersion, migration.version, migration.name, NowSeconds());
  }
  transaction.Commit();
}

}  // namespace portrait::store
