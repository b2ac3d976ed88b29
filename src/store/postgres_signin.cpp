#include "store/postgres_signin.h"

#include <string>

#include "store/column_codecs.h"
#include "store/generated_credentials.h"
#include "store/postgres_queries.h"
#include "store/postgres_rows.h"
#include "store/request_token_rules.h"

namespace portrait::store {
namespace {

std::string ReadHash(const PostgresRow& row) { return row.Text(0); }

ThrottleWindow ReadThrottleWindow(const PostgresRow& row) {
  return ThrottleWindow{row.Int64(0), row.Int64(1), row.Int64(2), row.Int64(3)};
}

}  // namespace

std::optional<AccessToken> PostgresSignInTables::FindLiveAccessToken(int64_t user_id,
                                                                     int64_t app_id) {
  return pool_.Run(RetryPolicy::kRead, [&](PostgresConnection& connection) {
    return First(connection.Query(pgsql::kSelectLiveAccessTokenOfUserForApp, user_id, app_id),
                 ReadAccessToken);
  });
}

std::vector<ConnectedApp> PostgresSignInTables::ListConnectedApps(int64_t user_id) {
  return pool_.Run(RetryPolicy::kRead, [&](PostgresConnection& connection) {
    return All(connection.Query(pgsql::kSelectConnectedApps, user_id), ReadConnectedApp);
  });
}

int64_t PostgresSignInTables::RevokeAppForUser(int64_t user_id, int64_t app_id) {
  return pool_.Run(RetryPolicy::kWrite, [&](PostgresConnection& connection) {
    return connection.Query(pgsql::kRevokeAccessTokensOfUserForApp, user_id, app_id).AffectedRows();
  });
}

std::optional<std::string> PostgresSignInTables::FindPasswordHash(int64_t user_id) {
  return pool_.Run(RetryPolicy::kRead, [&](PostgresConnection& connection) {
    return First(connection.Query(pgsql::kSelectPasswordHash, user_id), ReadHash);
  });
}

bool PostgresSignInTables::SetPasswordHash(int64_t user_id, std::string_view hash, int64_t now) {
  return pool_.Run(RetryPolicy::kWrite, [&](PostgresConnection& connection) {
    PostgresTransaction transaction(connection);
    if (connection.Query(pgsql::kSetPasswordHash, user_id, hash, now).AffectedRows() == 0) {
      return false;
    }
    connection.Query(pgsql::kDeleteWebSessionsOfUser, user_id);
    transaction.Commit();
    return true;
  });
}

bool PostgresSignInTables::ReplacePasswordHash(int64_t user_id, std::string_view expected,
                                               std::string_view replacement, int64_t now) {
  return pool_.Run(RetryPolicy::kWrite, [&](PostgresConnection& connection) {
    return connection.Query(pgsql::kReplacePasswordHash, user_id, expected, replacement, now)
               .AffectedRows() > 0;
  });
}

ThrottleWindow PostgresSignInTables::CountSignInAttempt(std::string_view key, int64_t now,
                                                        const ThrottlePolicy& policy) {
  return pool_.Run(RetryPolicy::kWrite, [&](PostgresConnection& connection) {
    PostgresResult counted =
        connection.Query(pgsql::kCountSignInAttempt, key, now, policy.window_seconds,
                         policy.max_attempts, policy.lockout_seconds);
    if (counted.Rows() == 0) throw Fault("postgres: counting a sign-in attempt returned no row");
    return ReadThrottleWindow(counted.Row(0));
  });
}

void PostgresSignInTables::RefundSignInAttempt(std::string_view key, int64_t now) {
  pool_.Run(RetryPolicy::kWrite, [&](PostgresConnection& connection) {
    connection.Query(pgsql::kRefundSignInAttempt, key, now);
  });
}

void PostgresSignInTables::ClearSignInAttempts(std::string_view key) {
  pool_.Run(RetryPolicy::kWrite, [&](PostgresConnection& connection) {
    connection.Query(pgsql::kClearSignInAttempts, key);
  });
}

int64_t PostgresSignInTables::PruneSignInThrottles(int64_t now) {
  return pool_.Run(RetryPolicy::kWrite, [&](PostgresConnection& connection) {
    return connection.Query(pgsql::kPruneSignInThrottles, now).AffectedRows();
  });
}

RequestToken PostgresSignInTables::CreateRequestToken(const NewRequestToken& token, int64_t now) {
  const std::string value = GenerateRequestToken();
  const std::string secret = GenerateRequestTokenSecret();
  return pool_.Run(RetryPolicy::kWrite, [&](PostgresConnection& connection) {
    return Inserted(
        connection.Query(pgsql::kInsertRequestToken, value, secret, token.app_id, token.callback,
                         AccessLevelName(token.access_level), now, token.expires_at),
        ReadRequestToken);
  });
}

std::optional<RequestToken> PostgresSignInTables::FindRequestToken(std::string_view token) {
  return pool_.Run(RetryPolicy::kRead, [&](PostgresConnection& connection) {
    return First(connection.Query(pgsql::kSelectRequestToken, token), ReadRequestToken);
  });
}

Result<RequestToken, RequestTokenRefusal> PostgresSignInTables::AuthorizeRequestToken(
    std::string_view token, int64_t user_id, std::string_view verifier, int64_t now) {
  return pool_.Run(
      RetryPolicy::kWrite,
      [&](PostgresConnection& connection) -> Result<RequestToken, RequestTokenRefusal> {
        if (std::optional<RequestToken> authorized = First(
                connection.Query(pgsql::kAuthorizeRequestToken, token, user_id, verifier, now),
                ReadRequestToken)) {
          return std::move(*authorized);
        }
        return Failure{WhyUndecidable(
            First(connection.Query(pgsql::kSelectRequestToken, token), ReadRequestToken), now)};
      });
}

Result<RequestToken, RequestTokenRefusal> PostgresSignInTables::DenyRequestToken(
    std::string_view token, int64_t now) {
  return pool_.Run(
      RetryPolicy::kWrite,
      [&](PostgresConnection& connection) -> Result<RequestToken, RequestTokenRefusal> {
        if (std::optional<RequestToken> denied =
                First(connection.Query(pgsql::kDenyRequestToken, token, now), ReadRequestToken)) {
          return std::move(*denied);
        }
        return Failure{WhyUndecidable(
            First(connection.Query(pgsql::kSelectRequestToken, token), ReadRequestToken), now)};
      });
}

Result<AccessToken, ExchangeRefusal> PostgresSignInTables::ExchangeRequestToken(
    std::string_view token, int64_t app_id, std::string_view verifier, int64_t now) {
  const std::string secret = GenerateAccessTokenSecret();
  return pool_.Run(
      RetryPolicy::kWrite,
      [&](PostgresConnection& connection) -> Result<AccessToken, ExchangeRefusal> {
        PostgresTransaction transaction(connection);
        std::optional<RequestToken> row =
            First(connection.Query(pgsql::kSelectRequestTokenForUpdate, token), ReadRequestToken);
        const ExchangeDecision decision = DecideExchange(row, app_id, verifier, now);
        if (decision.use_up) connection.Query(pgsql::kMarkRequestTokenUsed, token);
        std::optional<AccessToken> issued;
        if (!decision.refusal) {
          issued =
              Inserted(connection.Query(pgsql::kInsertAccessToken,
                                        GenerateAccessToken(*row->user_id), secret, *row->user_id,
                                        row->app_id, now, AccessLevelName(row->access_level)),
                       ReadAccessToken);
        }
        transaction.Commit();
        if (decision.refusal) return Failure{*decision.refusal};
        return std::move(*issued);
      });
}

int64_t PostgresSignInTables::PruneRequestTokens(int64_t now) {
  return pool_.Run(RetryPolicy::kWrite, [&](PostgresConnection& connection) {
    return connection.Query(pgsql::kPruneRequestTokens, now).AffectedRows();
  });
}

void PostgresSignInTables::CreateWebSession(const WebSession& session) {
  pool_.Run(RetryPolicy::kWrite, [&](PostgresConnection& connection) {
    connection.Query(pgsql::kInsertWebSession, session.id_hash, session.user_id, session.csrf_token,
                     session.created_at, session.last_seen_at, session.idle_expires_at,
                     session.expires_at);
  });
}

std::optional<WebSession> PostgresSignInTables::TouchWebSession(std::string_view id_hash,
                                                                int64_t now, int64_t idle_seconds) {
  return pool_.Run(RetryPolicy::kWrite, [&](PostgresConnection& connection) {
    return First(connection.Query(pgsql::kTouchWebSession, id_hash, now, idle_seconds),
                 ReadWebSession);
  });
}

bool PostgresSignInTables::DeleteWebSession(std::string_view id_hash) {
  return pool_.Run(RetryPolicy::kWrite, [&](PostgresConnection& connection) {
    return connection.Query(pgsql::kDeleteWebSession, id_hash).AffectedRows() > 0;
  });
}

int64_t PostgresSignInTables::DeleteWebSessionsOfUser(int64_t user_id) {
  return pool_.Run(RetryPolicy::kWrite, [&](PostgresConnection& connection) {
    return connection.Query(pgsql::kDeleteWebSessionsOfUser, user_id).AffectedRows();
  });
}

int64_t PostgresSignInTables::PruneWebSessions(int64_t now) {
  return pool_.Run(RetryPolicy::kWrite, [&](PostgresConnection& connection) {
    return connection.Query(pgsql::kPruneWebSessions, now).AffectedRows();
  });
}

}  // namespace portrait::store
