#pragma once
// RAII wrappers over the SQLite C API for the SQLite backend: a connection with its PRAGMAs and a
// cache of prepared statements, a statement borrowed for one execution, and a write transaction.
//
// Threading: a connection (and the statements borrowed from it) may be used by one thread at a
// time; the owner serialises access. Errors throw portrait::Fault with SQLite's message: a
// TransientFault when the database is full, failing, busy or out of memory (SQLITE_FULL, IOERR,
// BUSY, LOCKED, NOMEM, CANTOPEN, PROTOCOL), so that callers can wait and try again.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace portrait::store {

struct ConnectionOptions {
  int busy_timeout_ms = 5000;  // how long to wait for another connection's lock
  bool read_only = false;      // refuse writes (PRAGMA query_only)
};

// One execution of a cached prepared statement: bind parameters (1-based), step through rows,
// read columns (0-based). Text binds as text whatever it holds: an empty string_view (even a
// default-constructed one, whose data() is null) or a null const char* binds the empty string;
// SQL NULL is bound only by std::nullopt or an empty std::optional<std::string>. Going out of scope
// resets the statement and clears its bindings, which also ends the implicit transaction of a
// statement run outside BEGIN/COMMIT.
class Statement {
 public:
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  Statement& Bind(int index, bool value) { return Bind(index, static_cast<int64_t>(value)); }
  Statement& Bind(int index, std::string_view value);
  Statement& Bind(int index, const std::string& value);
  Statement& Bind(int index, const char* value);
  Statement& Bind(int index, const std::optional<std::string>& value);  // NULL when empty
  Statement& Bind(int index, std::nullopt_t);
  // Binds values to parameters 1, 2, 3...
  template <class... Values>
  Statement& BindAll(const Values&... values) {
    int index = 0;
    (Bind(++index, values), ...);
    return *this;
  }

  // Advances to the next result row: true when there is one, false when the statement is done.
  bool Step();
  // Steps to completion, ignoring any rows; returns the number of rows inserted, updated or
  // deleted.
  int64_t Run();

  bool IsNull(int column) const;
  int64_t Int64(int column) const;
  std::string Text(int column) const;
  std::optional<std::string> OptionalText(int column) const;  // empty for NULL

 private:
  friend class SqliteConnection;
  Statement(sqlite3* db, sqlite3_stmt* statement) : db_(db), statement_(statement) {}
  void Check(int result_code, std::string_view what);

  sqlite3* db_;
  sqlite3_stmt* statement_;
};

class SqliteConnection {
 public:
  // Opens (creating) the database file and applies the connection's PRAGMAs: WAL journal,
  // synchronous=FULL (a commit is on disk when it returns), foreign keys, busy timeout.
  SqliteConnection(const std::string& path, const ConnectionOptions& options);
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;
  ~SqliteConnection();

  // Runs SQL text of one or more statements that take no parameters (schema, PRAGMAs).
  void Execute(const std::string& sql);

  // Borrows the prepared statement for sql, compiling it on first use. Only one Statement per
  // SQL text may be alive at a time.
  Statement Prepare(std::string_view sql);

  bool InTransaction() const;

 private:
  struct StatementFinalizer {
    void operator()(sqlite3_stmt* statement) const;
  };
  // Returns the journal mode now in force.
  std::string SetWriteAheadLogging(int busy_timeout_ms);

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, std::unique_ptr<sqlite3_stmt, StatementFinalizer>> cache_;
};

// BEGIN IMMEDIATE ... COMMIT; rolled back on destruction unless committed. Taking the write lock
// up front lets busy_timeout wait for other writers (threads or processes); a deferred
// transaction that later upgrades to write could instead fail at once with SQLITE_BUSY.
class WriteTransaction {
 public:
  explicit WriteTransaction(SqliteConnection& connection);
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  ~WriteTransaction();

  void Commit();

 private:
  SqliteConnection& connection_;
  bool committed_ = false;
};

}  // namespace portrait::store
