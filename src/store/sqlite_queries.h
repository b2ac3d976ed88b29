#pragma once
// The SQL of the SQLite backend, one named constant per statement. Queries that return a record
// select its columns in the order the readers in sqlite_rows.h expect.
#include <string_view>

namespace portrait::store::sql {

#define PORTRAIT_USER_COLUMNS                                                        \
  "id, screen_name, name, location, description, url, email, created_at, image_id, " \
  "image_key, image_extension, profile_link_color"
#define PORTRAIT_APP_COLUMNS "id, name, consumer_key, consumer_secret, revoked, created_at"
#define PORTRAIT_ACCESS_TOKEN_COLUMNS "token, secret, user_id, app_id, revoked, created_at"
#define PORTRAIT_BEARER_TOKEN_COLUMNS "token, app_id, revoked, created_at"
#define PORTRAIT_JOB_COLUMNS                                                                     \
  "id, user_id, upload_blob_key, format, upload_bytes, state, attempts, last_error, "            \
  "created_at, updated_at, lease_until, worker, result_image_id, result_key, result_extension, " \
  "due_at, transient_failures, upload_removed"

// Users.
inline constexpr std::string_view kInsertUser =
    "INSERT INTO users (screen_name, name, location, description, url, email, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING " PORTRAIT_USER_COLUMNS;
inline constexpr std::string_view kSelectUserById =
    "SELECT " PORTRAIT_USER_COLUMNS " FROM users WHERE id = ?";
inline constexpr std::string_view kSelectUserByScreenName =
    "SELECT " PORTRAIT_USER_COLUMNS " FROM users WHERE screen_name = ?";
// ?1 a JSON array of ids, ?2 a JSON array of screen names (the column's NOCASE applies to IN).
inline constexpr std::string_view kSelectUsers =
    "SELECT " PORTRAIT_USER_COLUMNS
    " FROM users"
    " WHERE id IN (SELECT value FROM json_each(?1))"
    " OR screen_name IN (SELECT value FROM json_each(?2))";
inline constexpr std::string_view kSelectAllUsers =
    "SELECT " PORTRAIT_USER_COLUMNS " FROM users ORDER BY id";
// ?1 name, ?2 location, ?3 description, ?4 url, ?5 email (NULL keeps, '' clears), ?6 id.
inline constexpr std::string_view kUpdateProfile =
    "UPDATE users SET name = COALESCE(?1, name),"
    " location = CASE WHEN ?2 IS NULL THEN location ELSE NULLIF(?2, '') END,"
    " description = CASE WHEN ?3 IS NULL THEN description ELSE NULLIF(?3, '') END,"
    " url = CASE WHEN ?4 IS NULL THEN url ELSE NULLIF(?4, '') END,"
    " email = CASE WHEN ?5 IS NULL THEN email ELSE NULLIF(?5, '') END,"
    " profile_link_color = CASE WHEN ?7 IS NULL THEN profile_link_color ELSE NULLIF(?7, '') END"
    " WHERE id = ?6 RETURNING " PORTRAIT_USER_COLUMNS;
inline constexpr std::string_view kSelectUserImage =
    "SELECT image_id, image_key, image_extension, image_job_id FROM users WHERE id = ?";
inline constexpr std::string_view kUpdateUserImage =
    "UPDATE users SET image_id = ?, image_key = ?, image_extension = ?, image_job_id = ?"
    " WHERE id = ?";

// Apps and tokens.
inline constexpr std::string_view kInsertApp =
    "INSERT INTO apps (name, consumer_key, consumer_secret, created_at) VALUES (?, ?, ?, ?)"
    " RETURNING " PORTRAIT_APP_COLUMNS;
inline constexpr std::string_view kSelectAppByConsumerKey =
    "SELECT " PORTRAIT_APP_COLUMNS " FROM apps WHERE consumer_key = ?";
inline constexpr std::string_view kSelectAppById =
    "SELECT " PORTRAIT_APP_COLUMNS " FROM apps WHERE id = ?";
inline constexpr std::string_view kSelectAllApps =
    "SELECT " PORTRAIT_APP_COLUMNS " FROM apps ORDER BY id";
inline constexpr std::string_view kRevokeApp =
    "UPDATE apps SET revoked = 1 WHERE consumer_key = ? RETURNING id";
inline constexpr std::string_view kRevokeAccessTokensOfApp =
    "UPDATE access_tokens SET revoked = 1 WHERE app_id = ? AND revoked = 0";
inline constexpr std::string_view kRevokeBearerTokensOfApp =
    "UPDATE bearer_tokens SET revoked = 1 WHERE app_id = ? AND revoked = 0";

inline constexpr std::string_view kInsertAccessToken =
    "INSERT INTO access_tokens (token, secret, user_id, app_id, created_at) VALUES (?, ?, ?, ?, ?)"
    " RETURNING " PORTRAIT_ACCESS_TOKEN_COLUMNS;
inline constexpr std::string_view kSelectAccessToken =
    "SELECT " PORTRAIT_ACCESS_TOKEN_COLUMNS " FROM access_tokens WHERE token = ?";
inline constexpr std::string_view kSelectAllAccessTokens =
    "SELECT " PORTRAIT_ACCESS_TOKEN_COLUMNS " FROM access_tokens ORDER BY created_at, token";
inline constexpr std::string_view kRevokeAccessToken =
    "UPDATE access_tokens SET revoked = 1 WHERE token = ?";

inline constexpr std::string_view kSelectLiveBearerTokenOfApp =
    "SELECT " PORTRAIT_BEARER_TOKEN_COLUMNS " FROM bearer_tokens WHERE app_id = ? AND revoked = 0";
inline constexpr std::string_view kInsertBearerToken =
    "INSERT INTO bearer_tokens (token, app_id, created_at) VALUES (?, ?, ?)"
    " RETURNING " PORTRAIT_BEARER_TOKEN_COLUMNS;
inline constexpr std::string_view kSelectBearerToken =
    "SELECT " PORTRAIT_BEARER_TOKEN_COLUMNS " FROM bearer_tokens WHERE token = ?";
inline constexpr std::string_view kRevokeBearerToken =
    "UPDATE bearer_tokens SET revoked = 1 WHERE token = ?";

// Nonces: ?1 consumer key, ?2 token, ?3 nonce, ?4 expires_at, ?5 now. Changes one row unless an
// unexpired copy exists (a replay); an expired copy is taken over.
inline constexpr std::string_view kRecordNonce =
    "INSERT INTO nonces (consumer_key, token, nonce, expires_at) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (consumer_key, token, nonce) DO UPDATE SET expires_at = excluded.expires_at"
    " WHERE nonces.expires_at <= ?5";
inline constexpr std::string_view kDeleteExpiredNonces = "DELETE FROM nonces WHERE expires_at <= ?";

// Rate-limit windows: ?1 key, ?2 now, ?3 window seconds. Counts one request in the key's window,
// opening a new one when the last has closed; returns window_start, window_end, count.
// (SET expressions read the row as it was before the update.)
inline constexpr std::string_view kCountRequest =
    "INSERT INTO rate_windows (key, window_start, window_end, count) VALUES (?1, ?2, ?2 + ?3, 1)"
    " ON CONFLICT (key) DO UPDATE SET"
    " count = CASE WHEN rate_windows.window_end <= ?2 THEN 1 ELSE rate_windows.count + 1 END,"
    " window_start = CASE WHEN rate_windows.window_end <= ?2 THEN ?2"
    " ELSE rate_windows.window_start END,"
    " window_end = CASE WHEN rate_windows.window_end <= ?2 THEN ?2 + ?3"
    " ELSE rate_windows.window_end END"
    " RETURNING window_start, window_end, count";
// ?1 <= key < ?2 (a prefix's range), open at ?3.
inline constexpr std::string_view kSelectOpenRateWindows =
    "SELECT key, window_start, window_end, count FROM rate_windows"
    " WHERE key >= ?1 AND key < ?2 AND window_end > ?3 ORDER BY key";
inline constexpr std::string_view kDeleteClosedRateWindows =
    "DELETE FROM rate_windows WHERE window_end <= ?";

// Upload jobs.
// A new job is due at once (due_at 0), whatever clock a claimer passes.
inline constexpr std::string_view kInsertJob =
    "INSERT INTO upload_jobs (user_id, upload_blob_key, format, upload_bytes, state, created_at,"
    " updated_at, due_at) VALUES (?1, ?2, ?3, ?4, 'queued', ?5, ?5, 0)"
    " RETURNING " PORTRAIT_JOB_COLUMNS;
// ?1 worker, ?2 now, ?3 lease_until. One statement, so the pick and the claim are atomic.
inline constexpr std::string_view kClaimJob =
    "UPDATE upload_jobs SET state = 'processing', worker = ?1, lease_until = ?3,"
    " attempts = attempts + 1, updated_at = ?2"
    " WHERE id = (SELECT id FROM upload_jobs"
    "  WHERE (state = 'queued' AND due_at <= ?2) OR (state = 'processing' AND lease_until <= ?2)"
    "  ORDER BY id LIMIT 1)"
    " RETURNING " PORTRAIT_JOB_COLUMNS;
inline constexpr std::string_view kRenewLease =
    "UPDATE upload_jobs SET lease_until = ?1 WHERE id = ?2 AND state = 'processing' AND worker = "
    "?3";
// ?1 image id, ?2 key, ?3 extension, ?4 now, ?5 job id, ?6 worker.
inline constexpr std::string_view kMarkJobDone =
    "UPDATE upload_jobs SET state = 'done', result_image_id = ?1, result_key = ?2,"
    " result_extension = ?3, updated_at = ?4"
    " WHERE id = ?5 AND state = 'processing' AND worker = ?6 RETURNING user_id";
// ?1 reason, ?2 due_at, ?3 now, ?4 job id, ?5 worker.
inline constexpr std::string_view kRequeueJob =
    "UPDATE upload_jobs SET state = 'queued', last_error = ?1, due_at = ?2, updated_at = ?3"
    " WHERE id = ?4 AND state = 'processing' AND worker = ?5";
// ?1 reason, ?2 now, ?3 job id, ?4 worker.
inline constexpr std::string_view kMarkJobFailed =
    "UPDATE upload_jobs SET state = 'failed', last_error = ?1, updated_at = ?2"
    " WHERE id = ?3 AND state = 'processing' AND worker = ?4";
// ?1 reason, ?2 due_at, ?3 now, ?4 job id, ?5 worker.
inline constexpr std::string_view kPostponeJob =
    "UPDATE upload_jobs SET state = 'queued', last_error = ?1, due_at = ?2, updated_at = ?3,"
    " transient_failures = transient_failures + 1"
    " WHERE id = ?4 AND state = 'processing' AND worker = ?5";
// ?1 failed at or before, ?2 limit.
inline constexpr std::string_view kSelectFailedJobUploads =
    "SELECT " PORTRAIT_JOB_COLUMNS
    " FROM upload_jobs"
    " WHERE state = 'failed' AND upload_removed = 0 AND updated_at <= ?1"
    " ORDER BY updated_at, id LIMIT ?2";
inline constexpr std::string_view kMarkFailedJobUploadRemoved =
    "UPDATE upload_jobs SET upload_removed = 1 WHERE id = ? AND state = 'failed'";
inline constexpr std::string_view kCountPendingJobs =
    "SELECT COUNT(*) FROM upload_jobs WHERE state IN ('queued', 'processing')";
inline constexpr std::string_view kSelectOldestPendingJobCreatedAt =
    "SELECT MIN(created_at) FROM upload_jobs WHERE state IN ('queued', 'processing')";
inline constexpr std::string_view kSelectJobById =
    "SELECT " PORTRAIT_JOB_COLUMNS " FROM upload_jobs WHERE id = ?";
inline constexpr std::string_view kSelectRecentJobs =
    "SELECT " PORTRAIT_JOB_COLUMNS " FROM upload_jobs ORDER BY id DESC LIMIT ?";
inline constexpr std::string_view kSelectRecentJobsInState =
    "SELECT " PORTRAIT_JOB_COLUMNS " FROM upload_jobs WHERE state = ? ORDER BY id DESC LIMIT ?";

// Retired images.
inline constexpr std::string_view kInsertRetiredImage =
    "INSERT INTO retired_images (image_id, image_key, image_extension, delete_after)"
    " VALUES (?, ?, ?, ?) ON CONFLICT (image_id) DO NOTHING";
inline constexpr std::string_view kSelectExpiredImages =
    "SELECT image_id, image_key, image_extension, delete_after FROM retired_images"
    " WHERE delete_after <= ? ORDER BY delete_after, image_id LIMIT ?";
inline constexpr std::string_view kDeleteRetiredImage =
    "DELETE FROM retired_images WHERE image_id = ?";

#undef PORTRAIT_USER_COLUMNS
#undef PORTRAIT_APP_COLUMNS
#undef PORTRAIT_ACCESS_TOKEN_COLUMNS
#undef PORTRAIT_BEARER_TOKEN_COLUMNS
#undef PORTRAIT_JOB_COLUMNS

}  // namespace portrait::store::sql
