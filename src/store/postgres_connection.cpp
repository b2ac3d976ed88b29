#include "store/postgres_connection.h"

#include <libpq-fe.h>
#include <poll.h>
#include <strings.h>

#include <charconv>

namespace portrait::store {
namespace {

// PREPARE takes only these statements; transaction control, LISTEN and the like are sent as
// they are.
bool IsPreparable(std::string_view sql) {
  for (std::string_view verb : {"SELECT", "INSERT", "UPDATE", "DELETE", "WITH"}) {
    if (sql.size() >= verb.size() && strncasecmp(sql.data(), verb.data(), verb.size()) == 0 &&
        (sql.size() == verb.size() || sql[verb.size()] == ' ')) {
      return true;
    }
  }
  return false;
}

std::string TrimmedMessage(const char* message) {
  std::string text = message ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// Server notices ("relation already exists, skipping") and the FATAL message a restarting server
// sends to idle sessions would otherwise go to stderr; errors reach callers as Faults instead.
void IgnoreNotice(void*, const char*) {}

// SQLSTATE classes of errors that can clear: 08 connection exception, 40 transaction rollback
// (serialization failure, deadlock), 53 insufficient resources (disk_full, out_of_memory,
// too_many_connections), 57P operator intervention (admin or crash shutdown, cannot connect
// now), 58 system error (io_error).
bool IsTransientSqlState(std::string_view sqlstate) {
  for (std::string_view prefix : {"08", "40", "53", "57P", "58"}) {
    if (sqlstate.starts_with(prefix)) return true;
  }
  return false;
}

}  // namespace

PostgresResult::~PostgresResult() { PQclear(result_); }

int PostgresResult::Rows() const { return PQntuples(result_); }

int64_t PostgresResult::AffectedRows() const {
  const char* count = PQcmdTuples(result_);
  return count && *count ? std::stoll(count) : 0;
}

bool PostgresResult::IsNull(int row, int column) const {
  return PQgetisnull(result_, row, column) != 0;
}

std::string PostgresResult::Text(int row, int column) const {
  return std::string(PQgetvalue(result_, row, column), PQgetlength(result_, row, column));
}

int64_t PostgresResult::Int64(int row, int column) const {
  const char* begin = PQgetvalue(result_, row, column);
  const char* end = begin + PQgetlength(result_, row, column);
  int64_t value = 0;
  auto [ptr, error] = std::from_chars(begin, end, value);
  if (error != std::errc() || ptr != end) {
    throw Fault("postgres: not an integer in column " + std::to_string(column) + ": " +
                std::string(begin, end));
  }
  return value;
}

bool PostgresResult::Bool(int row, int column) const {
  return PQgetvalue(result_, row, column)[0] == 't';
}

PostgresConnection::PostgresConnection(const std::string& url, int connect_timeout_seconds) {
  const std::string timeout = std::to_string(connect_timeout_seconds);
  // expand_dbname = 1: the first "dbname" is the whole URL; later keywords add to it.
  const char* keywords[] = {"dbname", "connect_timeout", "application_name", nullptr};
  const char* values[] = {url.c_str(), timeout.c_str(), "portrait", nullptr};
  conn_ = PQconnectdbParams(keywords, values, 1);
  if (conn_ == nullptr) throw Fault("postgres: out of memory");
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string message = TrimmedMessage(PQerrorMessage(conn_));
    PQfinish(conn_);
    throw TransientFault("postgres: cannot connect: " + message);
  }
  PQsetNoticeProcessor(conn_, IgnoreNotice, nullptr);  // kept across PQreset
}

PostgresConnection::~PostgresConnection() { PQfinish(conn_); }

void PostgresConnection::ThrowError(std::string_view what, pg_result* result) {
  std::string message = TrimmedMessage(result ? PQresultErrorMessage(result) : nullptr);
  if (message.empty()) message = TrimmedMessage(PQerrorMessage(conn_));
  const char* sqlstate = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const bool transient = sqlstate != nullptr && IsTransientSqlState(sqlstate);
  PQclear(result);
  const std::string text = "postgres: " + std::string(what) + ": " + message;
  if (PQstatus(conn_) != CONNECTION_OK) throw PostgresConnectionLost(text);
  if (transient) throw TransientFault(text);
  throw Fault(text);
}

PostgresResult PostgresConnection::Execute(std::string_view sql,
                                           const std::vector<PostgresParam>& params) {
  if (sql == "COMMIT" || (!InTransaction() && sql != "BEGIN")) commit_attempted_ = true;
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const PostgresParam& param : params) values.push_back(param ? param->c_str() : nullptr);
  const std::string text(sql);
  PGresult* result = nullptr;
  if (const std::string* name = PreparedName(text)) {
    result = PQexecPrepared(conn_, name->c_str(), static_cast<int>(values.size()), values.data(),
                            nullptr, nullptr, 0);
  } else {
    result = PQexecParams(conn_, text.c_str(), static_cast<int>(values.size()), nullptr,
                          values.data(), nullptr, nullptr, 0);
  }
  const ExecStatusType status = PQresultStatus(result);
  if (result == nullptr || (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)) {
    ThrowError(text.substr(0, text.find(' ')), result);
  }
  return PostgresResult(result);
}

const std::string* PostgresConnection::PreparedName(const std::string& sql) {
  if (auto found = prepared_.find(sql); found != prepared_.end()) return &found->second;
  if (!IsPreparable(sql)) return nullptr;
  std::string name = "portrait_" + std::to_string(prepared_.size() + 1);
  PGresult* result = PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr);
  if (result == nullptr || PQresultStatus(result) != PGRES_COMMAND_OK) {
    ThrowError(sql.substr(0, sql.find(' ')), result);
  }
  PQclear(result);
  return &prepared_.emplace(sql, std::move(name)).first->second;
}

void PostgresConnection::ExecuteScript(const std::string& sql) {
  if (!InTransaction()) commit_attempted_ = true;
  PGresult* result = PQexec(conn_, sql.c_str());
  const ExecStatusType status = PQresultStatus(result);
  if (result == nullptr || (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)) {
    ThrowError("script", result);
  }
  PQclear(result);
}

bool PostgresConnection::CheckAlive() {
  if (InTransaction()) return PQstatus(conn_) == CONNECTION_OK;
  // The socket is non-blocking: each read takes what has arrived. A server that ended the
  // session left a FATAL message (taken as a notice while idle) and then end of file, which
  // the next read meets and marks the connection bad.
  constexpr int kReads = 2;
  for (int i = 0; i < kReads && PQstatus(conn_) == CONNECTION_OK; ++i) {
    PQconsumeInput(conn_);
    PQisBusy(conn_);  // parses what was read
  }
  return PQstatus(conn_) == CONNECTION_OK;
}

void PostgresConnection::Reset() {
  prepared_.clear();  // a new session has none
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) {
    throw PostgresConnectionLost("postgres: cannot reconnect: " +
                                 TrimmedMessage(PQerrorMessage(conn_)));
  }
}

bool PostgresConnection::TakeNotifications(std::string_view channel) {
  PQconsumeInput(conn_);
  bool found = false;
  while (PGnotify* notify = PQnotifies(conn_)) {
    found = found || channel == notify->relname;
    PQfreemem(notify);
  }
  return found;
}

bool PostgresConnection::WaitForNotification(std::string_view channel, int timeout_ms) {
  if (TakeNotifications(channel)) return true;
  pollfd socket{PQsocket(conn_), POLLIN, 0};
  if (socket.fd < 0 || poll(&socket, 1, timeout_ms) <= 0) return false;
  return TakeNotifications(channel);
}

bool PostgresConnection::InTransaction() const {
  const PGTransactionStatusType status = PQtransactionStatus(conn_);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

PostgresTransaction::PostgresTransaction(PostgresConnection& connection) : connection_(connection) {
  connection_.Query("BEGIN");
}

PostgresTransaction::~PostgresTransaction() {
  if (committed_ || !connection_.InTransaction()) return;
  try {
    connection_.Query("ROLLBACK");
  } catch (const Fault&) {
    // The connection is broken; the server rolls back on its own when the session ends.
  }
}

void PostgresTransaction::Commit() {
  connection_.Query("COMMIT");
  committed_ = true;
}

}  // namespace portrait::store
