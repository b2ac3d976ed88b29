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

// Versions need not be contiguous: branches developed side by side take numbers of their own, and
// a database that has 1, 2 and 5 gets 3 and 4 applied when a binary that has them opens it. What
// decides is the set of applied versions, never the highest one. Both backends share these rules.
//
// Throws Fault unless versions are positive and strictly ascending.
void CheckMigrationOrder(std::span<const Migration> migrations);
// Throws Fault when applied holds a version that migrations lack (the database was migrated by
// a newer binary, or by one with a migration this one never had).
void CheckAppliedVersionsAreKnown(std::span<const int> applied,
                                  std::span<const Migration> migrations);

// Brings the database up to date: each migration not yet recorded in schema_version runs, in
// ascending order, in its own write transaction that records it, so concurrent openers (threads
// or processes) apply each exactly once. Throws Fault on a SQL error, when the migrations are out
// of order, or when the database holds a migration this binary does not know.
void MigrateSchema(SqliteConnection& connection, std::span<const Migration> migrations);

// The highest applied version (0 for a fresh database).
int SchemaVersion(SqliteConnection& connection);

}  // namespace portrait::store
