#pragma once
// The sign-in half of the SQLite backend (passwords, throttles, request tokens, web sessions,
// connected apps): the MetadataStore methods of those names, for SqliteStore to forward to. It
// shares the store's writer connection, its mutex and its readers, under the same rules
// (sqlite_store.cpp): writes hold the mutex, multi-statement writes run in BEGIN IMMEDIATE.
#include <mutex>

#include "store/metadata_store.h"
#include "store/sqlite_connection.h"
#include "store/sqlite_reader_pool.h"

namespace portrait::store {

class SqliteSignInTables {
 public:
  // All three must outlive this object.
  SqliteSignInTables(std::mutex& write_mutex, SqliteConnection& writer, SqliteReaderPool& readers)
      : write_mutex_(write_mutex), writer_(writer), readers_(readers) {}

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
  // Why a token that a guarded UPDATE did not change was refused. Holds the write mutex.
  RequestTokenRefusal WhyUndecidable(std::string_view token, int64_t now);

  std::mutex& write_mutex_;
  SqliteConnection& writer_;  // guarded by write_mutex_
  SqliteReaderPool& readers_;
};

}  // namespace portrait::store
