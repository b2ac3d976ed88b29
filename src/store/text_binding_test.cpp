// How the binding helpers of both backends turn text into statement parameters: empty text is
// the empty string, SQL NULL only what asks for it.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>

#include "store/postgres_connection.h"
#include "store/sqlite_connection.h"
#include "store/store_test_support.h"

namespace portrait::store {
namespace {

TEST(SqliteTextBinding, BindsEmptyTextAsTheEmptyStringAndOnlyNulloptAsNull) {
  TemporaryDirectory directory;
  SqliteConnection connection((directory.path() / "binding.db").string(), ConnectionOptions{});
  Statement select = connection.Prepare(
      "SELECT ?1 IS NULL, ?2 IS NULL, ?3 IS NULL, ?4 IS NULL, ?5 IS NULL, ?1 = '', ?2 = ''");
  const char* null_text = nullptr;
  select.BindAll(std::string_view(), null_text, std::string(), std::optional<std::string>(),
                 std::nullopt);
  ASSERT_TRUE(select.Step());
  EXPECT_EQ(select.Int64(0), 0) << "a default string_view bound SQL NULL";
  EXPECT_EQ(select.Int64(1), 0) << "a null const char* bound SQL NULL";
  EXPECT_EQ(select.Int64(2), 0);
  EXPECT_EQ(select.Int64(3), 1);
  EXPECT_EQ(select.Int64(4), 1);
  EXPECT_EQ(select.Int64(5), 1);
  EXPECT_EQ(select.Int64(6), 1);
}

TEST(PostgresTextBinding, ConvertsEmptyTextToTheEmptyStringAndOnlyNulloptToNull) {
  const char* null_text = nullptr;
  EXPECT_EQ(ToParam(std::string_view()), std::optional<std::string>(""));
  EXPECT_EQ(ToParam(null_text), std::optional<std::string>(""));
  EXPECT_EQ(ToParam(std::string()), std::optional<std::string>(""));
  EXPECT_EQ(ToParam(std::optional<std::string>()), std::nullopt);
}

}  // namespace
}  // namespace portrait::store
