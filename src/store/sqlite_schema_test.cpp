#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite_connection.h"
#include "store/sqlite_migrations.h"
#include "store/sqlite_test_fixture.h"

namespace portrait::store {
namespace {

class SqliteSchemaTest : public SqliteStoreTest {
 protected:
  int64_t QueryInt(const std::string& query) {
    SqliteConnection connection(db_path_, ConnectionOptions{});
    Statement statement = connection.Prepare(query);
    EXPECT_TRUE(statement.Step());
    return statement.Int64(0);
  }
};

TEST(EmbeddedMigrationsTest, AscendFromTheInitialSchema) {
  auto migrations = EmbeddedMigrations();
  ASSERT_FALSE(migrations.empty());
  EXPECT_EQ(migrations[0].version, 1);
  EXPECT_EQ(migrations[0].name, "0001_initial");
  for (size_t i = 0; i < migrations.size(); ++i) {
    if (i > 0) {
      EXPECT_GT(migrations[i].version, migrations[i - 1].version);
    }
    EXPECT_FALSE(migrations[i].sql.empty());
  }
}

TEST(EmbeddedMigrationsTest, OrderCheckRefusesRepeatedOrDescendingVersions) {
  constexpr Migration kRepeated[] = {{1, "0001_a", "SELECT 1"}, {1, "0001_b", "SELECT 1"}};
  constexpr Migration kDescending[] = {{2, "0002_a", "SELECT 1"}, {1, "0001_b", "SELECT 1"}};
  constexpr Migration kWithGap[] = {{1, "0001_a", "SELECT 1"}, {5, "0005_b", "SELECT 1"}};
  EXPECT_THROW(CheckMigrationOrder(kRepeated), Fault);
  EXPECT_THROW(CheckMigrationOrder(kDescending), Fault);
  EXPECT_NO_THROW(CheckMigrationOrder(kWithGap));
}

TEST_F(SqliteSchemaTest, FreshFileGetsEverySchemaVersionAndTable) {
  const auto migrations = EmbeddedMigrations();
  EXPECT_EQ(QueryInt("SELECT MAX(version) FROM schema_version"), migrations.back().version);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM schema_version"),
            static_cast<int64_t>(migrations.size()));
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN"
                     " ('users', 'apps', 'access_tokens', 'bearer_tokens', 'upload_jobs',"
                     " 'retired_images')"),
            6);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM sqlite_master WHERE name = 'nonces'"), 0)
      << "nonces live in their own log (NonceWindow)";
}

TEST_F(SqliteSchemaTest, MigrationNumberedBelowTheNewestAppliedIsAppliedWhenItArrives) {
  const std::string path = (directory_.path() / "gaps.db").string();
  SqliteConnection connection(path, ConnectionOptions{});
  constexpr Migration kFirstBinary[] = {{1, "0001_a", "CREATE TABLE a (x INTEGER)"},
                                        {5, "0005_c", "CREATE TABLE c (x INTEGER)"}};
  constexpr Migration kMergedBinary[] = {{1, "0001_a", "CREATE TABLE a (x INTEGER)"},
                                         {3, "0003_b", "CREATE TABLE b (x INTEGER)"},
                                         {5, "0005_c", "CREATE TABLE c (x INTEGER)"}};
  MigrateSchema(connection, kFirstBinary);
  MigrateSchema(connection, kMergedBinary);
  MigrateSchema(connection, kMergedBinary);
  Statement versions = connection.Prepare("SELECT group_concat(version) FROM schema_version");
  ASSERT_TRUE(versions.Step());
  EXPECT_EQ(versions.Text(0), "1,3,5");
  Statement table_b =
      connection.Prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'b'");
  ASSERT_TRUE(table_b.Step());
  EXPECT_EQ(table_b.Int64(0), 1);
}

TEST_F(SqliteSchemaTest, RefusesDatabaseWithAMigrationTheBinaryLacks) {
  const std::string path = (directory_.path() / "ahead.db").string();
  SqliteConnection connection(path, ConnectionOptions{});
  constexpr Migration kNewer[] = {{1, "0001_a", "CREATE TABLE a (x INTEGER)"},
                                  {2, "0002_b", "CREATE TABLE b (x INTEGER)"},
                                  {3, "0003_c", "CREATE TABLE c (x INTEGER)"}};
  constexpr Migration kOlder[] = {{1, "0001_a", "CREATE TABLE a (x INTEGER)"},
                                  {3, "0003_c", "CREATE TABLE c (x INTEGER)"}};
  MigrateSchema(connection, kNewer);
  EXPECT_THROW(MigrateSchema(connection, kOlder), Fault);
}

TEST_F(SqliteSchemaTest, AppsAndTokensFromBeforeSignInStayReadWriteWithoutCallbacks) {
  const std::string path = (directory_.path() / "before-signin.db").string();
  {
    SqliteConnection connection(path, ConnectionOptions{});
    std::vector<Migration> before;
    for (const Migration& migration : EmbeddedMigrations()) {
      if (migration.name.find("signin") == std::string_view::npos) before.push_back(migration);
    }
    ASSERT_LT(before.size(), EmbeddedMigrations().size());
    MigrateSchema(connection, before);
    connection.Execute(
        "INSERT INTO users (id, screen_name, name, created_at) VALUES (1, 'old', 'Old', 0);"
        "INSERT INTO apps (id, name, consumer_key, consumer_secret, created_at)"
        " VALUES (1, 'legacy', 'ck', 'cs', 0);"
        "INSERT INTO access_tokens (token, secret, user_id, app_id, created_at)"
        " VALUES ('1-t', 's', 1, 1, 0)");
  }
  std::unique_ptr<MetadataStore> store = OpenSqliteStore(SqliteOptions{path});
  std::optional<App> app = store->FindAppByConsumerKey("ck");
  ASSERT_TRUE(app);
  EXPECT_EQ(app->access_level, AccessLevel::kReadWrite);
  EXPECT_TRUE(app->callback_urls.empty());
  EXPECT_FALSE(app->allow_xauth);
  EXPECT_EQ(store->FindAccessToken("1-t")->access_level, AccessLevel::kReadWrite);
  EXPECT_FALSE(store->FindPasswordHash(1));
}

TEST_F(SqliteSchemaTest, ReopeningAppliesNothingTwice) {
  store_.reset();
  store_ = OpenStore();
  store_.reset();
  store_ = OpenStore();
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM schema_version"),
            static_cast<int64_t>(EmbeddedMigrations().size()));
}

TEST_F(SqliteSchemaTest, DatabaseUsesWriteAheadLogging) {
  SqliteConnection connection(db_path_, ConnectionOptions{});
  Statement mode = connection.Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode.Step());
  EXPECT_EQ(mode.Text(0), "wal");
}

TEST_F(SqliteSchemaTest, RefusesDatabaseNewerThanTheBinary) {
  store_.reset();
  {
    SqliteConnection connection(db_path_, ConnectionOptions{});
    connection.Execute("INSERT INTO schema_version VALUES (999, '0999_future', 0)");
  }
  EXPECT_THROW(OpenStore(), Fault);
}

TEST_F(SqliteSchemaTest, ConcurrentOpenersOfAFreshFileApplyEachMigrationOnce) {
  store_.reset();
  const std::string fresh_path = (directory_.path() / "fresh.db").string();
  std::vector<std::thread> openers;
  std::mutex failures_mutex;
  std::vector<std::string> failures;
  for (int i = 0; i < 4; ++i) {
    openers.emplace_back([&] {
      try {
        OpenSqliteStore(SqliteOptions{fresh_path});
      } catch (const Fault& fault) {
        std::lock_guard lock(failures_mutex);
        failures.emplace_back(fault.what());
      }
    });
  }
  for (auto& opener : openers) opener.join();
  EXPECT_THAT(failures, testing::IsEmpty());
  db_path_ = fresh_path;
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM schema_version"),
            static_cast<int64_t>(EmbeddedMigrations().size()));
}

TEST_F(SqliteSchemaTest, CreatesTheDatabaseDirectory) {
  const auto nested = directory_.path() / "data" / "db" / "portrait.db";
  OpenSqliteStore(SqliteOptions{nested.string()});
  EXPECT_TRUE(std::filesystem::exists(nested));
}

TEST_F(SqliteSchemaTest, DataSurvivesCloseAndReopen) {
  User user = CreateUser("survivor");
  App app = store_->CreateApp("client", kNow);
  AccessToken token = store_->CreateAccessToken(user.id, app.id, kNow);
  BearerToken bearer = store_->IssueBearerToken(app.id, kNow);
  UploadJob job = Enqueue(user.id);
  ASSERT_TRUE(store_->RecordNonce(app.consumer_key, token.token, "n1", kNow + 600, kNow));
  ASSERT_TRUE(store_->ClaimJob("w", kNow, 60));
  ASSERT_TRUE(store_->CompleteJob(job.id, "w", ProfileImage{7, "abc", "png"}, kNow, kNow + 60));

  store_.reset();
  store_ = OpenStore();

  std::optional<User> reopened = store_->FindUserByScreenName("survivor");
  ASSERT_TRUE(reopened);
  ASSERT_TRUE(reopened->image);
  EXPECT_EQ(reopened->image->key, "abc");
  EXPECT_EQ(store_->FindAppByConsumerKey(app.consumer_key)->consumer_secret, app.consumer_secret);
  EXPECT_EQ(store_->FindAccessToken(token.token)->secret, token.secret);
  EXPECT_EQ(store_->FindBearerToken(bearer.token)->app_id, app.id);
  EXPECT_EQ(store_->FindJob(job.id)->state, JobState::kDone);
  EXPECT_FALSE(store_->RecordNonce(app.consumer_key, token.token, "n1", kNow + 600, kNow + 1));
}

TEST_F(SqliteSchemaTest, EnqueuedJobIsOnDiskWhenEnqueueReturns) {
  User user = CreateUser("durable");
  UploadJob job = Enqueue(user.id);
  // A second, independent connection sees the committed row while the store is still open.
  SqliteConnection connection(db_path_, ConnectionOptions{});
  Statement select = connection.Prepare("SELECT state FROM upload_jobs WHERE id = ?");
  select.BindAll(job.id);
  ASSERT_TRUE(select.Step());
  EXPECT_EQ(select.Text(0), "queued");
  Statement synchronous = connection.Prepare("PRAGMA synchronous");
  ASSERT_TRUE(synchronous.Step());
  EXPECT_EQ(synchronous.Int64(0), 2);  // FULL
}

}  // namespace
}  // namespace portrait::store
