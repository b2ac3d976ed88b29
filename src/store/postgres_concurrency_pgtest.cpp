#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "store/postgres_migrations.h"
#include "store/postgres_test_fixture.h"

namespace portrait::store {
namespace {

constexpr int kJobs = 200;

using PostgresConcurrencyTest = PostgresStoreTest;

TEST_F(PostgresConcurrencyTest, MoreThreadsThanPooledConnectionsTakeTurns) {
  store_ = OpenStore(1);
  User user = CreateUser("busy");
  for (int i = 0; i < kJobs; ++i) Enqueue(user.id);
  ExpectEachJobOnce(ClaimConcurrently({store_.get()}, 4), kJobs);
}

TEST_F(PostgresConcurrencyTest, NodesStartingAtOnceMigrateOnce) {
  store_.reset();
  PostgresConnection(url_, kConnectTimeoutSeconds)
      .ExecuteScript("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
  std::vector<std::unique_ptr<MetadataStore>> nodes(4);
  std::vector<std::thread> threads;
  for (auto& node : nodes) threads.emplace_back([&node, this] { node = OpenStore(1); });
  for (auto& thread : threads) thread.join();
  for (auto& node : nodes) ASSERT_TRUE(node);
  PostgresResult versions = PostgresConnection(url_, kConnectTimeoutSeconds)
                                .Query("SELECT COUNT(*), MAX(version) FROM schema_version");
  // Each migration recorded once, however many nodes raced to apply it.
  const auto migrations = EmbeddedPostgresMigrations();
  EXPECT_EQ(versions.Int64(0, 0), static_cast<int64_t>(migrations.size()));
  EXPECT_EQ(versions.Int64(0, 1), migrations.back().version);
  EXPECT_TRUE(nodes[0]->CreateUser(NamedUser("after"), kNow).ok());
}

}  // namespace
}  // namespace portrait::store
