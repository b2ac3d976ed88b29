#pragma once
// The sign-in half of the PostgreSQL backend (passwords, throttles, request tokens, web sessions,
// connected apps): the MetadataStore methods of those names, for PostgresStore to forward to,
// on the store's pool under its rules (postgres_store.cpp). Every node sharing the database
// shares this state: a flow begun on one node finishes on any other.
#include "store/metadata_store.h"
#include "store/postgres_pool.h"

namespace portrait::store {

class PostgresSignInTables {
 public:
  // pool must outlive this object.
  explicit PostgresSignInTables(PostgresPool& pool) : pool_(pool) {}

  std::optional<AccessToken> FindLiveAccessToken(int64_t user_id, int64_t app_id);
  std::vector<ConnectedApp> ListConnectedApps(int64_t user_id);
  int64_t RevokeAppForUser(int64_t user_id, int64_t app_id);

  std::optional<std::string> FindPasswordHash(int64_t user_id);
  bool SetPasswordHash(int64_t user_id, std::string_view hash, int64_t now);
  bool ReplacePasswordHash(int64_t user_id, std::string_view expected, std::string_view replacement,
                           int64_t now);

  ThrottleWindow CountSignInAttempt(std::string_view key, int64_t now,
                                    const ThrottlePolicy& policy);
  void RefundSignInAttempt(std::string_view key, int64_t now);
  void ClearSignInAttempts(std::string_view key);
  int64_t PruneSignInThrottles(int64_t now);

  RequestToken CreateRequestToken(const NewRequestToken& token, int64_t now);
  std::optional<RequestToken> FindRequestToken(std::string_view token);
  Result<RequestToken, RequestTokenRefusal> AuthorizeRequestToken(std::string_view token,
                                                                  int64_t user_id,
                                                                  std::string_view verifier,
                                                                  int64_t now);
  Result<RequestToken, RequestTokenRefusal> DenyRequestToken(std::string_view token, int64_t now);
  Result<AccessToken, ExchangeRefusal> ExchangeRequestToken(std::string_view token, int64_t app_id,
                                                            std::string_view verifier, int64_t now);
  int64_t PruneRequestTokens(int64_t now);

  void CreateWebSession(const WebSession& session);
  std::optional<WebSession> TouchWebSession(std::string_view id_hash, int64_t now,
                                            int64_t idle_seconds);
  bool DeleteWebSession(std::string_view id_hash);
  int64_t DeleteWebSessionsOfUser(int64_t user_id);
  int64_t PruneWebSessions(int64_t now);

 private:
  PostgresPool& pool_;
};

}  // namespace portrait::store
