#pragma once
// Reading records from a row whose columns are in the order of the matching PORTRAIT_*_COLUMNS
// list in postgres_queries.h.
#include <optional>

#include "store/postgres_connection.h"
#include "store/records.h"

namespace portrait::store {

User ReadUser(const PostgresRow& row);
App ReadApp(const PostgresRow& row);
AccessToken ReadAccessToken(const PostgresRow& row);
BearerToken ReadBearerToken(const PostgresRow& row);
UploadJob ReadJob(const PostgresRow& row);
RetiredImage ReadRetiredImage(const PostgresRow& row);

// A ProfileImage from three columns (id, key, extension) starting at first; empty when the id is
// NULL.
std::optional<ProfileImage> ReadImage(const PostgresRow& row, int first);

}  // namespace portrait::store
