// How SQLite's errors reach callers: a full database is a TransientFault (waiting can clear it),
// a broken rule of the schema a plain Fault.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "common/random.h"
#include "common/result.h"
#include "store/sqlite_connection.h"

namespace portrait::store {
namespace {

namespace fs = std::filesystem;

class SqliteFaultsTest : public ::testing::Test {
 protected:
  SqliteFaultsTest() {
    fs::create_directories(dir_);
    connection_.emplace((dir_ / "faults.db").string(), ConnectionOptions{});
    connection_->Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, value TEXT NOT NULL);");
  }
  ~SqliteFaultsTest() override {
    connection_.reset();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  const fs::path dir_ =
      fs::temp_directory_path() / ("portrait-faults-" + RandomLowerAlphanumeric(12));
  std::optional<SqliteConnection> connection_;
};

TEST_F(SqliteFaultsTest, AFullDatabaseIsATransientFault) {
  // The database may not grow past the pages it has: SQLite answers SQLITE_FULL, as it does
  // when the disk is full.
  connection_->Execute("PRAGMA max_page_count = 1;");
  Statement insert = connection_->Prepare("INSERT INTO t (value) VALUES (?)");
  insert.BindAll(std::string(64 * 1024, 'x'));
  try {
    insert.Run();
    ADD_FAILURE() << "an insert past max_page_count succeeded";
  } catch (const TransientFault& fault) {
    EXPECT_NE(std::string(fault.what()).find("full"), std::string::npos) << fault.what();
  }
}

TEST_F(SqliteFaultsTest, AConstraintViolationIsAPermanentFault) {
  Statement insert = connection_->Prepare("INSERT INTO t (value) VALUES (NULL)");
  try {
    insert.Run();
    ADD_FAILURE() << "a NULL went into a NOT NULL column";
  } catch (const TransientFault& fault) {
    ADD_FAILURE() << "taken as transient: " << fault.what();
  } catch (const Fault& fault) {
    EXPECT_NE(std::string(fault.what()).find("NOT NULL"), std::string::npos) << fault.what();
  }
}

}  // namespace
}  // namespace portrait::store
