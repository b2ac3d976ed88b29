#pragma once
// The SQL of the PostgreSQL backend, one named constant per statement, mirroring
// sqlite_queries.h. Queries that return a record select its columns in the order the readers
// in postgres_rows.h expect. Parameters are $n, bound by PQexecParams in text form.
#include <string_view>

namespace portrait::store::pgsql {

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

// Users. Screen names compare through lower(), matching the unique index.
inline constexpr std::string_view kInsertUser =
    "INSERT INTO users (screen_name, name, location, description, url, email, created_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING " PORTRAIT_USER_COLUMNS;
inline constexpr std::string_view kSelectUserById =
    "SELECT " PORTRAIT_USER_COLUMNS " FROM users WHERE id = $1";
inline constexpr std::string_view kSelectUserByScreenName =
    "SELECT " PORTRAIT_USER_COLUMNS " FROM users WHERE lower(screen_name) = lower($1)";
// $1 a JSON array of ids, $2 a JSON array of screen names.
// Two indexed lookups joined by UNION (which also drops a user named both ways): an OR of the two
// would scan the whole table.
inline constexpr std::string_view kSelectUsers =
    "SELECT " PORTRAIT_USER_COLUMNS
    " FROM users WHERE id IN (SELECT value::bigint FROM json_array_elements_text($1::json))"
    " UNION SELECT " PORTRAIT_USER_COLUMNS
    " FROM users"
    " WHERE lower(screen_name) IN (SELECT lower(value) FROM json_array_elements_text($2::json))";
inline constexpr std::string_view kSelectAllUsers =
    "SELECT " PORTRAIT_USER_COLUMNS " FROM users ORDER BY id";
// $1 name, $2 location, $3 description, $4 url, $5 email (NULL keeps, '' clears), $6 id.
inline constexpr std::string_view kUpdateProfile =
    "UPDATE users SET name = COALESCE($1::text, name),"
    " location = CASE WHEN $2::text IS NULL THEN location ELSE NULLIF($2::text, '') END,"
    " description = CASE WHEN $3::text IS NULL THEN description ELSE NULLIF($3::text, '') END,"
    " url = CASE WHEN $4::text IS NULL THEN url ELSE NULLIF($4::text, '') END,"
    " email = CASE WHEN $5::text IS NULL THEN email ELSE NULLIF($5::text, '') END,"
    " profile_link_color = CASE WHEN $7::text IS NULL THEN profile_link_color"
    " ELSE NULLIF($7::text, '') END"
    " WHERE id = $6 RETURNING " PORTRAIT_USER_COLUMNS;
// Locks the user's row so that concurrent completions for one user apply in turn.
inline constexpr std::string_view kSelectUserImageForUpdate =
    "SELECT image_id, image_key, image_extension, image_job_id FROM users WHERE id = $1"
    " FOR UPDATE";
inline constexpr std::string_view kUpdateUserImage =
    "UPDATE users SET image_id = $1, image_key = $2, image_extension = $3, image_job_id = $4"
    " WHERE id = $5";

// Apps and tokens.
inline constexpr std::string_view kInsertApp =
    "INSERT INTO apps (name, consumer_key, consumer_secret, created_at, description, website,"
    " callback_urls, allow_xauth, access_level) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    " RETURNING " PORTRAIT_APP_COLUMNS;
inline constexpr std::string_view kSelectAppByConsumerKey =
    "SELECT " PORTRAIT_APP_COLUMNS " FROM apps WHERE consumer_key = $1";
inline constexpr std::string_view kSelectAppById =
    "SELECT " PORTRAIT_APP_COLUMNS " FROM apps WHERE id = $1";
// $1 name, $2 description, $3 website, $4 callback URLs (NULL keeps each), $5 allow_xauth (-1
// keeps, 0 or 1 sets), $6 access level (NULL keeps), $7 consumer key.
inline constexpr std::string_view kUpdateApp =
    "UPDATE apps SET name = COALESCE($1::text, name),"
    " description = COALESCE($2::text, description), website = COALESCE($3::text, website),"
    " callback_urls = COALESCE($4::text, callback_urls),"
    " allow_xauth = CASE WHEN $5::int < 0 THEN allow_xauth ELSE $5::int <> 0 END,"
    " access_level = COALESCE($6::text, access_level)"
    " WHERE consumer_key = $7 RETURNING " PORTRAIT_APP_COLUMNS;
inline constexpr std::string_view kSelectAllApps =
    "SELECT " PORTRAIT_APP_COLUMNS " FROM apps ORDER BY id";
inline constexpr std::string_view kRevokeApp =
    "UPDATE apps SET revoked = TRUE WHERE consumer_key = $1 RETURNING id";
inline constexpr std::string_view kRevokeAccessTokensOfApp =
    "UPDATE access_tokens SET revoked = TRUE WHERE app_id = $1 AND NOT revoked";
inline constexpr std::string_view kRevokeBearerTokensOfApp =
    "UPDATE bearer_tokens SET revoked = TRUE WHERE app_id = $1 AND NOT revoked";

inline constexpr std::string_view kInsertAccessToken =
    "INSERT INTO access_tokens (token, secret, user_id, app_id, created_at, access_level)"
    " VALUES ($1, $2, $3, $4, $5, $6) RETURNING " PORTRAIT_ACCESS_TOKEN_COLUMNS;
inline constexpr std::string_view kSelectAccessToken =
    "SELECT " PORTRAIT_ACCESS_TOKEN_COLUMNS " FROM access_tokens WHERE token = $1";
// $1 consumer key, $2 token: the app's columns, then the token's (NULL when none has it).
inline constexpr std::string_view kSelectAppAndAccessToken =
    "SELECT apps.id, apps.name, apps.consumer_key, apps.consumer_secret, apps.revoked,"
    " apps.created_at, apps.description, apps.website, apps.callback_urls, apps.allow_xauth,"
    " apps.access_level, t.token, t.secret, t.user_id, t.app_id, t.revoked, t.created_at,"
    " t.access_level"
    " FROM apps LEFT JOIN access_tokens AS t ON t.token = $2 WHERE apps.consumer_key = $1";
inline constexpr std::string_view kSelectAllAccessTokens =
    "SELECT " PORTRAIT_ACCESS_TOKEN_COLUMNS " FROM access_tokens ORDER BY created_at, token";
inline constexpr std::string_view kRevokeAccessToken =
    "UPDATE access_tokens SET revoked = TRUE WHERE token = $1";

inline constexpr std::string_view kSelectLiveBearerTokenOfApp =
    "SELECT " PORTRAIT_BEARER_TOKEN_COLUMNS " FROM bearer_tokens WHERE app_id = $1 AND NOT revoked";
// Two nodes issuing at once: the loser's insert does nothing and it reads the winner's token.
inline constexpr std::string_view kInsertBearerToken =
    "INSERT INTO bearer_tokens (token, app_id, created_at) VALUES ($1, $2, $3)"
    " ON CONFLICT (app_id) WHERE NOT revoked DO NOTHING RETURNING " PORTRAIT_BEARER_TOKEN_COLUMNS;
inline constexpr std::string_view kSelectBearerToken =
    "SELECT " PORTRAIT_BEARER_TOKEN_COLUMNS " FROM bearer_tokens WHERE token = $1";
inline constexpr std::string_view kRevokeBearerToken =
    "UPDATE bearer_tokens SET revoked = TRUE WHERE token = $1";

// Nonces, many at once: $1 a JSON array of {"c": consumer key, "t": token, "n": nonce,
// "e": expires_at}, without duplicates; $2 now. Records each unless an unexpired copy exists (a
// replay, whichever node recorded it; an expired copy is taken over) and returns those recorded.
// synchronous_commit is off for this transaction alone: the commit does not wait for the
// server's WAL flush (a crash of the server may lose the last ~0.6 s; the node may die freely).
inline constexpr std::string_view kRecordNonces =
    "INSERT INTO nonces (consumer_key, token, nonce, expires_at)"
    " SELECT n.c, n.t, n.n, n.e FROM json_to_recordset($1::json) AS n (c text, t text, n text,"
    " e bigint), (SELECT set_config('synchronous_commit', 'off', true)) AS local_setting"
    " ON CONFLICT (consumer_key, token, nonce) DO UPDATE SET expires_at = excluded.expires_at"
    " WHERE nonces.expires_at <= $2"
    " RETURNING consumer_key, token, nonce";
// $1 now, $2 limit.
inline constexpr std::string_view kDeleteExpiredNonces =
    "DELETE FROM nonces WHERE ctid = ANY (ARRAY("
    "SELECT ctid FROM nonces WHERE expires_at <= $1 LIMIT $2))";

// Rate-limit windows: $1 key, $2 now, $3 window seconds. Counts one request in the key's window,
// opening a new one when the last has closed; returns window_start, window_end, count. The row
// lock makes concurrent counts from every node add up.
// $1 <= key < $2 (a prefix's range, compared bytewise), open at $3.
inline constexpr std::string_view kSelectOpenRateWindows =
    "SELECT key, window_start, window_end, count FROM rate_windows"
    " WHERE key COLLATE \"C\" >= $1 AND key COLLATE \"C\" < $2 AND window_end > $3::bigint"
    " ORDER BY key COLLATE \"C\"";
inline constexpr std::string_view kCountRequest =
    "INSERT INTO rate_windows (key, window_start, window_end, count)"
    " VALUES ($1, $2::bigint, $2::bigint + $3::bigint, 1)"
    " ON CONFLICT (key) DO UPDATE SET"
    " count = CASE WHEN rate_windows.window_end <= $2::bigint THEN 1"
    " ELSE rate_windows.count + 1 END,"
    " window_start = CASE WHEN rate_windows.window_end <= $2::bigint THEN $2::bigint"
    " ELSE rate_windows.window_start END,"
    " window_end = CASE WHEN rate_windows.window_end <= $2::bigint THEN $2::bigint + $3::bigint"
    " ELSE rate_windows.window_end END"
    " RETURNING window_start, window_end, count";
inline constexpr std::string_view kDeleteClosedRateWindows =
    "DELETE FROM rate_windows WHERE window_end <= $1";

// Upload jobs.
// A new job is due at once (due_at 0), whatever clock a claimer passes.
inline constexpr std::string_view kInsertJob =
    "INSERT INTO upload_jobs (user_id, upload_blob_key, format, upload_bytes, state, created_at,"
    " updated_at, due_at, kind, banner_region)"
    " VALUES ($1, $2, $3, $4, 'queued', $5, $5, 0, $6, $7)"
    " RETURNING " PORTRAIT_JOB_COLUMNS;
// Wakes workers LISTENing on any node; delivered when the enqueuing transaction commits.
inline constexpr std::string_view kNotifyJobs = "NOTIFY portrait_jobs";
// $1 worker, $2 now, $3 lease_until. SKIP LOCKED lets concurrent claimers (threads or nodes)
// pass over a row another is claiming instead of waiting for it and then finding it taken.
inline constexpr std::string_view kClaimJob =
    "UPDATE upload_jobs SET state = 'processing', worker = $1, lease_until = $3,"
    " attempts = attempts + 1, updated_at = $2"
    " WHERE id = (SELECT id FROM upload_jobs"
    "  WHERE (state = 'queued' AND due_at <= $2) OR (state = 'processing' AND lease_until <= $2)"
    "  ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1)"
    " RETURNING " PORTRAIT_JOB_COLUMNS;
inline constexpr std::string_view kRenewLease =
    "UPDATE upload_jobs SET lease_until = $1 WHERE id = $2 AND state = 'processing'"
    " AND worker = $3";
// $1 image id, $2 key, $3 extension, $4 now, $5 job id, $6 worker.
inline constexpr std::string_view kMarkJobDone =
    "UPDATE upload_jobs SET state = 'done', result_image_id = $1, result_key = $2,"
    " result_extension = $3, updated_at = $4"
    " WHERE id = $5 AND state = 'processing' AND worker = $6 AND kind = 'profile_image'"
    " RETURNING user_id";
// $1 now, $2 job id, $3 worker. A banner job's result is its own id.
inline constexpr std::string_view kMarkBannerJobDone =
    "UPDATE upload_jobs SET state = 'done', result_image_id = id, result_key = '',"
    " result_extension = 'jpeg', updated_at = $1"
    " WHERE id = $2 AND state = 'processing' AND worker = $3 AND kind = 'banner'"
    " RETURNING user_id";
// Locks the user's row so that completions and removals for one user apply in turn.
inline constexpr std::string_view kSelectUserBannerForUpdate =
    "SELECT banner_id, banner_floor FROM users WHERE id = $1 FOR UPDATE";
inline constexpr std::string_view kUpdateUserBanner =
    "UPDATE users SET banner_id = $1 WHERE id = $2";
// No job accepted before now can bring a banner back.
inline constexpr std::string_view kClearUserBanner =
    "UPDATE users SET banner_id = NULL,"
    " banner_floor = (SELECT COALESCE(MAX(id), 0) FROM upload_jobs) WHERE id = $1";
// $1 reason, $2 due_at, $3 now, $4 job id, $5 worker.
inline constexpr std::string_view kRequeueJob =
    "UPDATE upload_jobs SET state = 'queued', last_error = $1, due_at = $2, updated_at = $3"
    " WHERE id = $4 AND state = 'processing' AND worker = $5";
// $1 reason, $2 now, $3 job id, $4 worker.
inline constexpr std::string_view kMarkJobFailed =
    "UPDATE upload_jobs SET state = 'failed', last_error = $1, updated_at = $2"
    " WHERE id = $3 AND state = 'processing' AND worker = $4";
// $1 reason, $2 due_at, $3 now, $4 job id, $5 worker.
inline constexpr std::string_view kPostponeJob =
    "UPDATE upload_jobs SET state = 'queued', last_error = $1, due_at = $2, updated_at = $3,"
    " transient_failures = transient_failures + 1"
    " WHERE id = $4 AND state = 'processing' AND worker = $5";
// $1 failed at or before, $2 limit.
inline constexpr std::string_view kSelectFailedJobUploads =
    "SELECT " PORTRAIT_JOB_COLUMNS
    " FROM upload_jobs"
    " WHERE state = 'failed' AND upload_removed = 0 AND updated_at <= $1"
    " ORDER BY updated_at, id LIMIT $2";
// $1 finished_before, $2 limit: done jobs, and failed ones whose upload is gone.
inline constexpr std::string_view kDeleteFinishedJobs =
    "DELETE FROM upload_jobs WHERE id IN (SELECT id FROM upload_jobs"
    " WHERE state IN ('done', 'failed') AND updated_at < $1"
    " AND (state = 'done' OR upload_removed = 1) ORDER BY updated_at LIMIT $2)";
inline constexpr std::string_view kMarkFailedJobUploadRemoved =
    "UPDATE upload_jobs SET upload_removed = 1 WHERE id = $1 AND state = 'failed'";
inline constexpr std::string_view kCountPendingJobs =
    "SELECT COUNT(*) FROM upload_jobs WHERE state IN ('queued', 'processing')";
inline constexpr std::string_view kSelectOldestPendingJobCreatedAt =
    "SELECT MIN(created_at) FROM upload_jobs WHERE state IN ('queued', 'processing')";
inline constexpr std::string_view kSelectJobById =
    "SELECT " PORTRAIT_JOB_COLUMNS " FROM upload_jobs WHERE id = $1";
inline constexpr std::string_view kSelectRecentJobs =
    "SELECT " PORTRAIT_JOB_COLUMNS " FROM upload_jobs ORDER BY id DESC LIMIT $1";
inline constexpr std::string_view kSelectRecentJobsInState =
    "SELECT " PORTRAIT_JOB_COLUMNS " FROM upload_jobs WHERE state = $1 ORDER BY id DESC LIMIT $2";

// Retired images.
inline constexpr std::string_view kInsertRetiredImage =
    "INSERT INTO retired_images (image_id, image_key, image_extension, delete_after, kind, user_id)"
    " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (image_id) DO NOTHING";
inline constexpr std::string_view kSelectExpiredImages =
    "SELECT image_id, image_key, image_extension, delete_after, kind, user_id FROM retired_images"
    " WHERE delete_after <= $1 ORDER BY delete_after, image_id LIMIT $2";
inline constexpr std::string_view kDeleteRetiredImage =
    "DELETE FROM retired_images WHERE image_id = $1";

// A person's connected apps: $1 user id, $2 app id.
inline constexpr std::string_view kSelectLiveAccessTokenOfUserForApp =
    "SELECT " PORTRAIT_ACCESS_TOKEN_COLUMNS
    " FROM access_tokens"
    " WHERE user_id = $1 AND app_id = $2 AND NOT revoked ORDER BY created_at DESC, token LIMIT 1";
// The app's columns, then writable, first and last authorization, live token count.
inline constexpr std::string_view kSelectConnectedApps =
    "SELECT " PORTRAIT_APP_COLUMNS
    ", writable, first_at, last_at, live FROM apps JOIN"
    " (SELECT app_id, bool_or(access_level = 'read-write') AS writable,"
    "  MIN(created_at) AS first_at, MAX(created_at) AS last_at, COUNT(*) AS live"
    "  FROM access_tokens WHERE user_id = $1 AND NOT revoked GROUP BY app_id) AS granted"
    " ON granted.app_id = apps.id WHERE NOT apps.revoked ORDER BY first_at, apps.id";
inline constexpr std::string_view kRevokeAccessTokensOfUserForApp =
    "UPDATE access_tokens SET revoked = TRUE WHERE user_id = $1 AND app_id = $2 AND NOT revoked";

// Passwords. Setting one for an unknown user inserts nothing (the SELECT finds no user).
inline constexpr std::string_view kSelectPasswordHash =
    "SELECT hash FROM passwords WHERE user_id = $1";
// $1 user id, $2 hash, $3 now.
inline constexpr std::string_view kSetPasswordHash =
    "INSERT INTO passwords (user_id, hash, updated_at) SELECT id, $2, $3 FROM users WHERE id = $1"
    " ON CONFLICT (user_id) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at";
// $1 user id, $2 expected hash, $3 replacement, $4 now.
inline constexpr std::string_view kReplacePasswordHash =
    "UPDATE passwords SET hash = $3, updated_at = $4 WHERE user_id = $1 AND hash = $2";

// Sign-in throttles: $1 key, $2 now, $3 window seconds, $4 max attempts, $5 lockout seconds.
// A locked key counts nothing; a closed window (lock over) restarts at 1; otherwise one more,
// and the attempt past the maximum locks. The row lock makes concurrent counts of every node add
// up. (SET expressions read the row as it was.)
inline constexpr std::string_view kCountSignInAttempt =
    "INSERT INTO signin_throttles (key, window_start, window_end, attempts, locked_until)"
    " VALUES ($1, $2::bigint, $2::bigint + $3::bigint, 1, 0) ON CONFLICT (key) DO UPDATE SET"
    " attempts = CASE WHEN signin_throttles.locked_until > $2::bigint"
    "  THEN signin_throttles.attempts WHEN signin_throttles.window_end <= $2::bigint THEN 1"
    "  ELSE signin_throttles.attempts + 1 END,"
    " locked_until = CASE WHEN signin_throttles.locked_until > $2::bigint"
    "  THEN signin_throttles.locked_until WHEN signin_throttles.window_end <= $2::bigint THEN 0"
    "  WHEN signin_throttles.attempts + 1 > $4::bigint THEN $2::bigint + $5::bigint"
    "  ELSE signin_throttles.locked_until END,"
    " window_start = CASE WHEN signin_throttles.locked_until <= $2::bigint"
    "  AND signin_throttles.window_end <= $2::bigint THEN $2::bigint"
    "  ELSE signin_throttles.window_start END,"
    " window_end = CASE WHEN signin_throttles.locked_until <= $2::bigint"
    "  AND signin_throttles.window_end <= $2::bigint THEN $2::bigint + $3::bigint"
    "  ELSE signin_throttles.window_end END"
    " RETURNING window_start, window_end, attempts, locked_until";
inline constexpr std::string_view kRefundSignInAttempt =
    "UPDATE signin_throttles SET attempts = GREATEST(attempts - 1, 0)"
    " WHERE key = $1 AND window_end > $2";
inline constexpr std::string_view kClearSignInAttempts =
    "DELETE FROM signin_throttles WHERE key = $1";
inline constexpr std::string_view kPruneSignInThrottles =
    "DELETE FROM signin_throttles WHERE window_end <= $1 AND locked_until <= $1";

// Request tokens.
#define PORTRAIT_REQUEST_TOKEN_COLUMNS                                                    \
  "token, secret, app_id, callback, access_level, state, user_id, verifier, created_at, " \
  "expires_at"
inline constexpr std::string_view kInsertRequestToken =
    "INSERT INTO request_tokens (token, secret, app_id, callback, access_level, state,"
    " created_at, expires_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7)"
    " RETURNING " PORTRAIT_REQUEST_TOKEN_COLUMNS;
inline constexpr std::string_view kSelectRequestToken =
    "SELECT " PORTRAIT_REQUEST_TOKEN_COLUMNS " FROM request_tokens WHERE token = $1";
// Locks the row: a concurrent exchange of the same token (any node) waits, then reads it used.
inline constexpr std::string_view kSelectRequestTokenForUpdate =
    "SELECT " PORTRAIT_REQUEST_TOKEN_COLUMNS " FROM request_tokens WHERE token = $1 FOR UPDATE";
// $1 token, $2 user id, $3 verifier, $4 now.
inline constexpr std::string_view kAuthorizeRequestToken =
    "UPDATE request_tokens SET state = 'authorized', user_id = $2, verifier = $3"
    " WHERE token = $1 AND state = 'pending' AND expires_at > $4"
    " RETURNING " PORTRAIT_REQUEST_TOKEN_COLUMNS;
// $1 token, $2 now.
inline constexpr std::string_view kDenyRequestToken =
    "UPDATE request_tokens SET state = 'denied'"
    " WHERE token = $1 AND state = 'pending' AND expires_at > $2"
    " RETURNING " PORTRAIT_REQUEST_TOKEN_COLUMNS;
inline constexpr std::string_view kMarkRequestTokenUsed =
    "UPDATE request_tokens SET state = 'used' WHERE token = $1";
inline constexpr std::string_view kPruneRequestTokens =
    "DELETE FROM request_tokens WHERE expires_at <= $1";

// Web sessions.
#define PORTRAIT_WEB_SESSION_COLUMNS \
  "id_hash, user_id, csrf_token, created_at, last_seen_at, idle_expires_at, expires_at"
inline constexpr std::string_view kInsertWebSession =
    "INSERT INTO web_sessions (" PORTRAIT_WEB_SESSION_COLUMNS
    ") VALUES ($1, $2, $3, $4, $5, $6, $7)";
// $1 id hash, $2 now, $3 idle seconds.
inline constexpr std::string_view kTouchWebSession =
    "UPDATE web_sessions SET last_seen_at = $2::bigint,"
    " idle_expires_at = LEAST($2::bigint + $3::bigint, expires_at)"
    " WHERE id_hash = $1 AND idle_expires_at > $2::bigint RETURNING " PORTRAIT_WEB_SESSION_COLUMNS;
inline constexpr std::string_view kDeleteWebSession = "DELETE FROM web_sessions WHERE id_hash = $1";
inline constexpr std::string_view kDeleteWebSessionsOfUser =
    "DELETE FROM web_sessions WHERE user_id = $1";
inline constexpr std::string_view kPruneWebSessions =
    "DELETE FROM web_sessions WHERE idle_expires_at <= $1";

#undef PORTRAIT_REQUEST_TOKEN_COLUMNS
#undef PORTRAIT_WEB_SESSION_COLUMNS
#undef PORTRAIT_USER_COLUMNS
#undef PORTRAIT_APP_COLUMNS
#undef PORTRAIT_ACCESS_TOKEN_COLUMNS
#undef PORTRAIT_BEARER_TOKEN_COLUMNS
#undef PORTRAIT_JOB_COLUMNS

}  // namespace portrait::store::pgsql
