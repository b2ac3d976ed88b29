#pragma once
// Reading records from the current row of a statement whose columns are in the order of the
// matching PORTRAIT_*_COLUMNS list in sqlite_queries.h.
#include <optional>
#include <string_view>

#include "store/records.h"
#include "store/sqlite_connection.h"

namespace portrait::store {

User ReadUser(const Statement& row);
App ReadApp(const Statement& row);
AccessToken ReadAccessToken(const Statement& row);
BearerToken ReadBearerToken(const Statement& row);
UploadJob ReadJob(const Statement& row);

// A ProfileImage from three columns (id, key, extension) starting at first; empty when the id is
// NULL.
std::optional<ProfileImage> ReadImage(const Statement& row, int first);

// The state as stored in upload_jobs.state, and back (throws Fault on an unknown name).
std::string_view JobStateName(JobState state);
JobState ParseJobState(std::string_view name);

}  // namespace portrait::store
