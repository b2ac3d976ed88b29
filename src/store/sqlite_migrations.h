#pragma once
// The SQLite backend's schema, as versioned migrations compiled into the binary from
// src/store/migrations/NNNN_description.sql (see embed_migrations.cmake).
#include <span>
#include <string_view>

#include "store/sqlite_connection.h"

namespace portrait::store {

struct Migration {
  int version = 0;        // the file name's numeric prefix: 1 for 0001_initial.sql
  std::string_view name;  // the file name without ".sql"
  std::string_view sql;   // one or more statements
};

// Every migration, ascending by version.
std::span<const Migration> EmbeddedMigrations();

// Brings the database up to the newest migration: each pending migration runs in its own
// write transaction and records its version in schema_version, so concurrent openers (threads
// or processes) apply each exactly once. Throws Fault on a SQL error, when migrations are not
// numbered 1, 2, 3..., or when the database is newer than this binary.
void MigrateSchema(SqliteConnection& connection, std::span<const Migration> migrations);

// The highest applied version (0 for a fresh database).
int SchemaVersion(SqliteConnection& connection);

}  // namespace portrait::store
