#pragma once
// Reading records from the current row of a statement whose columns are in the order of the
// matching PORTRAIT_*_COLUMNS list in sqlite_queries.h.
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "store/records.h"
#include "store/signin_records.h"
#include "store/sqlite_connection.h"

namespace portrait::store {

User ReadUser(const Statement& row);
App ReadApp(const Statement& row);
AccessToken ReadAccessToken(const Statement& row);
// An access token from seven columns starting at first.
AccessToken ReadAccessTokenAt(const Statement& row, int first);
// The app's columns, then the token's (all NULL when there is none).
AppAndAccessToken ReadAppAndAccessToken(const Statement& row);
BearerToken ReadBearerToken(const Statement& row);
UploadJob ReadJob(const Statement& row);
RequestToken ReadRequestToken(const Statement& row);
WebSession ReadWebSession(const Statement& row);
// The app's columns, then writable, first and last authorization and the live token count.
ConnectedApp ReadConnectedApp(const Statement& row);

// A ProfileImage from three columns (id, key, extension) starting at first; empty when the id is
// NULL.
std::optional<ProfileImage> ReadImage(const Statement& row, int first);

// The first row as a record, or nothing. Steps the statement to completion so that a write's
// implicit commit happens here, where a failure throws, rather than in a reset that cannot report.
template <class Record, class Reader>
std::optional<Record> ReadOne(Statement& statement, Reader read) {
  if (!statement.Step()) return std::nullopt;
  std::optional<Record> record = read(statement);
  statement.Run();
  return record;
}

// The row an INSERT ... RETURNING produced.
template <class Record, class Reader>
Record ReadInserted(Statement& statement, Reader read) {
  std::optional<Record> record = ReadOne<Record>(statement, read);
  if (!record) throw Fault("sqlite: insert returned no row");
  return std::move(*record);
}

template <class Record, class Reader>
std::vector<Record> ReadAll(Statement& statement, Reader read) {
  std::vector<Record> records;
  while (statement.Step()) records.push_back(read(statement));
  return records;
}

// The state as stored in upload_jobs.state, and back (throws Fault on an unknown name).
std::string_view JobStateName(JobState state);
JobState ParseJobState(std::string_view name);

}  // namespace portrait::store
