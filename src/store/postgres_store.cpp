// The PostgreSQL backend of MetadataStore, for several nodes sharing one database.
//
// Every node keeps a fixed pool of connections (PostgresPool). Reads are single statements.
// Writes that span statements run in READ COMMITTED transactions that lock what they decide on
// (the user's row when completing a job); job claiming is one UPDATE over a FOR UPDATE SKIP
// LOCKED pick, so nodes never hand out one job twice. Nonces live in the database, so a request
// replayed on another node is refused as well; concurrent ones are recorded by one statement
// (GroupCommit) whose commit does not wait for the server's disk.
#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <set>
#include <tuple>
#include <utility>

#include "store/column_codecs.h"
#include "store/generated_credentials.h"
#include "store/group_commit.h"
#include "store/metadata_store.h"
#include "store/postgres_job_listener.h"
#include "store/postgres_migrations.h"
#include "store/postgres_pool.h"
#include "store/postgres_queries.h"
#include "store/postgres_rows.h"
#include "store/postgres_signin.h"
#include "store/query_params.h"
#include "store/sqlite_rows.h"  // JobStateName

namespace portrait::store {
namespace {

// A nonce waiting to be recorded with others (GroupCommit); the caller's strings outlive it.
struct NonceToRecord {
  std::string_view consumer_key;
  std::string_view token;
  std::string_view nonce;
  int64_t expires_at = 0;
  int64_t now = 0;
};

using NonceTriple = std::tuple<std::string_view, std::string_view, std::string_view>;
// Closed rate-limit windows are deleted once per this many requests a node counts.
constexpr int64_t kRateWindowPurgeInterval = 1000;

class PostgresStore final : public MetadataStore {
  // Defined first: their return types are deduced, so they must precede their callers.
  template <class Work>
  auto Read(Work&& work) {
    return pool_.Run(RetryPolicy::kRead, std::forward<Work>(work));
  }
  template <class Work>
  auto Write(Work&& work) {
    return pool_.Run(RetryPolicy::kWrite, std::forward<Work>(work));
  }

 public:
  explicit PostgresStore(const PostgresOptions& options)
      : pool_(options.url, options.pool_size, options.connect_timeout_seconds),
        listener_(options.url, options.connect_timeout_seconds),
        signin_(pool_) {
    pool_.Run(RetryPolicy::kWrite, [](PostgresConnection& connection) {
      MigratePostgresSchema(connection, EmbeddedPostgresMigrations());
    });
  }

  Result<User, ProfileViolation> CreateUser(const NewUser& user, int64_t now) override {
    if (auto violation = CheckNewUser(user)) return Failure{*violation};
    std::optional<User> created = Write([&](PostgresConnection& connection) {
      return First(connection.Query(pgsql::kInsertUser, user.screen_name, user.name, user.location,
                                    user.description, user.url, user.email, now),
                   ReadUser);
    });
    if (!created)
      return Failure{ProfileViolation{ProfileField::kScreenName, ProfileProblem::kTaken}};
    return std::move(*created);
  }

  std::optional<User> FindUserById(int64_t id) override {
    return Read([&](PostgresConnection& connection) {
      return First(connection.Query(pgsql::kSelectUserById, id), ReadUser);
    });
  }

  std::optional<User> FindUserByScreenName(std::string_view screen_name) override {
    return Read([&](PostgresConnection& connection) {
      return First(connection.Query(pgsql::kSelectUserByScreenName, screen_name), ReadUser);
    });
  }

  std::vector<User> FindUsers(std::span<const int64_t> ids,
                              std::span<const std::string> screen_names) override {
    return Read([&](PostgresConnection& connection) {
      return All(connection.Query(pgsql::kSelectUsers, JsonArray(ids), JsonArray(screen_names)),
                 ReadUser);
    });
  }

  std::vector<User> ListUsers() override {
    return Read([&](PostgresConnection& connection) {
      return All(connection.Query(pgsql::kSelectAllUsers), ReadUser);
    });
  }

  Result<std::optional<User>, ProfileViolation> UpdateProfile(
      int64_t user_id, const ProfileUpdate& update) override {
    if (auto violation = CheckProfileUpdate(update)) return Failure{*violation};
    return Write([&](PostgresConnection& connection) {
      return First(
          connection.Query(pgsql::kUpdateProfile, update.name, update.location, update.description,
                           update.url, update.email, user_id, update.profile_link_color),
          ReadUser);
    });
  }

  using MetadataStore::CreateApp;
  App CreateApp(const NewApp& app, int64_t now) override {
    const std::string key = GenerateConsumerKey();
    const std::string secret = GenerateConsumerSecret();
    const std::string callback_urls = JoinCallbackUrls(app.callback_urls);
    return Write([&](PostgresConnection& connection) {
      return Inserted(connection.Query(pgsql::kInsertApp, app.name, key, secret, now,
                                       app.description, app.website, callback_urls, app.allow_xauth,
                                       AccessLevelName(app.access_level)),
                      ReadApp);
    });
  }

  std::optional<App> FindAppByConsumerKey(std::string_view consumer_key) override {
    return Read([&](PostgresConnection& connection) {
      return First(connection.Query(pgsql::kSelectAppByConsumerKey, consumer_key), ReadApp);
    });
  }

  std::optional<App> FindAppById(int64_t app_id) override {
    return Read([&](PostgresConnection& connection) {
      return First(connection.Query(pgsql::kSelectAppById, app_id), ReadApp);
    });
  }

  std::optional<App> UpdateApp(std::string_view consumer_key, const AppUpdate& update) override {
    std::optional<std::string> callback_urls;
    if (update.callback_urls) callback_urls = JoinCallbackUrls(*update.callback_urls);
    std::optional<std::string> access_level;
    if (update.access_level) access_level = std::string(AccessLevelName(*update.access_level));
    const int64_t allow_xauth = update.allow_xauth ? int64_t{*update.allow_xauth} : -1;
    return Write([&](PostgresConnection& connection) {
      return First(
          connection.Query(pgsql::kUpdateApp, update.name, update.description, update.website,
                           callback_urls, allow_xauth, access_level, consumer_key),
          ReadApp);
    });
  }

  std::vector<App> ListApps() override {
    return Read([&](PostgresConnection& connection) {
      return All(connection.Query(pgsql::kSelectAllApps), ReadApp);
    });
  }

  bool RevokeApp(std::string_view consumer_key) override {
    return Write([&](PostgresConnection& connection) {
      PostgresTransaction transaction(connection);
      PostgresResult revoked = connection.Query(pgsql::kRevokeApp, consumer_key);
      if (revoked.Rows() == 0) return false;
      const int64_t app_id = revoked.Int64(0, 0);
      connection.Query(pgsql::kRevokeAccessTokensOfApp, app_id);
      connection.Query(pgsql::kRevokeBearerTokensOfApp, app_id);
      transaction.Commit();
      return true;
    });
  }

  using MetadataStore::CreateAccessToken;
  AccessToken CreateAccessToken(int64_t user_id, int64_t app_id, AccessLevel level,
                                int64_t now) override {
    const std::string token = GenerateAccessToken(user_id);
    const std::string secret = GenerateAccessTokenSecret();
    return Write([&](PostgresConnection& connection) {
      return Inserted(connection.Query(pgsql::kInsertAccessToken, token, secret, user_id, app_id,
                                       now, AccessLevelName(level)),
                      ReadAccessToken);
    });
  }

  std::optional<AccessToken> FindAccessToken(std::string_view token) override {
    return Read([&](PostgresConnection& connection) {
      return First(connection.Query(pgsql::kSelectAccessToken, token), ReadAccessToken);
    });
  }

  std::optional<AppAndAccessToken> FindAppAndAccessToken(std::string_view consumer_key,
                                                         std::string_view token) override {
    return Read([&](PostgresConnection& connection) {
      return First(connection.Query(pgsql::kSelectAppAndAccessToken, consumer_key, token),
                   ReadAppAndAccessToken);
    });
  }

  std::vector<AccessToken> ListAccessTokens() override {
    return Read([&](PostgresConnection& connection) {
      return All(connection.Query(pgsql::kSelectAllAccessTokens), ReadAccessToken);
    });
  }

  bool RevokeAccessToken(std::string_view token) override {
    return Write([&](PostgresConnection& connection) {
      return connection.Query(pgsql::kRevokeAccessToken, token).AffectedRows() > 0;
    });
  }

  std::optional<AccessToken> FindLiveAccessToken(int64_t user_id, int64_t app_id) override {
    return signin_.FindLiveAccessToken(user_id, app_id);
  }
  std::vector<ConnectedApp> ListConnectedApps(int64_t user_id) override {
    return signin_.ListConnectedApps(user_id);
  }
  int64_t RevokeAppForUser(int64_t user_id, int64_t app_id) override {
    return signin_.RevokeAppForUser(user_id, app_id);
  }

  BearerToken IssueBearerToken(int64_t app_id, int64_t now) override {
    const std::string fresh = GenerateBearerToken();
    return Write([&](PostgresConnection& connection) {
      // Each statement sees what committed before it started, so after losing an insert race
      // the second look finds the winner's token.
      for (int look = 0; look < 2; ++look) {
        if (std::optional<BearerToken> live = First(
                connection.Query(pgsql::kSelectLiveBearerTokenOfApp, app_id), ReadBearerToken)) {
          return std::move(*live);
        }
        if (std::optional<BearerToken> inserted = First(
                connection.Query(pgsql::kInsertBearerToken, fresh, app_id, now), ReadBearerToken)) {
          return std::move(*inserted);
        }
      }
      throw Fault("postgres: no live bearer token after insert for app " + std::to_string(app_id));
    });
  }

  std::optional<BearerToken> FindBearerToken(std::string_view token) override {
    return Read([&](PostgresConnection& connection) {
      return First(connection.Query(pgsql::kSelectBearerToken, token), ReadBearerToken);
    });
  }

  bool RevokeBearerToken(std::string_view token) override {
    return Write([&](PostgresConnection& connection) {
      return connection.Query(pgsql::kRevokeBearerToken, token).AffectedRows() > 0;
    });
  }

  bool RecordNonce(std::string_view consumer_key, std::string_view token, std::string_view nonce,
                   int64_t expires_at, int64_t now) override {
    return nonces_.Submit(NonceToRecord{consumer_key, token, nonce, expires_at, now});
  }

  int64_t PruneNonces(int64_t now, int64_t limit) override {
    return Write([&](PostgresConnection& connection) {
      return connection.Query(pgsql::kDeleteExpiredNonces, now, limit).AffectedRows();
    });
  }

  std::vector<std::pair<std::string, RateWindow>> ListRateWindows(std::string_view key_prefix,
                                                                  int64_t now) override {
    return Read([&](PostgresConnection& connection) {
      PostgresResult result = connection.Query(pgsql::kSelectOpenRateWindows, key_prefix,
                                               KeyPrefixEnd(key_prefix), now);
      std::vector<std::pair<std::string, RateWindow>> windows;
      for (int row = 0; row < result.Rows(); ++row) {
        windows.emplace_back(
            result.Text(row, 0),
            RateWindow{result.Int64(row, 1), result.Int64(row, 2), result.Int64(row, 3)});
      }
      return windows;
    });
  }

  std::optional<std::string> FindPasswordHash(int64_t user_id) override {
    return signin_.FindPasswordHash(user_id);
  }
  bool SetPasswordHash(int64_t user_id, std::string_view hash, int64_t now) override {
    return signin_.SetPasswordHash(user_id, hash, now);
  }
  bool ReplacePasswordHash(int64_t user_id, std::string_view expected, std::string_view replacement,
                           int64_t now) override {
    return signin_.ReplacePasswordHash(user_id, expected, replacement, now);
  }

  ThrottleWindow CountSignInAttempt(std::string_view key, int64_t now,
                                    const ThrottlePolicy& policy) override {
    return signin_.CountSignInAttempt(key, now, policy);
  }
  void RefundSignInAttempt(std::string_view key, int64_t now) override {
    signin_.RefundSignInAttempt(key, now);
  }
  void ClearSignInAttempts(std::string_view key) override { signin_.ClearSignInAttempts(key); }
  int64_t PruneSignInThrottles(int64_t now) override { return signin_.PruneSignInThrottles(now); }

  RequestToken CreateRequestToken(const NewRequestToken& token, int64_t now) override {
    return signin_.CreateRequestToken(token, now);
  }
  std::optional<RequestToken> FindRequestToken(std::string_view token) override {
    return signin_.FindRequestToken(token);
  }
  Result<RequestToken, RequestTokenRefusal> AuthorizeRequestToken(std::string_view token,
                                                                  int64_t user_id,
                                                                  std::string_view verifier,
                                                                  int64_t now) override {
    return signin_.AuthorizeRequestToken(token, user_id, verifier, now);
  }
  Result<RequestToken, RequestTokenRefusal> DenyRequestToken(std::string_view token,
                                                             int64_t now) override {
    return signin_.DenyRequestToken(token, now);
  }
  Result<AccessToken, ExchangeRefusal> ExchangeRequestToken(std::string_view token, int64_t app_id,
                                                            std::string_view verifier,
                                                            int64_t now) override {
    return signin_.ExchangeRequestToken(token, app_id, verifier, now);
  }
  int64_t PruneRequestTokens(int64_t now) override { return signin_.PruneRequestTokens(now); }

  void CreateWebSession(const WebSession& session) override { signin_.CreateWebSession(session); }
  std::optional<WebSession> TouchWebSession(std::string_view id_hash, int64_t now,
                                            int64_t idle_seconds) override {
    return signin_.TouchWebSession(id_hash, now, idle_seconds);
  }
  bool DeleteWebSession(std::string_view id_hash) override {
    return signin_.DeleteWebSession(id_hash);
  }
  int64_t DeleteWebSessionsOfUser(int64_t user_id) override {
    return signin_.DeleteWebSessionsOfUser(user_id);
  }
  int64_t PruneWebSessions(int64_t now) override { return signin_.PruneWebSessions(now); }

  RateWindow CountRequest(std::string_view key, int64_t now, int64_t window_seconds) override {
    const bool purge = ++requests_counted_ % kRateWindowPurgeInterval == 0;
    return Write([&](PostgresConnection& connection) {
      if (purge) connection.Query(pgsql::kDeleteClosedRateWindows, now);
      PostgresResult result = connection.Query(pgsql::kCountRequest, key, now, window_seconds);
      if (result.Rows() == 0) throw Fault("postgres: counting a request returned no row");
      return RateWindow{result.Int64(0, 0), result.Int64(0, 1), result.Int64(0, 2)};
    });
  }

  UploadJob EnqueueUpload(const NewUploadJob& job, int64_t now) override {
    return Write([&](PostgresConnection& connection) {
      PostgresTransaction transaction(connection);
      UploadJob inserted =
          Inserted(connection.Query(pgsql::kInsertJob, job.user_id, job.upload_blob_key, job.format,
                                    job.upload_bytes, now, MediaKindName(job.kind),
                                    EncodeBannerRegion(job.banner_region)),
                   ReadJob);
      connection.Query(pgsql::kNotifyJobs);
      transaction.Commit();
      return inserted;
    });
  }

  std::optional<UploadJob> ClaimJob(std::string_view worker, int64_t now,
                                    int64_t lease_seconds) override {
    return Write([&](PostgresConnection& connection) {
      return First(connection.Query(pgsql::kClaimJob, worker, now, now + lease_seconds), ReadJob);
    });
  }

  bool RenewLease(int64_t job_id, std::string_view worker, int64_t lease_until) override {
    return Write([&](PostgresConnection& connection) {
      return connection.Query(pgsql::kRenewLease, lease_until, job_id, worker).AffectedRows() > 0;
    });
  }

  bool CompleteJob(int64_t job_id, std::string_view worker, const ProfileImage& image, int64_t now,
                   int64_t retire_after) override;
  bool CompleteBannerJob(int64_t job_id, std::string_view worker, int64_t now,
                         int64_t retire_after) override;
  bool RemoveBanner(int64_t user_id, int64_t retire_after) override;

  bool FailJob(int64_t job_id, std::string_view worker, std::string_view reason, bool retry,
               int64_t retry_at, int64_t now) override {
    return Write([&](PostgresConnection& connection) {
      if (retry) {
        return connection.Query(pgsql::kRequeueJob, reason, retry_at, now, job_id, worker)
                   .AffectedRows() > 0;
      }
      return connection.Query(pgsql::kMarkJobFailed, reason, now, job_id, worker).AffectedRows() >
             0;
    });
  }

  bool PostponeJob(int64_t job_id, std::string_view worker, std::string_view reason, int64_t due_at,
                   int64_t now) override {
    return Write([&](PostgresConnection& connection) {
      return connection.Query(pgsql::kPostponeJob, reason, due_at, now, job_id, worker)
                 .AffectedRows() > 0;
    });
  }

  int64_t CountPendingJobs() override {
    return Read([&](PostgresConnection& connection) {
      return connection.Query(pgsql::kCountPendingJobs).Int64(0, 0);
    });
  }

  std::optional<int64_t> OldestPendingJobCreatedAt() override {
    return Read([&](PostgresConnection& connection) -> std::optional<int64_t> {
      PostgresResult oldest = connection.Query(pgsql::kSelectOldestPendingJobCreatedAt);
      if (oldest.IsNull(0, 0)) return std::nullopt;
      return oldest.Int64(0, 0);
    });
  }

  std::optional<UploadJob> FindJob(int64_t job_id) override {
    return Read([&](PostgresConnection& connection) {
      return First(connection.Query(pgsql::kSelectJobById, job_id), ReadJob);
    });
  }

  std::vector<UploadJob> ListJobs(std::optional<JobState> state, int limit) override {
    return Read([&](PostgresConnection& connection) {
      if (state) {
        return All(connection.Query(pgsql::kSelectRecentJobsInState, JobStateName(*state), limit),
                   ReadJob);
      }
      return All(connection.Query(pgsql::kSelectRecentJobs, limit), ReadJob);
    });
  }

  std::vector<RetiredImage> ListExpiredImages(int64_t now, int limit) override {
    return Read([&](PostgresConnection& connection) {
      return All(connection.Query(pgsql::kSelectExpiredImages, now, limit), ReadRetiredImage);
    });
  }

  bool WaitForJobNotification(int timeout_ms) override { return listener_.Wait(timeout_ms); }

  void ForgetRetiredImage(int64_t image_id) override {
    Write([&](PostgresConnection& connection) {
      connection.Query(pgsql::kDeleteRetiredImage, image_id);
    });
  }

  std::vector<UploadJob> ListFailedJobUploads(int64_t failed_before, int limit) override {
    return Read([&](PostgresConnection& connection) {
      return All(connection.Query(pgsql::kSelectFailedJobUploads, failed_before, limit), ReadJob);
    });
  }

  void ForgetFailedJobUpload(int64_t job_id) override {
    Write([&](PostgresConnection& connection) {
      connection.Query(pgsql::kMarkFailedJobUploadRemoved, job_id);
    });
  }

  int64_t PruneFinishedJobs(int64_t finished_before, int64_t limit) override {
    return Write([&](PostgresConnection& connection) {
      return connection.Query(pgsql::kDeleteFinishedJobs, finished_before, limit).AffectedRows();
    });
  }

 private:
  // One statement for a batch of concurrent RecordNonce calls. A triple sent twice in one batch
  // is sent once: the second is a replay of the first.
  std::vector<bool> RecordNonces(const std::vector<NonceToRecord>& nonces) {
    std::vector<bool> recorded(nonces.size(), false);
    std::set<NonceTriple> sent;
    boost::json::array rows;
    rows.reserve(nonces.size());
    // Of the batch's clocks the earliest: a copy is taken over only if expired for all of them.
    int64_t now = nonces.front().now;
    for (const NonceToRecord& nonce : nonces) {
      now = std::min(now, nonce.now);
      if (!sent.emplace(nonce.consumer_key, nonce.token, nonce.nonce).second) continue;
      rows.push_back(boost::json::object{{"c", nonce.consumer_key},
                                         {"t", nonce.token},
                                         {"n", nonce.nonce},
                                         {"e", nonce.expires_at}});
    }
    const std::string json = boost::json::serialize(rows);
    std::set<std::tuple<std::string, std::string, std::string>> inserted;
    Write([&](PostgresConnection& connection) {
      inserted.clear();
      PostgresResult result = connection.Query(pgsql::kRecordNonces, json, now);
      for (int row = 0; row < result.Rows(); ++row) {
        inserted.emplace(result.Text(row, 0), result.Text(row, 1), result.Text(row, 2));
      }
    });
    for (size_t i = 0; i < nonces.size(); ++i) {
      auto found = inserted.find(std::tuple<std::string, std::string, std::string>(
          nonces[i].consumer_key, nonces[i].token, nonces[i].nonce));
      if (found == inserted.end()) continue;
      recorded[i] = true;
      inserted.erase(found);  // a second copy in the batch is a replay of this one
    }
    return recorded;
  }

  PostgresPool pool_;
  PostgresJobListener listener_;
  PostgresSignInTables signin_;  // on pool_
  GroupCommit<NonceToRecord, bool> nonces_{
      [this](const std::vector<NonceToRecord>& batch) { return RecordNonces(batch); }};
  std::atomic<int64_t> requests_counted_ = 0;
};

bool PostgresStore::CompleteJob(int64_t job_id, std::string_view worker, const ProfileImage& image,
                                int64_t now, int64_t retire_after) {
  return Write([&](PostgresConnection& connection) {
    PostgresTransaction transaction(connection);
    PostgresResult done = connection.Query(pgsql::kMarkJobDone, image.image_id, image.key,
                                           image.extension, now, job_id, worker);
    if (done.Rows() == 0) return false;
    const int64_t user_id = done.Int64(0, 0);
    PostgresResult current_row = connection.Query(pgsql::kSelectUserImageForUpdate, user_id);
    std::optional<ProfileImage> current;
    std::optional<int64_t> current_job_id;
    if (current_row.Rows() > 0) {
      current = ReadImage(current_row.Row(0), 0);
      if (!current_row.IsNull(0, 3)) current_job_id = current_row.Int64(0, 3);
    }
    auto retire = [&](const ProfileImage& retired, int64_t delete_after) {
      connection.Query(pgsql::kInsertRetiredImage, retired.image_id, retired.key, retired.extension,
                       delete_after, MediaKindName(MediaKind::kProfileImage), int64_t{0});
    };
    if (current_job_id && *current_job_id > job_id) {
      // A later upload already won; this image was never shown and can go at once.
      retire(image, now);
    } else {
      connection.Query(pgsql::kUpdateUserImage, image.image_id, image.key, image.extension, job_id,
                       user_id);
      if (current) retire(*current, retire_after);
    }
    transaction.Commit();
    return true;
  });
}

void RetireBanner(PostgresConnection& connection, int64_t user_id, int64_t banner_id,
                  int64_t delete_after) {
  connection.Query(pgsql::kInsertRetiredImage, banner_id, std::string_view(),
                   std::string_view("jpeg"), delete_after, MediaKindName(MediaKind::kBanner),
                   user_id);
}

bool PostgresStore::CompleteBannerJob(int64_t job_id, std::string_view worker, int64_t now,
                                      int64_t retire_after) {
  return Write([&](PostgresConnection& connection) {
    PostgresTransaction transaction(connection);
    PostgresResult done = connection.Query(pgsql::kMarkBannerJobDone, now, job_id, worker);
    if (done.Rows() == 0) return false;
    const int64_t user_id = done.Int64(0, 0);
    PostgresResult row = connection.Query(pgsql::kSelectUserBannerForUpdate, user_id);
    std::optional<int64_t> current;
    int64_t floor = 0;
    if (row.Rows() > 0) {
      if (!row.IsNull(0, 0)) current = row.Int64(0, 0);
      floor = row.Int64(0, 1);
    }
    if (job_id <= floor || (current && *current > job_id)) {
      // A later upload or a removal already won; this banner was never shown.
      RetireBanner(connection, user_id, job_id, now);
    } else {
      connection.Query(pgsql::kUpdateUserBanner, job_id, user_id);
      if (current) RetireBanner(connection, user_id, *current, retire_after);
    }
    transaction.Commit();
    return true;
  });
}

bool PostgresStore::RemoveBanner(int64_t user_id, int64_t retire_after) {
  return Write([&](PostgresConnection& connection) {
    PostgresTransaction transaction(connection);
    PostgresResult row = connection.Query(pgsql::kSelectUserBannerForUpdate, user_id);
    if (row.Rows() == 0) return false;
    std::optional<int64_t> current;
    if (!row.IsNull(0, 0)) current = row.Int64(0, 0);
    connection.Query(pgsql::kClearUserBanner, user_id);
    if (current) RetireBanner(connection, user_id, *current, retire_after);
    transaction.Commit();
    return current.has_value();
  });
}

}  // namespace

bool IsPostgresUrl(std::string_view database) {
  return database.starts_with("postgresql://") || database.starts_with("postgres://");
}

std::unique_ptr<MetadataStore> OpenPostgresStore(const PostgresOptions& options) {
  return std::make_unique<PostgresStore>(options);
}

std::unique_ptr<MetadataStore> OpenMetadataStore(std::string_view database_url_or_sqlite_path,
                                                 int pool_size) {
  if (IsPostgresUrl(database_url_or_sqlite_path)) {
    return OpenPostgresStore(PostgresOptions{std::string(database_url_or_sqlite_path), pool_size});
  }
  return OpenSqliteStore(SqliteOptions{std::string(database_url_or_sqlite_path)});
}

}  // namespace portrait::store
