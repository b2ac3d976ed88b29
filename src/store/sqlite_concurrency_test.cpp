#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <vector>

#include "store/sqlite_test_fixture.h"

namespace portrait::store {
namespace {

constexpr int kJobs = 200;

using SqliteConcurrencyTest = SqliteStoreTest;

// Two processes on one file (what `portrait serve --role worker` beside another node does on
// SQLite): each job claimed once.
TEST_F(SqliteConcurrencyTest, ProcessesOnOneFileNeverShareAJob) {
  User user = CreateUser("busy");
  for (int i = 0; i < kJobs; ++i) Enqueue(user.id);
  const auto child_output = directory_.path() / "child_claims.txt";
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    int status = 0;
    try {
      std::unique_ptr<MetadataStore> store = OpenStore();
      std::ofstream out(child_output);
      for (int64_t id : ClaimAll(*store, "child")) out << id << "\n";
    } catch (...) {
      status = 1;
    }
    _exit(status);
  }
  std::vector<int64_t> ids = ClaimAll(*store_, "parent");
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  std::ifstream in(child_output);
  for (int64_t id; in >> id;) ids.push_back(id);
  ExpectEachJobOnce(ids, kJobs);
}

}  // namespace
}  // namespace portrait::store
