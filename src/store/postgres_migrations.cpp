#include "store/postgres_migrations.h"

#include <algorithm>
#include <string>
#include <vector>

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
constexpr std::string_view kSelectAppliedVersions =
    "SELECT version FROM schema_version ORDER BY version";
constexpr std::string_view kInsertSchemaVersion =
    "INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)";

}  // namespace

int PostgresSchemaVersion(PostgresConnection& connection) {
  return static_cast<int>(connection.Query(kSelectSchemaVersion).Int64(0, 0));
}

void MigratePostgresSchema(PostgresConnection& connection, std::span<const Migration> migrations) {
  CheckMigrationOrder(migrations);
  PostgresTransaction transaction(connection);
  connection.Query(kLockMigrations, kMigrationLockKey);
  // Under the lock, so that two first starts do not race to create it.
  connection.Query(kCreateSchemaVersion);
  PostgresResult rows = connection.Query(kSelectAppliedVersions);
  std::vector<int> applied;
  applied.reserve(rows.Rows());
  for (int row = 0; row < rows.Rows(); ++row) {
    applied.push_back(static_cast<int>(rows.Int64(row, 0)));
  }
  CheckAppliedVersionsAreKnown(applied, migrations);
  for (const Migration& migration : migrations) {
    if (std::find(applied.begin(), applied.end(), migration.version) != applied.end()) continue;
    connection.ExecuteScript(std::string(migration.sql));
    connection.Query(kInsertSchemaVersion, migration.version, migration.name, NowSeconds());
  }
  transaction.Commit();
}

}  // namespace portrait::store
