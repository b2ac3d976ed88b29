#pragma once
// Reading records from a row whose columns are in the order of the matching PORTRAIT_*_COLUMNS
// list in postgres_queries.h.
#include <optional>
#include <vector>

#include "common/result.h"
#include "store/postgres_connection.h"
#include "store/records.h"
#include "store/signin_records.h"

namespace portrait::store {

User ReadUser(const PostgresRow& row);
App ReadApp(const PostgresRow& row);
AccessToken ReadAccessToken(const PostgresRow& row);
// An access token from seven columns starting at first.
AccessToken ReadAccessTokenAt(const PostgresRow& row, int first);
// The app's columns, then the token's (all NULL when there is none).
AppAndAccessToken ReadAppAndAccessToken(const PostgresRow& row);
BearerToken ReadBearerToken(const PostgresRow& row);
UploadJob ReadJob(const PostgresRow& row);
RetiredImage ReadRetiredImage(const PostgresRow& row);
RequestToken ReadRequestToken(const PostgresRow& row);
WebSession ReadWebSession(const PostgresRow& row);
// The app's columns, then writable, first and last authorization and the live token count.
ConnectedApp ReadConnectedApp(const PostgresRow& row);

// The first row of a result as a record, or nothing.
template <class Record>
std::optional<Record> First(const PostgresResult& result, Record (*read)(const PostgresRow&)) {
  if (result.Rows() == 0) return std::nullopt;
  return read(result.Row(0));
}

// The row an INSERT ... RETURNING produced.
template <class Record>
Record Inserted(const PostgresResult& result, Record (*read)(const PostgresRow&)) {
  if (result.Rows() == 0) throw Fault("postgres: insert returned no row");
  return read(result.Row(0));
}

template <class Record>
std::vector<Record> All(const PostgresResult& result, Record (*read)(const PostgresRow&)) {
  std::vector<Record> records;
  records.reserve(result.Rows());
  for (int row = 0; row < result.Rows(); ++row) records.push_back(read(result.Row(row)));
  return records;
}

// A ProfileImage from three columns (id, key, extension) starting at first; empty when the id is
// NULL.
std::optional<ProfileImage> ReadImage(const PostgresRow& row, int first);

}  // namespace portrait::store
