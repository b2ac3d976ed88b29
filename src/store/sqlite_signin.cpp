#include "store/sqlite_signin.h"

#include <string>

#include "store/column_codecs.h"
#include "store/generated_credentials.h"
#include "store/request_token_rules.h"
#include "store/sqlite_queries.h"
#include "store/sqlite_rows.h"

namespace portrait::store {

std::optional<AccessToken> SqliteSignInTables::FindLiveAccessToken(int64_t user_id,
                                                                   int64_t app_id) {
  auto reader = readers_.Acquire();
  Statement select = reader->Prepare(sql::kSelectLiveAccessTokenOfUserForApp);
  select.BindAll(user_id, app_id);
  return ReadOne<AccessToken>(select, ReadAccessToken);
}

std::vector<ConnectedApp> SqliteSignInTables::ListConnectedApps(int64_t user_id) {
  auto reader = readers_.Acquire();
  Statement select = reader->Prepare(sql::kSelectConnectedApps);
  select.BindAll(user_id);
  return ReadAll<ConnectedApp>(select, ReadConnectedApp);
}

int64_t SqliteSignInTables::RevokeAppForUser(int64_t user_id, int64_t app_id) {
  std::lock_guard lock(write_mutex_);
  return writer_.Prepare(sql::kRevokeAccessTokensOfUserForApp).BindAll(user_id, app_id).Run();
}

std::optional<std::string> SqliteSignInTables::FindPasswordHash(int64_t user_id) {
  auto reader = readers_.Acquire();
  Statement select = reader->Prepare(sql::kSelectPasswordHash);
  select.BindAll(user_id);
  return ReadOne<std::string>(select, [](const Statement& row) { return row.Text(0); });
}

bool SqliteSignInTables::SetPasswordHash(int64_t user_id, std::string_view hash, int64_t now) {
  std::lock_guard lock(write_mutex_);
  WriteTransaction transaction(writer_);
  if (writer_.Prepare(sql::kSetPasswordHash).BindAll(user_id, hash, now).Run() == 0) return false;
  writer_.Prepare(sql::kDeleteWebSessionsOfUser).BindAll(user_id).Run();
  transaction.Commit();
  return true;
}

bool SqliteSignInTables::ReplacePasswordHash(int64_t user_id, std::string_view expected,
                                             std::string_view replacement, int64_t now) {
  std::lock_guard lock(write_mutex_);
  Statement replace = writer_.Prepare(sql::kReplacePasswordHash);
  return replace.BindAll(user_id, expected, replacement, now).Run() > 0;
}

ThrottleWindow SqliteSignInTables::CountSignInAttempt(std::string_view key, int64_t now,
                                                      const ThrottlePolicy& policy) {
  std::lock_guard lock(write_mutex_);
  Statement count = writer_.Prepare(sql::kCountSignInAttempt);
  count.BindAll(key, now, policy.window_seconds, policy.max_attempts, policy.lockout_seconds);
  std::optional<ThrottleWindow> window = ReadOne<ThrottleWindow>(count, [](const Statement& row) {
    return ThrottleWindow{row.Int64(0), row.Int64(1), row.Int64(2), row.Int64(3)};
  });
  if (!window) throw Fault("sqlite: counting a sign-in attempt returned no row");
  return *window;
}

void SqliteSignInTables::RefundSignInAttempt(std::string_view key, int64_t now) {
  std::lock_guard lock(write_mutex_);
  writer_.Prepare(sql::kRefundSignInAttempt).BindAll(key, now).Run();
}

void SqliteSignInTables::ClearSignInAttempts(std::string_view key) {
  std::lock_guard lock(write_mutex_);
  writer_.Prepare(sql::kClearSignInAttempts).BindAll(key).Run();
}

int64_t SqliteSignInTables::PruneSignInThrottles(int64_t now) {
  std::lock_guard lock(write_mutex_);
  return writer_.Prepare(sql::kPruneSignInThrottles).BindAll(now).Run();
}

RequestToken SqliteSignInTables::CreateRequestToken(const NewRequestToken& token, int64_t now) {
  std::lock_guard lock(write_mutex_);
  Statement insert = writer_.Prepare(sql::kInsertRequestToken);
  insert.BindAll(GenerateRequestToken(), GenerateRequestTokenSecret(), token.app_id, token.callback,
                 AccessLevelName(token.access_level), now, token.expires_at);
  return ReadInserted<RequestToken>(insert, ReadRequestToken);
}

std::optional<RequestToken> SqliteSignInTables::FindRequestToken(std::string_view token) {
  auto reader = readers_.Acquire();
  Statement select = reader->Prepare(sql::kSelectRequestToken);
  select.BindAll(token);
  return ReadOne<RequestToken>(select, ReadRequestToken);
}

RequestTokenRefusal SqliteSignInTables::WhyUndecidable(std::string_view token, int64_t now) {
  Statement select = writer_.Prepare(sql::kSelectRequestToken);
  select.BindAll(token);
  return store::WhyUndecidable(ReadOne<RequestToken>(select, ReadRequestToken), now);
}

Result<RequestToken, RequestTokenRefusal> SqliteSignInTables::AuthorizeRequestToken(
    std::string_view token, int64_t user_id, std::string_view verifier, int64_t now) {
  std::lock_guard lock(write_mutex_);
  std::optional<RequestToken> authorized;
  {
    Statement authorize = writer_.Prepare(sql::kAuthorizeRequestToken);
    authorize.BindAll(token, user_id, verifier, now);
    authorized = ReadOne<RequestToken>(authorize, ReadRequestToken);
  }
  if (!authorized) return Failure{WhyUndecidable(token, now)};
  return std::move(*authorized);
}

Result<RequestToken, RequestTokenRefusal> SqliteSignInTables::DenyRequestToken(
    std::string_view token, int64_t now) {
  std::lock_guard lock(write_mutex_);
  std::optional<RequestToken> denied;
  {
    Statement deny = writer_.Prepare(sql::kDenyRequestToken);
    deny.BindAll(token, now);
    denied = ReadOne<RequestToken>(deny, ReadRequestToken);
  }
  if (!denied) return Failure{WhyUndecidable(token, now)};
  return std::move(*denied);
}

Result<AccessToken, ExchangeRefusal> SqliteSignInTables::ExchangeRequestToken(
    std::string_view token, int64_t app_id, std::string_view verifier, int64_t now) {
  std::lock_guard lock(write_mutex_);
  // BEGIN IMMEDIATE: another process exchanging the same token waits here, then reads it used.
  WriteTransaction transaction(writer_);
  std::optional<RequestToken> row;
  {
    Statement select = writer_.Prepare(sql::kSelectRequestToken);
    select.BindAll(token);
    row = ReadOne<RequestToken>(select, ReadRequestToken);
  }
  const ExchangeDecision decision = DecideExchange(row, app_id, verifier, now);
  if (decision.use_up) writer_.Prepare(sql::kMarkRequestTokenUsed).BindAll(token).Run();
  std::optional<AccessToken> issued;
  if (!decision.refusal) {
    Statement insert = writer_.Prepare(sql::kInsertAccessToken);
    insert.BindAll(GenerateAccessToken(*row->user_id), GenerateAccessTokenSecret(), *row->user_id,
                   row->app_id, now, AccessLevelName(row->access_level));
    issued = ReadInserted<AccessToken>(insert, ReadAccessToken);
  }
  transaction.Commit();
  if (decision.refusal) return Failure{*decision.refusal};
  return std::move(*issued);
}

int64_t SqliteSignInTables::PruneRequestTokens(int64_t now) {
  std::lock_guard lock(write_mutex_);
  return writer_.Prepare(sql::kPruneRequestTokens).BindAll(now).Run();
}

void SqliteSignInTables::CreateWebSession(const WebSession& session) {
  std::lock_guard lock(write_mutex_);
  writer_.Prepare(sql::kInsertWebSession)
      .BindAll(session.id_hash, session.user_id, session.csrf_token, session.created_at,
               session.last_seen_at, session.idle_expires_at, session.expires_at)
      .Run();
}

std::optional<WebSession> SqliteSignInTables::TouchWebSession(std::string_view id_hash, int64_t now,
                                                              int64_t idle_seconds) {
  std::lock_guard lock(write_mutex_);
  Statement touch = writer_.Prepare(sql::kTouchWebSession);
  touch.BindAll(id_hash, now, idle_seconds);
  return ReadOne<WebSession>(touch, ReadWebSession);
}

bool SqliteSignInTables::DeleteWebSession(std::string_view id_hash) {
  std::lock_guard lock(write_mutex_);
  return writer_.Prepare(sql::kDeleteWebSession).BindAll(id_hash).Run() > 0;
}

int64_t SqliteSignInTables::DeleteWebSessionsOfUser(int64_t user_id) {
  std::lock_guard lock(write_mutex_);
  return writer_.Prepare(sql::kDeleteWebSessionsOfUser).BindAll(user_id).Run();
}

int64_t SqliteSignInTables::PruneWebSessions(int64_t now) {
  std::lock_guard lock(write_mutex_);
  return writer_.Prepare(sql::kPruneWebSessions).BindAll(now).Run();
}

}  // namespace portrait::store
