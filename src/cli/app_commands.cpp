// Operator commands on apps: create (with what the authorize page shows, callback URLs and
// xAuth), update, list, revoke.
#include <boost/json/value.hpp>
#include <cstdio>

#include "cli/command.h"
#include "cli/output.h"
#include "common/time_format.h"
#include "signin/app_settings.h"
#include "store/column_codecs.h"

namespace portrait::cli {
namespace {

namespace json = boost::json;

json::object AppRow(const store::App& app) {
  json::array callbacks;
  for (const std::string& url : app.callback_urls) callbacks.emplace_back(url);
  return {{"id", app.id},
          {"name", app.name},
          {"consumer_key", app.consumer_key},
          {"consumer_secret", app.consumer_secret},
          {"description", app.description},
          {"website", app.website},
          {"callback_urls", callbacks},
          {"allow_xauth", app.allow_xauth},
          {"access_level", store::AccessLevelName(app.access_level)},
          {"revoked", app.revoked},
          {"created_at", TwitterTime(app.created_at)}};
}

std::optional<store::AccessLevel> AccessLevelFlag(const Flags& flags) {
  std::optional<std::string> level = flags.get("access-level");
  if (!level) return std::nullopt;
  if (*level == "read") return store::AccessLevel::kRead;
  if (*level == "read-write") return store::AccessLevel::kReadWrite;
  throw UsageError("--access-level takes read or read-write, got: " + *level);
}

void Require(const Status& status) {
  if (!status.ok()) throw UsageError(status.message());
}

const std::vector<std::string> kShownColumns = {"id",           "name",        "consumer_key",
                                                "access_level", "allow_xauth", "callback_urls"};

int AppsCreate(const Flags& flags) {
  store::NewApp app;
  app.name = flags.require("name");
  app.description = flags.get("description").value_or("");
  app.website = flags.get("website").value_or("");
  app.callback_urls = flags.all("callback-url");
  app.allow_xauth = flags.has("allow-xauth");
  app.access_level = AccessLevelFlag(flags).value_or(app.access_level);
  Require(signin::CheckNewApp(app));
  DataDir dir = OpenDataDir(flags);
  store::App created = dir.store->CreateApp(app, NowSeconds());
  PrintRows({AppRow(created)}, {"id", "name", "consumer_key", "consumer_secret"},
            flags.has("json"));
  return 0;
}

int AppsUpdate(const Flags& flags) {
  store::AppUpdate update;
  update.name = flags.get("name");
  update.description = flags.get("description");
  update.website = flags.get("website");
  if (flags.has("no-callback-urls")) {
    if (flags.has("callback-url")) throw UsageError("--callback-url with --no-callback-urls");
    update.callback_urls = std::vector<std::string>{};
  } else if (flags.has("callback-url")) {
    update.callback_urls = flags.all("callback-url");
  }
  if (flags.has("allow-xauth")) update.allow_xauth = flags.on_off("allow-xauth", false);
  update.access_level = AccessLevelFlag(flags);
  Require(signin::CheckAppUpdate(update));
  DataDir dir = OpenDataDir(flags);
  std::optional<store::App> updated = dir.store->UpdateApp(flags.require("consumer-key"), update);
  if (!updated) throw UsageError("no app with that consumer key");
  PrintRows({AppRow(*updated)}, kShownColumns, flags.has("json"));
  return 0;
}

int AppsList(const Flags& flags) {
  DataDir dir = OpenDataDir(flags);
  std::vector<json::object> rows;
  for (const auto& app : dir.store->ListApps()) rows.push_back(AppRow(app));
  std::vector<std::string> columns = kShownColumns;
  columns.push_back("revoked");
  PrintRows(rows, columns, flags.has("json"));
  return 0;
}

int AppsRevoke(const Flags& flags) {
  DataDir dir = OpenDataDir(flags);
  if (!dir.store->RevokeApp(flags.require("consumer-key"))) throw UsageError("no such app");
  std::printf("revoked\n");
  return 0;
}

const char* kAppSettingsUsage =
    "  --description TEXT    shown on the authorize page (at most 200 characters)\n"
    "  --website URL         shown on the authorize page (an http or https URL)\n"
    "  --callback-url URL    where sign-in may return (repeatable, at most 10; none: any\n"
    "                        http(s) URL or oob; a request may add a query and a sub-path)\n"
    "  --access-level LEVEL  read or read-write (default read-write): the most its tokens do\n";

}  // namespace

std::vector<Command> AppCommands() {
  const std::string dir = "  --data-dir DIR        the data directory (required)\n";
  const std::string json_flag = "  --json                print JSON instead of a table\n";
  return {
      {{"apps", "create"},
       "create an app (consumer key and secret) with its sign-in settings",
       dir + "  --name TEXT           the app's name (required, at most 32 characters)\n" +
           kAppSettingsUsage +
           "  --allow-xauth         the app may trade a screen name and password for a token\n" +
           json_flag,
       {"data-dir", "name", "description", "website", "callback-url", "access-level"},
       {"json", "allow-xauth"},
       AppsCreate},
      {{"apps", "update"},
       "change an app's name or sign-in settings (only the flags given)",
       dir + "  --consumer-key KEY    the app (required)\n  --name TEXT\n" + kAppSettingsUsage +
           "                        (--callback-url replaces the whole list)\n"
           "  --no-callback-urls    remove every callback URL\n"
           "  --allow-xauth on|off  xAuth for this app\n" +
           json_flag,
       {"data-dir", "consumer-key", "name", "description", "website", "callback-url",
        "access-level", "allow-xauth"},
       {"json", "no-callback-urls"},
       AppsUpdate},
      {{"apps", "list"}, "list apps", dir + json_flag, {"data-dir"}, {"json"}, AppsList},
      {{"apps", "revoke"},
       "revoke an app and every token issued to it",
       dir + "  --consumer-key KEY    (required)\n",
       {"data-dir", "consumer-key"},
       {},
       AppsRevoke},
  };
}

}  // namespace portrait::cli
