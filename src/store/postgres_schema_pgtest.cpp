#include <gtest/gtest.h>

#include "store/postgres_migrations.h"
#include "store/postgres_test_fixture.h"

namespace portrait::store {
namespace {

using PostgresSchemaTest = PostgresStoreTest;

TEST_F(PostgresSchemaTest, FreshDatabaseIsMigratedToTheNewestVersion) {
  PostgresConnection connection(url_, kConnectTimeoutSeconds);
  EXPECT_EQ(PostgresSchemaVersion(connection), EmbeddedPostgresMigrations().back().version);
}

TEST_F(PostgresSchemaTest, ReopeningKeepsDataAndAppliesNothingTwice) {
  User user = CreateUser("kept");
  store_.reset();
  store_ = OpenStore();
  EXPECT_EQ(store_->FindUserById(user.id)->screen_name, "kept");
  PostgresResult rows =
      PostgresConnection(url_, kConnectTimeoutSeconds).Query("SELECT COUNT(*) FROM schema_version");
  EXPECT_EQ(rows.Int64(0, 0), static_cast<int64_t>(EmbeddedPostgresMigrations().size()));
}

TEST_F(PostgresSchemaTest, DatabaseNewerThanTheBinaryIsRefused) {
  PostgresConnection(url_, kConnectTimeoutSeconds)
      .Query("INSERT INTO schema_version (version, name, applied_at) VALUES (999, 'future', 0)");
  EXPECT_THROW(OpenStore(), Fault);
}

TEST_F(PostgresSchemaTest, MigrationNumberedBelowTheNewestAppliedIsAppliedWhenItArrives) {
  PostgresConnection connection(url_, kConnectTimeoutSeconds);
  connection.ExecuteScript("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
  constexpr Migration kFirstBinary[] = {{1, "0001_a", "CREATE TABLE a (x INTEGER)"},
                                        {5, "0005_c", "CREATE TABLE c (x INTEGER)"}};
  constexpr Migration kMergedBinary[] = {{1, "0001_a", "CREATE TABLE a (x INTEGER)"},
                                         {3, "0003_b", "CREATE TABLE b (x INTEGER)"},
                                         {5, "0005_c", "CREATE TABLE c (x INTEGER)"}};
  MigratePostgresSchema(connection, kFirstBinary);
  MigratePostgresSchema(connection, kMergedBinary);
  MigratePostgresSchema(connection, kMergedBinary);
  EXPECT_EQ(connection
                .Query("SELECT string_agg(version::text, ',' ORDER BY version)"
                       " FROM schema_version")
                .Text(0, 0),
            "1,3,5");
  EXPECT_EQ(connection.Query("SELECT COUNT(*) FROM b").Int64(0, 0), 0);
  constexpr Migration kOlderBinary[] = {{1, "0001_a", "CREATE TABLE a (x INTEGER)"},
                                        {5, "0005_c", "CREATE TABLE c (x INTEGER)"}};
  EXPECT_THROW(MigratePostgresSchema(connection, kOlderBinary), Fault);
}

TEST_F(PostgresSchemaTest, UnreachableServerIsAFault) {
  EXPECT_THROW(OpenPostgresStore(PostgresOptions{"postgresql://postgres@127.0.0.1:1/none", 1, 1}),
               Fault);
}

}  // namespace
}  // namespace portrait::store
