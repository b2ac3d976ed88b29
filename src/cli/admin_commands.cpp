// Operator commands on the data directory: users, tokens, jobs and demo credentials (apps are
// in app_commands.cpp, passwords in password_commands.cpp).
// They open the same SQLite file the server uses, so they work while it runs.
#include <boost/json/value.hpp>

#include "cli/command.h"
#include "cli/output.h"
#include "cli/password_input.h"
#include "cli/signin_settings.h"
#include "common/time_format.h"
#include "image/variant_catalogue.h"
#include "signin/accounts.h"
#include "store/column_codecs.h"

namespace portrait::cli {
namespace {

namespace json = boost::json;

const char* kDataDirUsage = "  --data-dir DIR        the data directory (required)\n";
const char* kJsonUsage = "  --json                print JSON instead of a table\n";

json::value Nullable(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  return json::string(*text);
}

json::object UserRow(const store::User& user) {
  return {{"id", user.id},
          {"screen_name", user.screen_name},
          {"name", user.name},
          {"location", Nullable(user.location)},
          {"description", Nullable(user.description)},
          {"url", Nullable(user.url)},
          {"email", Nullable(user.email)},
          {"image_id", user.image ? json::value(user.image->image_id) : json::value(nullptr)},
          {"created_at", TwitterTime(user.created_at)}};
}

json::object TokenRow(const store::AccessToken& token) {
  return {{"access_token", token.token},
          {"access_token_secret", token.secret},
          {"user_id", token.user_id},
          {"app_id", token.app_id},
          {"access_level", store::AccessLevelName(token.access_level)},
          {"revoked", token.revoked},
          {"created_at", TwitterTime(token.created_at)}};
}

std::string_view StateName(store::JobState state) {
  switch (state) {
    case store::JobState::kQueued:
      return "queued";
    case store::JobState::kProcessing:
      return "processing";
    case store::JobState::kDone:
      return "done";
    case store::JobState::kFailed:
      return "failed";
  }
  return "unknown";
}

std::optional<store::JobState> ParseState(const std::optional<std::string>& name) {
  if (!name) return std::nullopt;
  for (auto state : {store::JobState::kQueued, store::JobState::kProcessing, store::JobState::kDone,
                     store::JobState::kFailed}) {
    if (*name == StateName(state)) return state;
  }
  throw UsageError("--state takes queued, processing, done or failed");
}

json::object JobRow(const store::UploadJob& job) {
  json::object row{
      {"id", job.id},
      {"user_id", job.user_id},
      {"state", StateName(job.state)},
      {"format", job.format},
      {"bytes", job.upload_bytes},
      {"attempts", job.attempts},
      // The lease holder ("host:pid/thread") of the last claim: who processed it, or is.
      {"worker", job.worker.empty() ? json::value(nullptr) : json::value(job.worker)},
      {"last_error", job.last_error.empty() ? json::value(nullptr) : json::value(job.last_error)},
      {"created_at", TwitterTime(job.created_at)},
      {"updated_at", TwitterTime(job.updated_at)}};
  if (job.result) {
    row["image"] = "/" + image::ProfileImagePath(job.result->image_id, job.result->key,
                                                 image::kLinkedSuffix, job.result->extension);
  }
  return row;
}

store::User FindOrCreateUser(store::MetadataStore& store, const std::string& screen_name,
                             const std::optional<std::string>& name) {
  if (auto user = store.FindUserByScreenName(screen_name)) return *user;
  store::NewUser new_user;
  new_user.screen_name = screen_name;
  new_user.name = name.value_or(screen_name);
  auto created = store.CreateUser(new_user, NowSeconds());
  if (!created.ok()) throw UsageError(store::Describe(created.error()));
  return *created;
}

store::User RequireUser(store::MetadataStore& store, const Flags& flags) {
  if (auto id = flags.get("user-id")) {
    if (auto user = store.FindUserById(flags.integer("user-id", 0))) return *user;
    throw UsageError("no user with id " + *id);
  }
  std::string screen_name = flags.require("screen-name");
  if (auto user = store.FindUserByScreenName(screen_name)) return *user;
  throw UsageError("no user @" + screen_name);
}

store::ProfileUpdate ProfileFromFlags(const Flags& flags) {
  store::ProfileUpdate update;
  update.name = flags.get("name");
  update.location = flags.get("location");
  update.description = flags.get("description");
  update.url = flags.get("url");
  update.email = flags.get("email");
  return update;
}

int CredentialsCreate(const Flags& flags) {
  DataDir dir = OpenDataDir(flags);
  store::User user = FindOrCreateUser(*dir.store, flags.require("screen-name"), flags.get("name"));
  store::App app =
      dir.store->CreateApp(flags.get("app-name").value_or("portrait-cli"), NowSeconds());
  store::AccessToken token = dir.store->CreateAccessToken(user.id, app.id, NowSeconds());
  PrintJson(json::object{{"user_id", user.id},
                         {"screen_name", user.screen_name},
                         {"consumer_key", app.consumer_key},
                         {"consumer_secret", app.consumer_secret},
                         {"access_token", token.token},
                         {"access_token_secret", token.secret}});
  return 0;
}

int UsersCreate(const Flags& flags) {
  const signin::SignInOptions signin_options = ReadSignInOptions(flags);
  // Read before anything is created, so a refused password leaves no account behind.
  std::optional<signin::Password> password;
  if (flags.has("password-stdin") || flags.has("prompt-password")) {
    password = ReadNewPassword(flags, signin_options.password_policy);
  }
  DataDir dir = OpenDataDir(flags);
  store::ProfileUpdate profile = ProfileFromFlags(flags);
  store::NewUser user{flags.require("screen-name"),
                      profile.name.value_or(flags.require("screen-name")),
                      profile.location,
                      profile.description,
                      profile.url,
                      profile.email};
  // The store's own message, naming the field, whichever path creates the user.
  if (auto violation = store::CheckNewUser(user)) throw UsageError(store::Describe(*violation));
  std::optional<store::User> created;
  if (password) {
    signin::Accounts accounts(*dir.store, signin_options);
    auto account = accounts.CreateAccount(user, *password, NowSeconds());
    if (!account.ok()) {
      throw UsageError(
          signin::DescribeAccountProblem(account.error(), signin_options.password_policy) + ": " +
          user.screen_name);
    }
    created = std::move(*account);
  } else {
    auto plain = dir.store->CreateUser(user, NowSeconds());
    if (!plain.ok()) throw UsageError(store::Describe(plain.error()));
    created = std::move(*plain);
  }
  PrintRows({UserRow(*created)}, {"id", "screen_name", "name"}, flags.has("json"));
  return 0;
}

int UsersList(const Flags& flags) {
  DataDir dir = OpenDataDir(flags);
  std::vector<json::object> rows;
  for (const auto& user : dir.store->ListUsers()) rows.push_back(UserRow(user));
  PrintRows(rows, {"id", "screen_name", "name", "location", "url", "image_id"}, flags.has("json"));
  return 0;
}

int UsersUpdate(const Flags& flags) {
  DataDir dir = OpenDataDir(flags);
  store::User user = RequireUser(*dir.store, flags);
  auto updated = dir.store->UpdateProfile(user.id, ProfileFromFlags(flags));
  if (!updated.ok()) throw UsageError(store::Describe(updated.error()));
  if (!*updated) throw UsageError("user vanished");
  PrintRows({UserRow(**updated)}, {"id", "screen_name", "name", "location", "description", "url"},
            flags.has("json"));
  return 0;
}

int TokensCreate(const Flags& flags) {
  DataDir dir = OpenDataDir(flags);
  store::User user = RequireUser(*dir.store, flags);
  auto app = dir.store->FindAppByConsumerKey(flags.require("consumer-key"));
  if (!app || app->revoked) throw UsageError("no live app with that consumer key");
  store::AccessToken token = dir.store->CreateAccessToken(user.id, app->id, NowSeconds());
  PrintRows({TokenRow(token)}, {"user_id", "access_token", "access_token_secret"},
            flags.has("json"));
  return 0;
}

int TokensList(const Flags& flags) {
  DataDir dir = OpenDataDir(flags);
  std::vector<json::object> rows;
  for (const auto& token : dir.store->ListAccessTokens()) rows.push_back(TokenRow(token));
  PrintRows(rows, {"user_id", "app_id", "access_token", "access_level", "revoked"},
            flags.has("json"));
  return 0;
}

int TokensRevoke(const Flags& flags) {
  DataDir dir = OpenDataDir(flags);
  std::string token = flags.require("token");
  if (!dir.store->RevokeAccessToken(token) && !dir.store->RevokeBearerToken(token)) {
    throw UsageError("no such token");
  }
  std::printf("revoked\n");
  return 0;
}

int JobsList(const Flags& flags) {
  DataDir dir = OpenDataDir(flags);
  std::vector<json::object> rows;
  for (const auto& job : dir.store->ListJobs(ParseState(flags.get("state")),
                                             static_cast<int>(flags.integer("limit", 100)))) {
    rows.push_back(JobRow(job));
  }
  PrintRows(rows, {"id", "user_id", "state", "format", "attempts", "last_error", "created_at"},
            flags.has("json"));
  return 0;
}

const std::string kProfileUsage =
    "  --name TEXT           display name\n"
    "  --location TEXT       location ('' clears)\n"
    "  --description TEXT    bio ('' clears)\n"
    "  --url URL             web site ('' clears)\n"
    "  --email ADDRESS       e-mail, shown by verify_credentials?include_email=true\n";
const std::set<std::string> kProfileFlags = {"data-dir", "screen-name", "user-id", "name",
                                             "location", "description", "url",     "email"};

std::set<std::string> UsersCreateFlags() {
  std::set<std::string> flags = kProfileFlags;
  flags.insert(kPasswordHashFlags.begin(), kPasswordHashFlags.end());
  return flags;
}

}  // namespace

std::vector<Command> AdminCommands() {
  const std::string dir = kDataDirUsage;
  const std::string json_flag = kJsonUsage;
  return {
      {{"credentials", "create"},
       "create a user (if missing), an app and an access token; print them as JSON",
       dir + "  --screen-name NAME    the user's screen name (required)\n"
             "  --name TEXT           display name for a new user\n"
             "  --app-name TEXT       the new app's name\n",
       {"data-dir", "screen-name", "name", "app-name"},
       {},
       CredentialsCreate},
      {{"users", "create"},
       "create a user, with a password read from standard input or the terminal if asked",
       dir + "  --screen-name NAME    (required)\n" + kProfileUsage +
           "  --password-stdin      the password is the first line of standard input\n"
           "  --prompt-password     ask for the password on the terminal (echo off)\n"
           "                        (neither: the user has no password and cannot sign in)\n" +
           kPasswordHashUsage + json_flag,
       UsersCreateFlags(),
       {"json", "password-stdin", "prompt-password"},
       UsersCreate},
      {{"users", "list"}, "list users", dir + json_flag, {"data-dir"}, {"json"}, UsersList},
      {{"users", "update"},
       "edit a user's profile fields",
       dir + "  --screen-name NAME | --user-id ID   the user (required)\n" + kProfileUsage +
           json_flag,
       kProfileFlags,
       {"json"},
       UsersUpdate},
      {{"tokens", "create"},
       "issue an access token for a user and an app",
       dir +
           "  --screen-name NAME | --user-id ID   the user (required)\n"
           "  --consumer-key KEY    the app (required)\n" +
           json_flag,
       {"data-dir", "screen-name", "user-id", "consumer-key"},
       {"json"},
       TokensCreate},
      {{"tokens", "list"},
       "list access tokens",
       dir + json_flag,
       {"data-dir"},
       {"json"},
       TokensList},
      {{"tokens", "revoke"},
       "revoke an access token or a bearer token",
       dir + "  --token TOKEN         (required)\n",
       {"data-dir", "token"},
       {},
       TokensRevoke},
      {{"jobs", "list"},
       "list upload jobs, newest first (failed ones with their reason)",
       dir +
           "  --state STATE         queued, processing, done or failed\n"
           "  --limit N             at most N jobs (default 100)\n" +
           json_flag,
       {"data-dir", "state", "limit"},
       {"json"},
       JobsList},
  };
}

}  // namespace portrait::cli
