#pragma once
// The SQL of the SQLite backend, one named constant per statement. Queries that return a record
// select its columns in the order the readers in sqlite_rows.h expect.
#include <string_view>

namespace portrait::store::sql {

#define PORTRAIT_USER_COLUMNS                                                        \
  "id, screen_name, name, location, description, url, email, created_at, image_id, " \
  "image_key, image_extension, profile_link_color, banner_id"
#define PORTRAIT_APP_COLUMNS                                                             \
  "id, name, consumer_key, consumer_secret, revoked, created_at, description, website, " \
  "callback_urls, allow_xauth, access_level"
#define PORTRAIT_ACCESS_TOKEN_COLUMNS \
  "token, secret, user_id, app_id, revoked, created_at, access_level"
#define PORTRAIT_BEARER_TOKEN_COLUMNS "token, app_id, revoked, created_at"
#define PORTRAIT_JOB_COLUMNS                                                                     \
  "id, user_id, upload_blob_key, format, upload_bytes, state, attempts, last_error, "            \
  "created_at, updated_at, lease_until, worker, result_image_id, result_key, result_extension, " \
  "due_at, transient_failures, upload_removed, kind, banner_region"

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
    "INSERT INTO apps (name, consumer_key, consumer_secret, created_at, description, website,"
    " callback_urls, allow_xauth, access_level) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " RETURNING " PORTRAIT_APP_COLUMNS;
inline constexpr std::string_view kSelectAppByConsumerKey =
    "SELECT " PORTRAIT_APP_COLUMNS " FROM apps WHERE consumer_key = ?";
inline constexpr std::string_view kSelectAppById =
    "SELECT " PORTRAIT_APP_COLUMNS " FROM apps WHERE id = ?";
// ?1 name, ?2 description, ?3 website, ?4 callback URLs (NULL keeps each), ?5 allow_xauth (-1
// keeps), ?6 access level (NULL keeps), ?7 consumer key.
inline constexpr std::string_view kUpdateApp =
    "UPDATE apps SET name = COALESCE(?1, name), description = COALESCE(?2, description),"
    " website = COALESCE(?3, website), callback_urls = COALESCE(?4, callback_urls),"
    " allow_xauth = CASE WHEN ?5 < 0 THEN allow_xauth ELSE ?5 END,"
    " access_level = COALESCE(?6, access_level)"
    " WHERE consumer_key = ?7 RETURNING " PORTRAIT_APP_COLUMNS;
inline constexpr std::string_view kSelectAllApps =
    "SELECT " PORTRAIT_APP_COLUMNS " FROM apps ORDER BY id";
inline constexpr std::string_view kRevokeApp =
    "UPDATE apps SET revoked = 1 WHERE consumer_key = ? RETURNING id";
inline constexpr std::string_view kRevokeAccessTokensOfApp =
    "UPDATE access_tokens SET revoked = 1 WHERE app_id = ? AND revoked = 0";
inline constexpr std::string_view kRevokeBearerTokensOfApp =
    "UPDATE bearer_tokens SET revoked = 1 WHERE app_id = ? AND revoked = 0";

inline constexpr std::string_view kInsertAccessToken =
    "INSERT INTO access_tokens (token, secret, user_id, app_id, created_at, access_level)"
    " VALUES (?, ?, ?, ?, ?, ?) RETURNING " PORTRAIT_ACCESS_TOKEN_COLUMNS;
inline constexpr std::string_view kSelectAccessToken =
    "SELECT " PORTRAIT_ACCESS_TOKEN_COLUMNS " FROM access_tokens WHERE token = ?";
// ?1 consumer key, ?2 token: the app's columns, then the token's (NULL when none has it).
inline constexpr std::string_view kSelectAppAndAccessToken =
    "SELECT apps.id, apps.name, apps.consumer_key, apps.consumer_secret, apps.revoked,"
    " apps.created_at, apps.description, apps.website, apps.callback_urls, apps.allow_xauth,"
    " apps.access_level, t.token, t.secret, t.user_id, t.app_id, t.revoked, t.created_at,"
    " t.access_level"
    " FROM apps LEFT JOIN access_tokens AS t ON t.token = ?2 WHERE apps.consumer_key = ?1";
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
    " updated_at, due_at, kind, banner_region) VALUES (?1, ?2, ?3, ?4, 'queued', ?5, ?5, 0, ?6, ?7)"
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
    " WHERE id = ?5 AND state = 'processing' AND worker = ?6 AND kind = 'profile_image'"
    " RETURNING user_id";
// ?1 now, ?2 job id, ?3 worker. A banner job's result is its own id.
inline constexpr std::string_view kMarkBannerJobDone =
    "UPDATE upload_jobs SET state = 'done', result_image_id = id, result_key = '',"
    " result_extension = 'jpeg', updated_at = ?1"
    " WHERE id = ?2 AND state = 'processing' AND worker = ?3 AND kind = 'banner'"
    " RETURNING user_id";
inline constexpr std::string_view kSelectUserBanner =
    "SELECT banner_id, banner_floor FROM users WHERE id = ?";
inline constexpr std::string_view kUpdateUserBanner = "UPDATE users SET banner_id = ? WHERE id = ?";
// No job accepted before now can bring a banner back.
inline constexpr std::string_view kClearUserBanner =
    "UPDATE users SET banner_id = NULL,"
    " banner_floor = (SELECT COALESCE(MAX(id), 0) FROM upload_jobs) WHERE id = ?";
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
// ?1 finished_before, ?2 limit: done jobs, and failed ones whose upload is gone.
inline constexpr std::string_view kDeleteFinishedJobs =
    "DELETE FROM upload_jobs WHERE id IN (SELECT id FROM upload_jobs"
    " WHERE state IN ('done', 'failed') AND updated_at < ?1"
    " AND (state = 'done' OR upload_removed = 1) ORDER BY updated_at LIMIT ?2)";
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
    "INSERT INTO retired_images (image_id, image_key, image_extension, delete_after, kind, user_id)"
    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (image_id) DO NOTHING";
inline constexpr std::string_view kSelectExpiredImages =
    "SELECT image_id, image_key, image_extension, delete_after, kind, user_id FROM retired_images"
    " WHERE delete_after <= ? ORDER BY delete_after, image_id LIMIT ?";
inline constexpr std::string_view kDeleteRetiredImage =
    "DELETE FROM retired_images WHERE image_id = ?";

// A person's connected apps: ?1 user id, ?2 app id.
inline constexpr std::string_view kSelectLiveAccessTokenOfUserForApp =
    "SELECT " PORTRAIT_ACCESS_TOKEN_COLUMNS
    " FROM access_tokens"
    " WHERE user_id = ?1 AND app_id = ?2 AND revoked = 0 ORDER BY created_at DESC, token LIMIT 1";
// The app's columns, then writable (0/1), first and last authorization, live token count.
inline constexpr std::string_view kSelectConnectedApps =
    "SELECT " PORTRAIT_APP_COLUMNS
    ", writable, first_at, last_at, live FROM apps JOIN"
    " (SELECT app_id, MAX(access_level = 'read-write') AS writable, MIN(created_at) AS first_at,"
    "  MAX(created_at) AS last_at, COUNT(*) AS live FROM access_tokens"
    "  WHERE user_id = ?1 AND revoked = 0 GROUP BY app_id) AS granted ON granted.app_id = apps.id"
    " WHERE apps.revoked = 0 ORDER BY first_at, apps.id";
inline constexpr std::string_view kRevokeAccessTokensOfUserForApp =
    "UPDATE access_tokens SET revoked = 1 WHERE user_id = ?1 AND app_id = ?2 AND revoked = 0";

// Passwords. Setting one for an unknown user inserts nothing (the SELECT finds no user).
inline constexpr std::string_view kSelectPasswordHash =
    "SELECT hash FROM passwords WHERE user_id = ?";
// ?1 user id, ?2 hash, ?3 now.
inline constexpr std::string_view kSetPasswordHash =
    "INSERT INTO passwords (user_id, hash, updated_at) SELECT id, ?2, ?3 FROM users WHERE id = ?1"
    " ON CONFLICT (user_id) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at";
// ?1 user id, ?2 expected hash, ?3 replacement, ?4 now.
inline constexpr std::string_view kReplacePasswordHash =
    "UPDATE passwords SET hash = ?3, updated_at = ?4 WHERE user_id = ?1 AND hash = ?2";

// Sign-in throttles: ?1 key, ?2 now, ?3 window seconds, ?4 max attempts, ?5 lockout seconds.
// A locked key counts nothing; a closed window (lock over) restarts at 1; otherwise one more,
// and the attempt past the maximum locks. (SET expressions read the row as it was.)
inline constexpr std::string_view kCountSignInAttempt =
    "INSERT INTO signin_throttles (key, window_start, window_end, attempts, locked_until)"
    " VALUES (?1, ?2, ?2 + ?3, 1, 0) ON CONFLICT (key) DO UPDATE SET"
    " attempts = CASE WHEN signin_throttles.locked_until > ?2 THEN signin_throttles.attempts"
    "  WHEN signin_throttles.window_end <= ?2 THEN 1 ELSE signin_throttles.attempts + 1 END,"
    " locked_until = CASE WHEN signin_throttles.locked_until > ?2 THEN "
    "signin_throttles.locked_until"
    "  WHEN signin_throttles.window_end <= ?2 THEN 0"
    "  WHEN signin_throttles.attempts + 1 > ?4 THEN ?2 + ?5 ELSE signin_throttles.locked_until END,"
    " window_start = CASE WHEN signin_throttles.locked_until <= ?2"
    "  AND signin_throttles.window_end <= ?2 THEN ?2 ELSE signin_throttles.window_start END,"
    " window_end = CASE WHEN signin_throttles.locked_until <= ?2"
    "  AND signin_throttles.window_end <= ?2 THEN ?2 + ?3 ELSE signin_throttles.window_end END"
    " RETURNING window_start, window_end, attempts, locked_until";
inline constexpr std::string_view kRefundSignInAttempt =
    "UPDATE signin_throttles SET attempts = MAX(attempts - 1, 0) WHERE key = ?1 AND window_end > "
    "?2";
inline constexpr std::string_view kClearSignInAttempts =
    "DELETE FROM signin_throttles WHERE key = ?";
inline constexpr std::string_view kPruneSignInThrottles =
    "DELETE FROM signin_throttles WHERE window_end <= ?1 AND locked_until <= ?1";

// Request tokens.
#define PORTRAIT_REQUEST_TOKEN_COLUMNS                                                    \
  "token, secret, app_id, callback, access_level, state, user_id, verifier, created_at, " \
  "expires_at"
inline constexpr std::string_view kInsertRequestToken =
    "INSERT INTO request_tokens (token, secret, app_id, callback, access_level, state,"
    " created_at, expires_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)"
    " RETURNING " PORTRAIT_REQUEST_TOKEN_COLUMNS;
inline constexpr std::string_view kSelectRequestToken =
    "SELECT " PORTRAIT_REQUEST_TOKEN_COLUMNS " FROM request_tokens WHERE token = ?";
// ?1 token, ?2 user id, ?3 verifier, ?4 now.
inline constexpr std::string_view kAuthorizeRequestToken =
    "UPDATE request_tokens SET state = 'authorized', user_id = ?2, verifier = ?3"
    " WHERE token = ?1 AND state = 'pending' AND expires_at > ?4"
    " RETURNING " PORTRAIT_REQUEST_TOKEN_COLUMNS;
// ?1 token, ?2 now.
inline constexpr std::string_view kDenyRequestToken =
    "UPDATE request_tokens SET state = 'denied'"
    " WHERE token = ?1 AND state = 'pending' AND expires_at > ?2"
    " RETURNING " PORTRAIT_REQUEST_TOKEN_COLUMNS;
inline constexpr std::string_view kMarkRequestTokenUsed =
    "UPDATE request_tokens SET state = 'used' WHERE token = ?";
inline constexpr std::string_view kPruneRequestTokens =
    "DELETE FROM request_tokens WHERE expires_at <= ?";

// Web sessions.
#define PORTRAIT_WEB_SESSION_COLUMNS \
  "id_hash, user_id, csrf_token, created_at, last_seen_at, idle_expires_at, expires_at"
inline constexpr std::string_view kInsertWebSession =
    "INSERT INTO web_sessions (" PORTRAIT_WEB_SESSION_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?)";
// ?1 id hash, ?2 now, ?3 idle seconds.
inline constexpr std::string_view kTouchWebSession =
    "UPDATE web_sessions SET last_seen_at = ?2, idle_expires_at = MIN(?2 + ?3, expires_at)"
    " WHERE id_hash = ?1 AND idle_expires_at > ?2 RETURNING " PORTRAIT_WEB_SESSION_COLUMNS;
inline constexpr std::string_view kDeleteWebSession = "DELETE FROM web_sessions WHERE id_hash = ?";
inline constexpr std::string_view kDeleteWebSessionsOfUser =
    "DELETE FROM web_sessions WHERE user_id = ?";
inline constexpr std::string_view kPruneWebSessions =
    "DELETE FROM web_sessions WHERE idle_expires_at <= ?";

#undef PORTRAIT_REQUEST_TOKEN_COLUMNS
#undef PORTRAIT_WEB_SESSION_COLUMNS
#undef PORTRAIT_USER_COLUMNS
#undef PORTRAIT_APP_COLUMNS
#undef PORTRAIT_ACCESS_TOKEN_COLUMNS
#undef PORTRAIT_BEARER_TOKEN_COLUMNS
#undef PORTRAIT_JOB_COLUMNS

}  // namespace portrait::store::sql
