// The SQLite backend of MetadataStore.
//
// Connections: one writer connection behind a mutex serialises this process's writes (SQLite
// allows one writer at a time anyway), and a pool of read-only connections serves reads in
// parallel; in WAL mode readers never wait for the writer. Every read is one statement, hence
// one consistent snapshot. Writes that span statements run in BEGIN IMMEDIATE transactions, so
// other processes on the same file (the CLI beside the server) wait on busy_timeout instead of
// failing. Nonces are not in the database: they live in a NonceWindow (memory and a log of its
// own), so recording one waits for no commit and no other writer.
#include <atomic>
#include <filesystem>
#include <mutex>
#include <system_error>
#include <utility>

#include "store/column_codecs.h"
#include "store/generated_credentials.h"
#include "store/metadata_store.h"
#include "store/nonce_window.h"
#include "store/query_params.h"
#include "store/sqlite_migrations.h"
#include "store/sqlite_queries.h"
#include "store/sqlite_reader_pool.h"
#include "store/sqlite_rows.h"
#include "store/sqlite_signin.h"

namespace portrait::store {
namespace {

// Closed rate-limit windows are deleted once per this many counted requests.
constexpr int64_t kRateWindowPurgeInterval = 1000;

class SqliteStore final : public MetadataStore {
 public:
  explicit SqliteStore(const SqliteOptions& options)
      : nonce_directory_(options.path + "-nonces"),
        writer_(options.path, ConnectionOptions{options.busy_timeout_ms, false}),
        readers_(options.path, ConnectionOptions{options.busy_timeout_ms, true}),
        signin_(write_mutex_, writer_, readers_) {
    MigrateSchema(writer_, EmbeddedMigrations());
  }

  bool ReadsAreLocal() const override { return true; }

  Result<User, ProfileViolation> CreateUser(const NewUser& user, int64_t now) override {
    if (auto violation = CheckNewUser(user)) return Failure{*violation};
    std::lock_guard lock(write_mutex_);
    Statement insert = writer_.Prepare(sql::kInsertUser);
    insert.BindAll(user.screen_name, user.name, user.location, user.description, user.url,
                   user.email, now);
    std::optional<User> created = ReadOne<User>(insert, ReadUser);
    if (!created)
      return Failure{ProfileViolation{ProfileField::kScreenName, ProfileProblem::kTaken}};
    return std::move(*created);
  }

  std::optional<User> FindUserById(int64_t id) override {
    auto reader = readers_.Acquire();
    Statement select = reader->Prepare(sql::kSelectUserById);
    select.BindAll(id);
    return ReadOne<User>(select, ReadUser);
  }

  std::optional<User> FindUserByScreenName(std::string_view screen_name) override {
    auto reader = readers_.Acquire();
    Statement select = reader->Prepare(sql::kSelectUserByScreenName);
    select.BindAll(screen_name);
    return ReadOne<User>(select, ReadUser);
  }

  std::vector<User> FindUsers(std::span<const int64_t> ids,
                              std::span<const std::string> screen_names) override {
    auto reader = readers_.Acquire();
    Statement select = reader->Prepare(sql::kSelectUsers);
    select.BindAll(JsonArray(ids), JsonArray(screen_names));
    return ReadAll<User>(select, ReadUser);
  }

  std::vector<User> ListUsers() override {
    auto reader = readers_.Acquire();
    Statement select = reader->Prepare(sql::kSelectAllUsers);
    return ReadAll<User>(select, ReadUser);
  }

  Result<std::optional<User>, ProfileViolation> UpdateProfile(
      int64_t user_id, const ProfileUpdate& update) override {
    if (auto violation = CheckProfileUpdate(update)) return Failure{*violation};
    std::lock_guard lock(write_mutex_);
    Statement statement = writer_.Prepare(sql::kUpdateProfile);
    statement.BindAll(update.name, update.location, update.description, update.url, update.email,
                      user_id, update.profile_link_color);
    return ReadOne<User>(statement, ReadUser);
  }

  using MetadataStore::CreateApp;
  App CreateApp(const NewApp& app, int64_t now) override {
    std::lock_guard lock(write_mutex_);
    Statement insert = writer_.Prepare(sql::kInsertApp);
    insert.BindAll(app.name, GenerateConsumerKey(), GenerateConsumerSecret(), now, app.description,
                   app.website, JoinCallbackUrls(app.callback_urls), app.allow_xauth,
                   AccessLevelName(app.access_level));
    return ReadInserted<App>(insert, ReadApp);
  }

  std::optional<App> FindAppByConsumerKey(std::string_view consumer_key) override {
    auto reader = readers_.Acquire();
    Statement select = reader->Prepare(sql::kSelectAppByConsumerKey);
    select.BindAll(consumer_key);
    return ReadOne<App>(select, ReadApp);
  }

  std::optional<App> FindAppById(int64_t app_id) override {
    auto reader = readers_.Acquire();
    Statement select = reader->Prepare(sql::kSelectAppById);
    select.BindAll(app_id);
    return ReadOne<App>(select, ReadApp);
  }

  std::optional<App> UpdateApp(std::string_view consumer_key, const AppUpdate& update) override {
    std::optional<std::string> callback_urls;
    if (update.callback_urls) callback_urls = JoinCallbackUrls(*update.callback_urls);
    std::optional<std::string> access_level;
    if (update.access_level) access_level = std::string(AccessLevelName(*update.access_level));
    const int64_t allow_xauth = update.allow_xauth ? int64_t{*update.allow_xauth} : -1;
    std::lock_guard lock(write_mutex_);
    Statement statement = writer_.Prepare(sql::kUpdateApp);
    statement.BindAll(update.name, update.description, update.website, callback_urls, allow_xauth,
                      access_level, consumer_key);
    return ReadOne<App>(statement, ReadApp);
  }

  std::vector<App> ListApps() override {
    auto reader = readers_.Acquire();
    Statement select = reader->Prepare(sql::kSelectAllApps);
    return ReadAll<App>(select, ReadApp);
  }

  bool RevokeApp(std::string_view consumer_key) override {
    std::lock_guard lock(write_mutex_);
    WriteTransaction transaction(writer_);
    std::optional<int64_t> app_id;
    {
      Statement revoke = writer_.Prepare(sql::kRevokeApp);
      revoke.BindAll(consumer_key);
      if (revoke.Step()) app_id = revoke.Int64(0);
    }
    if (!app_id) return false;
    writer_.Prepare(sql::kRevokeAccessTokensOfApp).BindAll(*app_id).Run();
    writer_.Prepare(sql::kRevokeBearerTokensOfApp).BindAll(*app_id).Run();
    transaction.Commit();
    return true;
  }

  using MetadataStore::CreateAccessToken;
  AccessToken CreateAccessToken(int64_t user_id, int64_t app_id, AccessLevel level,
                                int64_t now) override {
    std::lock_guard lock(write_mutex_);
    Statement insert = writer_.Prepare(sql::kInsertAccessToken);
    insert.BindAll(GenerateAccessToken(user_id), GenerateAccessTokenSecret(), user_id, app_id, now,
                   AccessLevelName(level));
    return ReadInserted<AccessToken>(insert, ReadAccessToken);
  }

  std::optional<AccessToken> FindAccessToken(std::string_view token) override {
    auto reader = readers_.Acquire();
    Statement select = reader->Prepare(sql::kSelectAccessToken);
    select.BindAll(token);
    return ReadOne<AccessToken>(select, ReadAccessToken);
  }

  std::optional<AppAndAccessToken> FindAppAndAccessToken(std::string_view consumer_key,
                                                         std::string_view token) override {
    auto reader = readers_.Acquire();
    Statement select = reader->Prepare(sql::kSelectAppAndAccessToken);
    select.BindAll(consumer_key, token);
    return ReadOne<AppAndAccessToken>(select, ReadAppAndAccessToken);
  }

  std::vector<AccessToken> ListAccessTokens() override {
    auto reader = readers_.Acquire();
    Statement select = reader->Prepare(sql::kSelectAllAccessTokens);
    return ReadAll<AccessToken>(select, ReadAccessToken);
  }

  bool RevokeAccessToken(std::string_view token) override {
    std::lock_guard lock(write_mutex_);
    return writer_.Prepare(sql::kRevokeAccessToken).BindAll(token).Run() > 0;
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
    std::lock_guard lock(write_mutex_);
    WriteTransaction transaction(writer_);
    std::optional<BearerToken> token;
    {
      Statement select = writer_.Prepare(sql::kSelectLiveBearerTokenOfApp);
      select.BindAll(app_id);
      token = ReadOne<BearerToken>(select, ReadBearerToken);
    }
    if (!token) {
      Statement insert = writer_.Prepare(sql::kInsertBearerToken);
      insert.BindAll(GenerateBearerToken(), app_id, now);
      token = ReadInserted<BearerToken>(insert, ReadBearerToken);
    }
    transaction.Commit();
    return std::move(*token);
  }

  std::optional<BearerToken> FindBearerToken(std::string_view token) override {
    auto reader = readers_.Acquire();
    Statement select = reader->Prepare(sql::kSelectBearerToken);
    select.BindAll(token);
    return ReadOne<BearerToken>(select, ReadBearerToken);
  }

  bool RevokeBearerToken(std::string_view token) override {
    std::lock_guard lock(write_mutex_);
    return writer_.Prepare(sql::kRevokeBearerToken).BindAll(token).Run() > 0;
  }

  bool RecordNonce(std::string_view consumer_key, std::string_view token, std::string_view nonce,
                   int64_t expires_at, int64_t now) override {
    return Nonces().Record(consumer_key, token, nonce, expires_at, now);
  }

  int64_t PruneNonces(int64_t now, int64_t /*limit*/) override {
    NonceWindow& nonces = Nonces();
    const int64_t pruned = nonces.Prune(now);
    nonces.Sync();
    return pruned;
  }

  std::vector<std::pair<std::string, RateWindow>> ListRateWindows(std::string_view key_prefix,
                                                                  int64_t now) override {
    auto reader = readers_.Acquire();
    Statement select = reader->Prepare(sql::kSelectOpenRateWindows);
    select.BindAll(key_prefix, KeyPrefixEnd(key_prefix), now);
    std::vector<std::pair<std::string, RateWindow>> windows;
    while (select.Step()) {
      windows.emplace_back(select.Text(0),
                           RateWindow{select.Int64(1), select.Int64(2), select.Int64(3)});
    }
    return windows;
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
    std::lock_guard lock(write_mutex_);
    if (++requests_counted_ % kRateWindowPurgeInterval == 0) {
      writer_.Prepare(sql::kDeleteClosedRateWindows).BindAll(now).Run();
    }
    Statement count = writer_.Prepare(sql::kCountRequest);
    count.BindAll(key, now, window_seconds);
    if (!count.Step()) throw Fault("sqlite: counting a request returned no row");
    return RateWindow{count.Int64(0), count.Int64(1), count.Int64(2)};
  }

  UploadJob EnqueueUpload(const NewUploadJob& job, int64_t now) override {
    std::lock_guard lock(write_mutex_);
    Statement insert = writer_.Prepare(sql::kInsertJob);
    insert.BindAll(job.user_id, job.upload_blob_key, job.format, job.upload_bytes, now,
                   MediaKindName(job.kind), EncodeBannerRegion(job.banner_region));
    return ReadInserted<UploadJob>(insert, ReadJob);
  }

  std::optional<UploadJob> ClaimJob(std::string_view worker, int64_t now,
                                    int64_t lease_seconds) override {
    std::lock_guard lock(write_mutex_);
    Statement claim = writer_.Prepare(sql::kClaimJob);
    claim.BindAll(worker, now, now + lease_seconds);
    return ReadOne<UploadJob>(claim, ReadJob);
  }

  bool RenewLease(int64_t job_id, std::string_view worker, int64_t lease_until) override {
    std::lock_guard lock(write_mutex_);
    return writer_.Prepare(sql::kRenewLease).BindAll(lease_until, job_id, worker).Run() > 0;
  }

  bool CompleteJob(int64_t job_id, std::string_view worker, const ProfileImage& image, int64_t now,
                   int64_t retire_after) override;
  bool CompleteBannerJob(int64_t job_id, std::string_view worker, int64_t now,
                         int64_t retire_after) override;
  bool RemoveBanner(int64_t user_id, int64_t retire_after) override;

  bool FailJob(int64_t job_id, std::string_view worker, std::string_view reason, bool retry,
               int64_t retry_at, int64_t now) override {
    std::lock_guard lock(write_mutex_);
    if (retry) {
      Statement requeue = writer_.Prepare(sql::kRequeueJob);
      return requeue.BindAll(reason, retry_at, now, job_id, worker).Run() > 0;
    }
    Statement fail = writer_.Prepare(sql::kMarkJobFailed);
    return fail.BindAll(reason, now, job_id, worker).Run() > 0;
  }

  bool PostponeJob(int64_t job_id, std::string_view worker, std::string_view reason, int64_t due_at,
                   int64_t now) override {
    std::lock_guard lock(write_mutex_);
    Statement postpone = writer_.Prepare(sql::kPostponeJob);
    return postpone.BindAll(reason, due_at, now, job_id, worker).Run() > 0;
  }

  int64_t CountPendingJobs() override {
    auto reader = readers_.Acquire();
    Statement count = reader->Prepare(sql::kCountPendingJobs);
    count.Step();
    return count.Int64(0);
  }

  std::optional<int64_t> OldestPendingJobCreatedAt() override {
    auto reader = readers_.Acquire();
    Statement oldest = reader->Prepare(sql::kSelectOldestPendingJobCreatedAt);
    if (!oldest.Step() || oldest.IsNull(0)) return std::nullopt;
    return oldest.Int64(0);
  }

  std::optional<UploadJob> FindJob(int64_t job_id) override {
    auto reader = readers_.Acquire();
    Statement select = reader->Prepare(sql::kSelectJobById);
    select.BindAll(job_id);
    return ReadOne<UploadJob>(select, ReadJob);
  }

  std::vector<UploadJob> ListJobs(std::optional<JobState> state, int limit) override {
    auto reader = readers_.Acquire();
    if (state) {
      Statement select = reader->Prepare(sql::kSelectRecentJobsInState);
      select.BindAll(JobStateName(*state), limit);
      return ReadAll<UploadJob>(select, ReadJob);
    }
    Statement select = reader->Prepare(sql::kSelectRecentJobs);
    select.BindAll(limit);
    return ReadAll<UploadJob>(select, ReadJob);
  }

  std::vector<RetiredImage> ListExpiredImages(int64_t now, int limit) override {
    auto reader = readers_.Acquire();
    Statement select = reader->Prepare(sql::kSelectExpiredImages);
    select.BindAll(now, limit);
    return ReadAll<RetiredImage>(select, [](const Statement& row) {
      return RetiredImage{*ReadImage(row, 0), row.Int64(3), ParseMediaKind(row.Text(4)),
                          row.Int64(5)};
    });
  }

  void ForgetRetiredImage(int64_t image_id) override {
    std::lock_guard lock(write_mutex_);
    writer_.Prepare(sql::kDeleteRetiredImage).BindAll(image_id).Run();
  }

  std::vector<UploadJob> ListFailedJobUploads(int64_t failed_before, int limit) override {
    auto reader = readers_.Acquire();
    Statement select = reader->Prepare(sql::kSelectFailedJobUploads);
    select.BindAll(failed_before, limit);
    return ReadAll<UploadJob>(select, ReadJob);
  }

  void ForgetFailedJobUpload(int64_t job_id) override {
    std::lock_guard lock(write_mutex_);
    writer_.Prepare(sql::kMarkFailedJobUploadRemoved).BindAll(job_id).Run();
  }

  int64_t PruneFinishedJobs(int64_t finished_before, int64_t limit) override {
    std::lock_guard lock(write_mutex_);
    return writer_.Prepare(sql::kDeleteFinishedJobs).BindAll(finished_before, limit).Run();
  }

  void CheckpointWriteAheadLog() override {
    std::lock_guard lock(write_mutex_);
    writer_.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
  }

 private:
  // Opened on first use, so that a command that records no nonce (the CLI beside a running
  // server) neither reads the log nor takes its lock.
  NonceWindow& Nonces() {
    std::lock_guard lock(nonces_mutex_);
    if (!nonces_) nonces_ = NonceWindow::Open(nonce_directory_);
    return *nonces_;
  }

  void RetireImage(const ProfileImage& image, int64_t delete_after) {
    writer_.Prepare(sql::kInsertRetiredImage)
        .BindAll(image.image_id, image.key, image.extension, delete_after,
                 MediaKindName(MediaKind::kProfileImage), int64_t{0})
        .Run();
  }
  void RetireBanner(int64_t user_id, int64_t banner_id, int64_t delete_after) {
    writer_.Prepare(sql::kInsertRetiredImage)
        .BindAll(banner_id, std::string_view(), std::string_view("jpeg"), delete_after,
                 MediaKindName(MediaKind::kBanner), user_id)
        .Run();
  }

  const std::string nonce_directory_;
  std::mutex nonces_mutex_;
  std::shared_ptr<NonceWindow> nonces_;  // guarded by nonces_mutex_; shared by the process's
                                         // handles on this file
  std::mutex write_mutex_;
  SqliteConnection writer_;  // guarded by write_mutex_
  SqliteReaderPool readers_;
  SqliteSignInTables signin_;     // shares the three above
  int64_t requests_counted_ = 0;  // guarded by write_mutex_
};

bool SqliteStore::CompleteJob(int64_t job_id, std::string_view worker, const ProfileImage& image,
                              int64_t now, int64_t retire_after) {
  std::lock_guard lock(write_mutex_);
  WriteTransaction transaction(writer_);
  int64_t user_id = 0;
  {
    Statement done = writer_.Prepare(sql::kMarkJobDone);
    done.BindAll(image.image_id, image.key, image.extension, now, job_id, worker);
    if (!done.Step()) return false;
    user_id = done.Int64(0);
  }
  std::optional<ProfileImage> current;
  std::optional<int64_t> current_job_id;
  {
    Statement select = writer_.Prepare(sql::kSelectUserImage);
    select.BindAll(user_id);
    if (select.Step()) {
      current = ReadImage(select, 0);
      if (!select.IsNull(3)) current_job_id = select.Int64(3);
    }
  }
  if (current_job_id && *current_job_id > job_id) {
    // A later upload already won; this image was never shown and can go at once.
    RetireImage(image, now);
  } else {
    writer_.Prepare(sql::kUpdateUserImage)
        .BindAll(image.image_id, image.key, image.extension, job_id, user_id)
        .Run();
    if (current) RetireImage(*current, retire_after);
  }
  transaction.Commit();
  return true;
}

bool SqliteStore::CompleteBannerJob(int64_t job_id, std::string_view worker, int64_t now,
                                    int64_t retire_after) {
  std::lock_guard lock(write_mutex_);
  WriteTransaction transaction(writer_);
  int64_t user_id = 0;
  {
    Statement done = writer_.Prepare(sql::kMarkBannerJobDone);
    done.BindAll(now, job_id, worker);
    if (!done.Step()) return false;
    user_id = done.Int64(0);
  }
  std::optional<int64_t> current;
  int64_t floor = 0;
  {
    Statement select = writer_.Prepare(sql::kSelectUserBanner);
    select.BindAll(user_id);
    if (select.Step()) {
      if (!select.IsNull(0)) current = select.Int64(0);
      floor = select.Int64(1);
    }
  }
  if (job_id <= floor || (current && *current > job_id)) {
    // A later upload or a removal already won; this banner was never shown and can go at once.
    RetireBanner(user_id, job_id, now);
  } else {
    writer_.Prepare(sql::kUpdateUserBanner).BindAll(job_id, user_id).Run();
    if (current) RetireBanner(user_id, *current, retire_after);
  }
  transaction.Commit();
  return true;
}

bool SqliteStore::RemoveBanner(int64_t user_id, int64_t retire_after) {
  std::lock_guard lock(write_mutex_);
  WriteTransaction transaction(writer_);
  std::optional<int64_t> current;
  {
    Statement select = writer_.Prepare(sql::kSelectUserBanner);
    select.BindAll(user_id);
    if (!select.Step()) return false;
    if (!select.IsNull(0)) current = select.Int64(0);
  }
  writer_.Prepare(sql::kClearUserBanner).BindAll(user_id).Run();
  if (current) RetireBanner(user_id, *current, retire_after);
  transaction.Commit();
  return current.has_value();
}

}  // namespace

std::unique_ptr<MetadataStore> OpenSqliteStore(const SqliteOptions& options) {
  std::filesystem::path parent = std::filesystem::path(options.path).parent_path();
  std::error_code error;
  if (!parent.empty()) std::filesystem::create_directories(parent, error);
  if (error) throw Fault("cannot create " + parent.string() + ": " + error.message());
  return std::make_unique<SqliteStore>(options);
}

}  // namespace portrait::store
