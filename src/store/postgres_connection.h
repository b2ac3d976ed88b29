#pragma once
// RAII wrappers over libpq for the PostgreSQL backend: a query result, a connection that runs
// parameterised statements (PQexecParams: values never enter the SQL text), and a transaction.
//
// Threading: a connection may be used by one thread at a time; PostgresPool hands them out.
// Errors throw portrait::Fault with libpq's message; a lost connection throws its subclass
// PostgresConnectionLost, which the pool answers with a reconnect and, when safe, a retry. Like
// a lost connection, an error the server says can clear (SQLSTATE classes 08 connection, 40
// transaction rollback, 53 insufficient resources such as disk_full, 57P operator intervention,
// 58 system error) is a TransientFault.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/result.h"

struct pg_conn;
struct pg_result;

namespace portrait::store {

// The connection broke (server restarted, network gone): the statement may not have run.
class PostgresConnectionLost : public TransientFault {
 public:
  using TransientFault::TransientFault;
};

// One statement parameter in text form; empty for SQL NULL. Text converts to text whatever it
// holds: an empty string_view or a null const char* is the empty string, never SQL NULL, which
// only an empty std::optional<std::string> asks for.
using PostgresParam = std::optional<std::string>;

inline PostgresParam ToParam(int64_t value) { return std::to_string(value); }
inline PostgresParam ToParam(int value) { return std::to_string(value); }
inline PostgresParam ToParam(bool value) { return value ? "true" : "false"; }
inline PostgresParam ToParam(std::string_view value) { return std::string(value); }
inline PostgresParam ToParam(const std::string& value) { return value; }
inline PostgresParam ToParam(const char* value) { return std::string(value ? value : ""); }
inline PostgresParam ToParam(const std::optional<std::string>& value) { return value; }

// A row of a PostgresResult; columns are 0-based and in text format.
class PostgresRow;

// The result of one statement that succeeded. Move-only; frees the PGresult.
class PostgresResult {
 public:
  explicit PostgresResult(pg_result* result) : result_(result) {}
  PostgresResult(PostgresResult&& other) noexcept
      : result_(std::exchange(other.result_, nullptr)) {}
  PostgresResult& operator=(PostgresResult&&) = delete;
  PostgresResult(const PostgresResult&) = delete;
  ~PostgresResult();

  int Rows() const;
  // Rows inserted, updated or deleted (for a statement without RETURNING too).
  int64_t AffectedRows() const;
  PostgresRow Row(int row) const;

  bool IsNull(int row, int column) const;
  std::string Text(int row, int column) const;
  int64_t Int64(int row, int column) const;
  bool Bool(int row, int column) const;

 private:
  pg_result* result_;
};

class PostgresRow {
 public:
  PostgresRow(const PostgresResult& result, int row) : result_(result), row_(row) {}
  bool IsNull(int column) const { return result_.IsNull(row_, column); }
  int64_t Int64(int column) const { return result_.Int64(row_, column); }
  bool Bool(int column) const { return result_.Bool(row_, column); }
  std::string Text(int column) const { return result_.Text(row_, column); }
  std::optional<std::string> OptionalText(int column) const {
    if (IsNull(column)) return std::nullopt;
    return Text(column);
  }

 private:
  const PostgresResult& result_;
  int row_;
};

inline PostgresRow PostgresResult::Row(int row) const { return PostgresRow(*this, row); }

class PostgresConnection {
 public:
  // Connects to url (a postgresql:// URL or key=value string). Throws Fault when it cannot.
  PostgresConnection(const std::string& url, int connect_timeout_seconds);
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;
  ~PostgresConnection();

  // Runs one statement with parameters $1, $2, ... bound to values. A SELECT, INSERT, UPDATE,
  // DELETE or WITH statement is prepared on its first run on this connection (a named statement
  // of this session) and executed prepared afterwards, so the server parses and plans it once.
  template <class... Values>
  PostgresResult Query(std::string_view sql, const Values&... values) {
    return Execute(sql, std::vector<PostgresParam>{ToParam(values)...});
  }
  PostgresResult Execute(std::string_view sql, const std::vector<PostgresParam>& params);
  // Runs SQL text of one or more statements without parameters (schema migrations).
  void ExecuteScript(const std::string& sql);

  // Notices a connection the server closed while it sat idle (a restart sends it a FATAL
  // message and closes the socket); false when it is no longer usable.
  bool CheckAlive();
  // Reconnects with the original parameters. Throws PostgresConnectionLost when it cannot.
  void Reset();

  // Consumes every notification that has arrived (after LISTEN), without waiting; true when one
  // of them was on channel.
  bool TakeNotifications(std::string_view channel);
  // Waits up to timeout_ms for a notification on channel; TakeNotifications when one arrives.
  bool WaitForNotification(std::string_view channel, int timeout_ms);

  bool InTransaction() const;
  // Whether, since the last ClearCommitAttempted, a statement was sent that may have committed
  // (COMMIT, or any statement outside a transaction block). Once one has, a lost connection
  // leaves the outcome unknown and the work must not be retried.
  bool commit_attempted() const { return commit_attempted_; }
  void ClearCommitAttempted() { commit_attempted_ = false; }

 private:
  [[noreturn]] void ThrowError(std::string_view what, pg_result* result);
  // The name sql is prepared under on this connection (preparing it now), or nothing when it is
  // not a statement PREPARE takes.
  const std::string* PreparedName(const std::string& sql);

  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name

  pg_conn* conn_ = nullptr;
  bool commit_attempted_ = false;
};

// BEGIN ... COMMIT on one connection; rolled back on destruction unless committed.
class PostgresTransaction {
 public:
  explicit PostgresTransaction(PostgresConnection& connection);
  PostgresTransaction(const PostgresTransaction&) = delete;
  PostgresTransaction& operator=(const PostgresTransaction&) = delete;
  ~PostgresTransaction();

  void Commit();

 private:
  PostgresConnection& connection_;
  bool committed_ = false;
};

}  // namespace portrait::store
