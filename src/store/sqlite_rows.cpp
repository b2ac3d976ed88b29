#include "store/sqlite_rows.h"

#include <string>

#include "common/result.h"
#include "store/column_codecs.h"

namespace portrait::store {

std::optional<ProfileImage> ReadImage(const Statement& row, int first) {
  if (row.IsNull(first)) return std::nullopt;
  return ProfileImage{row.Int64(first), row.Text(first + 1), row.Text(first + 2)};
}

User ReadUser(const Statement& row) {
  User user;
  user.id = row.Int64(0);
  user.screen_name = row.Text(1);
  user.name = row.Text(2);
  user.location = row.OptionalText(3);
  user.description = row.OptionalText(4);
  user.url = row.OptionalText(5);
  user.email = row.OptionalText(6);
  user.created_at = row.Int64(7);
  user.image = ReadImage(row, 8);
  user.profile_link_color = row.OptionalText(11);
  if (!row.IsNull(12)) user.banner_id = row.Int64(12);
  return user;
}

constexpr int kAppColumns = 11;  // PORTRAIT_APP_COLUMNS

App ReadApp(const Statement& row) {
  App app;
  app.id = row.Int64(0);
  app.name = row.Text(1);
  app.consumer_key = row.Text(2);
  app.consumer_secret = row.Text(3);
  app.revoked = row.Int64(4) != 0;
  app.created_at = row.Int64(5);
  app.description = row.Text(6);
  app.website = row.Text(7);
  app.callback_urls = SplitCallbackUrls(row.Text(8));
  app.allow_xauth = row.Int64(9) != 0;
  app.access_level = ParseAccessLevel(row.Text(10));
  return app;
}

ConnectedApp ReadConnectedApp(const Statement& row) {
  ConnectedApp connected;
  connected.app = ReadApp(row);
  connected.access_level =
      row.Int64(kAppColumns) != 0 ? AccessLevel::kReadWrite : AccessLevel::kRead;
  connected.first_authorized_at = row.Int64(kAppColumns + 1);
  connected.last_authorized_at = row.Int64(kAppColumns + 2);
  connected.live_tokens = row.Int64(kAppColumns + 3);
  return connected;
}

AccessToken ReadAccessToken(const Statement& row) { return ReadAccessTokenAt(row, 0); }

AccessToken ReadAccessTokenAt(const Statement& row, int first) {
  AccessToken token;
  token.token = row.Text(first);
  token.secret = row.Text(first + 1);
  token.user_id = row.Int64(first + 2);
  token.app_id = row.Int64(first + 3);
  token.revoked = row.Int64(first + 4) != 0;
  token.created_at = row.Int64(first + 5);
  token.access_level = ParseAccessLevel(row.Text(first + 6));
  return token;
}

AppAndAccessToken ReadAppAndAccessToken(const Statement& row) {
  AppAndAccessToken found{ReadApp(row), std::nullopt};
  if (!row.IsNull(kAppColumns)) found.token = ReadAccessTokenAt(row, kAppColumns);
  return found;
}

RequestToken ReadRequestToken(const Statement& row) {
  RequestToken token;
  token.token = row.Text(0);
  token.secret = row.Text(1);
  token.app_id = row.Int64(2);
  token.callback = row.Text(3);
  token.access_level = ParseAccessLevel(row.Text(4));
  token.state = ParseRequestTokenState(row.Text(5));
  if (!row.IsNull(6)) token.user_id = row.Int64(6);
  token.verifier = row.OptionalText(7);
  token.created_at = row.Int64(8);
  token.expires_at = row.Int64(9);
  return token;
}

WebSession ReadWebSession(const Statement& row) {
  WebSession session;
  session.id_hash = row.Text(0);
  session.user_id = row.Int64(1);
  session.csrf_token = row.Text(2);
  session.created_at = row.Int64(3);
  session.last_seen_at = row.Int64(4);
  session.idle_expires_at = row.Int64(5);
  session.expires_at = row.Int64(6);
  return session;
}

BearerToken ReadBearerToken(const Statement& row) {
  BearerToken token;
  token.token = row.Text(0);
  token.app_id = row.Int64(1);
  token.revoked = row.Int64(2) != 0;
  token.created_at = row.Int64(3);
  return token;
}

UploadJob ReadJob(const Statement& row) {
  UploadJob job;
  job.id = row.Int64(0);
  job.user_id = row.Int64(1);
  job.upload_blob_key = row.Text(2);
  job.format = row.Text(3);
  job.upload_bytes = row.Int64(4);
  job.state = ParseJobState(row.Text(5));
  job.attempts = static_cast<int>(row.Int64(6));
  job.last_error = row.Text(7);
  job.created_at = row.Int64(8);
  job.updated_at = row.Int64(9);
  job.lease_until = row.Int64(10);
  job.worker = row.Text(11);
  job.result = ReadImage(row, 12);
  job.due_at = row.Int64(15);
  job.transient_failures = static_cast<int>(row.Int64(16));
  job.upload_removed = row.Int64(17) != 0;
  job.kind = ParseMediaKind(row.Text(18));
  job.banner_region = DecodeBannerRegion(row.OptionalText(19));
  return job;
}

std::string_view JobStateName(JobState state) {
  switch (state) {
    case JobState::kQueued:
      return "queued";
    case JobState::kProcessing:
      return "processing";
    case JobState::kDone:
      return "done";
    case JobState::kFailed:
      return "failed";
  }
  throw Fault("unknown job state");
}

JobState ParseJobState(std::string_view name) {
  for (JobState state :
       {JobState::kQueued, JobState::kProcessing, JobState::kDone, JobState::kFailed}) {
    if (JobStateName(state) == name) return state;
  }
  throw Fault("unknown job state in database: " + std::string(name));
}

}  // namespace portrait::store
