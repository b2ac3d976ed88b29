#pragma once
// MetadataStoreWrapper forwards every call to a target store. Derive from it and override one
// method to inject a fault (a full disk, a lost connection) or to observe calls in a test; the
// rest keep the target's behaviour. The target must outlive the wrapper.
#include "store/metadata_store.h"

namespace portrait::store {

class MetadataStoreWrapper : public MetadataStore {
 public:
  explicit MetadataStoreWrapper(MetadataStore& target) : target_(target) {}

  MetadataStore& target() { return target_; }

  Result<User, ProfileViolation> CreateUser(const NewUser& user, int64_t now) override {
    return target_.CreateUser(user, now);
  }
  std::optional<User> FindUserById(int64_t id) override { return target_.FindUserById(id); }
  std::optional<User> FindUserByScreenName(std::string_view screen_name) override {
    return target_.FindUserByScreenName(screen_name);
  }
  std::vector<User> FindUsers(std::span<const int64_t> ids,
                              std::span<const std::string> screen_names) override {
    return target_.FindUsers(ids, screen_names);
  }
  std::vector<User> ListUsers() override { return target_.ListUsers(); }
  Result<std::optional<User>, ProfileViolation> UpdateProfile(
      int64_t user_id, const ProfileUpdate& update) override {
    return target_.UpdateProfile(user_id, update);
  }

  using MetadataStore::CreateApp;  // the name-only convenience
  App CreateApp(const NewApp& app, int64_t now) override { return target_.CreateApp(app, now); }
  std::optional<App> FindAppByConsumerKey(std::string_view consumer_key) override {
    return target_.FindAppByConsumerKey(consumer_key);
  }
  std::optional<App> FindAppById(int64_t app_id) override { return target_.FindAppById(app_id); }
  std::vector<App> ListApps() override { return target_.ListApps(); }
  std::optional<App> UpdateApp(std::string_view consumer_key, const AppUpdate& update) override {
    return target_.UpdateApp(consumer_key, update);
  }
  bool RevokeApp(std::string_view consumer_key) override { return target_.RevokeApp(consumer_key); }

  using MetadataStore::CreateAccessToken;  // the read-write convenience
  AccessToken CreateAccessToken(int64_t user_id, int64_t app_id, AccessLevel level,
                                int64_t now) override {
    return target_.CreateAccessToken(user_id, app_id, level, now);
  }
  std::optional<AccessToken> FindAccessToken(std::string_view token) override {
    return target_.FindAccessToken(token);
  }
  std::optional<AppAndAccessToken> FindAppAndAccessToken(std::string_view consumer_key,
                                                         std::string_view token) override {
    return target_.FindAppAndAccessToken(consumer_key, token);
  }
  std::vector<AccessToken> ListAccessTokens() override { return target_.ListAccessTokens(); }
  bool RevokeAccessToken(std::string_view token) override {
    return target_.RevokeAccessToken(token);
  }
  std::optional<AccessToken> FindLiveAccessToken(int64_t user_id, int64_t app_id) override {
    return target_.FindLiveAccessToken(user_id, app_id);
  }
  std::vector<ConnectedApp> ListConnectedApps(int64_t user_id) override {
    return target_.ListConnectedApps(user_id);
  }
  int64_t RevokeAppForUser(int64_t user_id, int64_t app_id) override {
    return target_.RevokeAppForUser(user_id, app_id);
  }

  BearerToken IssueBearerToken(int64_t app_id, int64_t now) override {
    return target_.IssueBearerToken(app_id, now);
  }
  std::optional<BearerToken> FindBearerToken(std::string_view token) override {
    return target_.FindBearerToken(token);
  }
  bool RevokeBearerToken(std::string_view token) override {
    return target_.RevokeBearerToken(token);
  }

  bool RecordNonce(std::string_view consumer_key, std::string_view token, std::string_view nonce,
                   int64_t expires_at, int64_t now) override {
    return target_.RecordNonce(consumer_key, token, nonce, expires_at, now);
  }
  int64_t PruneNonces(int64_t now, int64_t limit) override {
    return target_.PruneNonces(now, limit);
  }

  std::vector<std::pair<std::string, RateWindow>> ListRateWindows(std::string_view key_prefix,
                                                                  int64_t now) override {
    return target_.ListRateWindows(key_prefix, now);
  }
  std::optional<std::string> FindPasswordHash(int64_t user_id) override {
    return target_.FindPasswordHash(user_id);
  }
  bool SetPasswordHash(int64_t user_id, std::string_view hash, int64_t now) override {
    return target_.SetPasswordHash(user_id, hash, now);
  }
  bool ReplacePasswordHash(int64_t user_id, std::string_view expected, std::string_view replacement,
                           int64_t now) override {
    return target_.ReplacePasswordHash(user_id, expected, replacement, now);
  }

  ThrottleWindow CountSignInAttempt(std::string_view key, int64_t now,
                                    const ThrottlePolicy& policy) override {
    return target_.CountSignInAttempt(key, now, policy);
  }
  void RefundSignInAttempt(std::string_view key, int64_t now) override {
    target_.RefundSignInAttempt(key, now);
  }
  void ClearSignInAttempts(std::string_view key) override { target_.ClearSignInAttempts(key); }
  int64_t PruneSignInThrottles(int64_t now) override { return target_.PruneSignInThrottles(now); }

  RequestToken CreateRequestToken(const NewRequestToken& token, int64_t now) override {
    return target_.CreateRequestToken(token, now);
  }
  std::optional<RequestToken> FindRequestToken(std::string_view token) override {
    return target_.FindRequestToken(token);
  }
  Result<RequestToken, RequestTokenRefusal> AuthorizeRequestToken(std::string_view token,
                                                                  int64_t user_id,
                                                                  std::string_view verifier,
                                                                  int64_t now) override {
    return target_.AuthorizeRequestToken(token, user_id, verifier, now);
  }
  Result<RequestToken, RequestTokenRefusal> DenyRequestToken(std::string_view token,
                                                             int64_t now) override {
    return target_.DenyRequestToken(token, now);
  }
  Result<AccessToken, ExchangeRefusal> ExchangeRequestToken(std::string_view token, int64_t app_id,
                                                            std::string_view verifier,
                                                            int64_t now) override {
    return target_.ExchangeRequestToken(token, app_id, verifier, now);
  }
  int64_t PruneRequestTokens(int64_t now) override { return target_.PruneRequestTokens(now); }

  void CreateWebSession(const WebSession& session) override { target_.CreateWebSession(session); }
  std::optional<WebSession> TouchWebSession(std::string_view id_hash, int64_t now,
                                            int64_t idle_seconds) override {
    return target_.TouchWebSession(id_hash, now, idle_seconds);
  }
  bool DeleteWebSession(std::string_view id_hash) override {
    return target_.DeleteWebSession(id_hash);
  }
  int64_t DeleteWebSessionsOfUser(int64_t user_id) override {
    return target_.DeleteWebSessionsOfUser(user_id);
  }
  int64_t PruneWebSessions(int64_t now) override { return target_.PruneWebSessions(now); }

  RateWindow CountRequest(std::string_view key, int64_t now, int64_t window_seconds) override {
    return target_.CountRequest(key, now, window_seconds);
  }

  UploadJob EnqueueUpload(const NewUploadJob& job, int64_t now) override {
    return target_.EnqueueUpload(job, now);
  }
  std::optional<UploadJob> ClaimJob(std::string_view worker, int64_t now,
                                    int64_t lease_seconds) override {
    return target_.ClaimJob(worker, now, lease_seconds);
  }
  bool RenewLease(int64_t job_id, std::string_view worker, int64_t lease_until) override {
    return target_.RenewLease(job_id, worker, lease_until);
  }
  bool CompleteBannerJob(int64_t job_id, std::string_view worker, int64_t now,
                         int64_t retire_after) override {
    return target_.CompleteBannerJob(job_id, worker, now, retire_after);
  }
  bool RemoveBanner(int64_t user_id, int64_t retire_after) override {
    return target_.RemoveBanner(user_id, retire_after);
  }
  bool CompleteJob(int64_t job_id, std::string_view worker, const ProfileImage& image, int64_t now,
                   int64_t retire_after) override {
    return target_.CompleteJob(job_id, worker, image, now, retire_after);
  }
  bool FailJob(int64_t job_id, std::string_view worker, std::string_view reason, bool retry,
               int64_t retry_at, int64_t now) override {
    return target_.FailJob(job_id, worker, reason, retry, retry_at, now);
  }
  bool PostponeJob(int64_t job_id, std::string_view worker, std::string_view reason, int64_t due_at,
                   int64_t now) override {
    return target_.PostponeJob(job_id, worker, reason, due_at, now);
  }
  int64_t CountPendingJobs() override { return target_.CountPendingJobs(); }
  std::optional<int64_t> OldestPendingJobCreatedAt() override {
    return target_.OldestPendingJobCreatedAt();
  }
  std::optional<UploadJob> FindJob(int64_t job_id) override { return target_.FindJob(job_id); }
  std::vector<UploadJob> ListJobs(std::optional<JobState> state, int limit) override {
    return target_.ListJobs(state, limit);
  }

  std::vector<RetiredImage> ListExpiredImages(int64_t now, int limit) override {
    return target_.ListExpiredImages(now, limit);
  }
  void ForgetRetiredImage(int64_t image_id) override { target_.ForgetRetiredImage(image_id); }
  std::vector<UploadJob> ListFailedJobUploads(int64_t failed_before, int limit) override {
    return target_.ListFailedJobUploads(failed_before, limit);
  }
  void ForgetFailedJobUpload(int64_t job_id) override { target_.ForgetFailedJobUpload(job_id); }
  int64_t PruneFinishedJobs(int64_t finished_before, int64_t limit) override {
    return target_.PruneFinishedJobs(finished_before, limit);
  }
  void CheckpointWriteAheadLog() override { target_.CheckpointWriteAheadLog(); }
  bool WaitForJobNotification(int timeout_ms) override {
    return target_.WaitForJobNotification(timeout_ms);
  }
  bool ReadsAreLocal() const override { return target_.ReadsAreLocal(); }

 private:
  MetadataStore& target_;
};

}  // namespace portrait::store
