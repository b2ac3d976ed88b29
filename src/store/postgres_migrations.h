#pragma once
// The PostgreSQL backend's schema, as versioned migrations compiled into the binary from
// src/store/migrations_postgres/NNNN_description.sql (embedded like the SQLite ones).
#include <span>

#include "store/postgres_connection.h"
#include "store/sqlite_migrations.h"  // struct Migration, shared by both backends

namespace portrait::store {

// Every PostgreSQL migration, ascending by version.
std::span<const Migration> EmbeddedPostgresMigrations();

// Applies every migration not yet recorded in schema_version, in ascending order, in one
// transaction that first takes a transaction-scoped advisory lock, so nodes starting at once
// apply each migration exactly once (the others wait, then find nothing to do). The rules are
// the SQLite runner's (sqlite_migrations.h): versions ascend but may have gaps, and what counts
// is the set applied. Throws Fault on a SQL error, when the migrations are out of order, or when
// the database holds a migration this binary does not know.
void MigratePostgresSchema(PostgresConnection& connection, std::span<const Migration> migrations);

// The highest applied version (0 for a fresh database).
int PostgresSchemaVersion(PostgresConnection& connection);

}  // namespace portrait::store
