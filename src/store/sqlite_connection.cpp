#include "store/sqlite_connection.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "common/result.h"

namespace portrait::store {
namespace {

constexpr auto kMaxPause = std::chrono::milliseconds(50);

// A database that is full, failing, busy or out of memory: the same statement may succeed later.
bool IsTransient(int result_code) {
  switch (result_code & 0xff) {  // the primary code of an extended one
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_NOMEM:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL:
      return true;
    default:
      return false;
  }
}

[[noreturn]] void ThrowFault(sqlite3* db, std::string_view what) {
  std::string message = "sqlite: " + std::string(what) + ": " + sqlite3_errmsg(db);
  if (IsTransient(sqlite3_extended_errcode(db))) throw TransientFault(message);
  throw Fault(message);
}

}  // namespace

Statement::~Statement() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

void Statement::Check(int result_code, std::string_view what) {
  if (result_code != SQLITE_OK) ThrowFault(db_, what);
}

Statement& Statement::Bind(int index, int64_t value) {
  Check(sqlite3_bind_int64(statement_, index, value), "bind");
  return *this;
}

Statement& Statement::Bind(int index, std::string_view value) {
  // sqlite3_bind_text64 binds SQL NULL for a null pointer, which an empty string_view may hold
  // (std::string_view() has data() == nullptr): SQL NULL is only ever asked for with nullopt.
  const char* text = value.data() != nullptr ? value.data() : "";
  Check(sqlite3_bind_text64(statement_, index, text, value.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
        "bind");
  return *this;
}

Statement& Statement::Bind(int index, const std::string& value) {
  return Bind(index, std::string_view(value));
}

Statement& Statement::Bind(int index, const char* value) {
  return Bind(index, value != nullptr ? std::string_view(value) : std::string_view());
}

Statement& Statement::Bind(int index, const std::optional<std::string>& value) {
  return value ? Bind(index, std::string_view(*value)) : Bind(index, std::nullopt);
}

Statement& Statement::Bind(int index, std::nullopt_t) {
  Check(sqlite3_bind_null(statement_, index), "bind");
  return *this;
}

bool Statement::Step() {
  int result_code = sqlite3_step(statement_);
  if (result_code == SQLITE_ROW) return true;
  if (result_code == SQLITE_DONE) return false;
  ThrowFault(db_, sqlite3_sql(statement_));
}

int64_t Statement::Run() {
  while (Step()) {
  }
  return sqlite3_changes64(db_);
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

int64_t Statement::Int64(int column) const { return sqlite3_column_int64(statement_, column); }

std::string Statement::Text(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
  if (text == nullptr) return {};
  return std::string(text, sqlite3_column_bytes(statement_, column));
}

std::optional<std::string> Statement::OptionalText(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Text(column);
}

void SqliteConnection::StatementFinalizer::operator()(sqlite3_stmt* statement) const {
  sqlite3_finalize(statement);
}

SqliteConnection::SqliteConnection(const std::string& path, const ConnectionOptions& options) {
  // NOMUTEX: the owner serialises use of a connection, so SQLite's own mutex would be redundant.
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close_v2(db_);
    throw Fault("sqlite: open " + path + ": " + message);
  }
  try {
    sqlite3_busy_timeout(db_, options.busy_timeout_ms);
    if (SetWriteAheadLogging(options.busy_timeout_ms) != "wal") {
      throw Fault("sqlite: " + path + " cannot use write-ahead logging");
    }
    Execute("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
    if (options.read_only) Execute("PRAGMA query_only = ON;");
  } catch (...) {
    cache_.clear();
    sqlite3_close_v2(db_);
    throw;
  }
}

// Switching a fresh file to WAL takes an exclusive lock, and SQLite answers SQLITE_BUSY at once
// (without the busy handler) when another connection is opening the same file; so retry here,
// within the same busy timeout.
std::string SqliteConnection::SetWriteAheadLogging(int busy_timeout_ms) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms);
  for (auto pause = std::chrono::milliseconds(1);; pause = std::min(pause * 2, kMaxPause)) {
    try {
      Statement mode = Prepare("PRAGMA journal_mode = WAL");
      return mode.Step() ? mode.Text(0) : std::string();
    } catch (const Fault&) {
      if ((sqlite3_errcode(db_) & 0xff) != SQLITE_BUSY ||
          std::chrono::steady_clock::now() >= deadline) {
        throw;
      }
    }
    std::this_thread::sleep_for(pause);
  }
}

SqliteConnection::~SqliteConnection() {
  cache_.clear();  // statements must be finalized before the connection closes
  sqlite3_close_v2(db_);
}

void SqliteConnection::Execute(const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : sqlite3_errmsg(db_);
    sqlite3_free(error);
    throw Fault("sqlite: " + message);
  }
}

Statement SqliteConnection::Prepare(std::string_view sql) {
  auto cached = cache_.find(std::string(sql));
  if (cached == cache_.end()) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                           &statement, nullptr) != SQLITE_OK) {
      ThrowFault(db_, "prepare " + std::string(sql));
    }
    cached = cache_.emplace(std::string(sql), statement).first;
  }
  return Statement(db_, cached->second.get());
}

bool SqliteConnection::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

WriteTransaction::WriteTransaction(SqliteConnection& connection) : connection_(connection) {
  connection_.Prepare("BEGIN IMMEDIATE").Run();
}

WriteTransaction::~WriteTransaction() {
  if (committed_ || !connection_.InTransaction()) return;
  try {
    connection_.Prepare("ROLLBACK").Run();
  } catch (const Fault&) {
    // The transaction is already failing; its first error is the one reported.
  }
}

void WriteTransaction::Commit() {
  connection_.Prepare("COMMIT").Run();
  committed_ = true;
}

}  // namespace portrait::store
