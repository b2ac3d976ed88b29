#include "cli/serve_config.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cstdio>
#include <thread>
#include <type_traits>

#include "api/routes.h"
#include "cli/settings.h"
#include "cli/signin_settings.h"
#include "store/metadata_store.h"

namespace portrait::cli {
namespace {

constexpr const char* kDefaultListen = "127.0.0.1:8080";

http::ListenerOptions ParseListen(const std::string& host_port) {
  size_t colon = host_port.rfind(':');
  if (colon == std::string::npos) throw UsageError("expected HOST:PORT, got: " + host_port);
  http::ListenerOptions listener;
  listener.address = host_port.substr(0, colon);
  if (listener.address.size() > 1 && listener.address.front() == '[') {
    listener.address = listener.address.substr(1, listener.address.size() - 2);
  }
  try {
    int port = std::stoi(host_port.substr(colon + 1));
    if (port < 0 || port > 65535) throw std::out_of_range("port");
    listener.port = static_cast<uint16_t>(port);
  } catch (const std::exception&) {
    throw UsageError("bad port in: " + host_port);
  }
  return listener;
}

int Cores() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

void ReadServer(const Flags& flags, ServeConfig& config) {
  http::ServerOptions& server = config.server;
  for (const auto& listen : flags.all("listen")) server.listeners.push_back(ParseListen(listen));
  if (server.listeners.empty()) {
    flags.note_default("listen", kDefaultListen);
    server.listeners.push_back(ParseListen(kDefaultListen));
  }
  config.plain_listeners = server.listeners.size();
  for (const auto& listen : flags.all("listen-tls")) {
    http::ListenerOptions listener = ParseListen(listen);
    listener.tls = http::TlsOptions{flags.require("tls-cert"), flags.require("tls-key")};
    server.listeners.push_back(listener);
  }
  server.trusted_proxies = flags.all("trusted-proxy");
  server.max_connections = static_cast<int>(flags.integer("max-connections", 10000));
  server.handler_threads =
      static_cast<int>(flags.integer("handler-threads", std::max(4, 2 * Cores())));
  server.io_threads = static_cast<int>(flags.integer("io-threads", 2));
  server.read_timeout_ms = static_cast<int>(flags.integer("read-timeout-ms", 30000));
  server.access_log = flags.on_off("access-log", true);
  // Each limit keeps its documented default (the option structs) unless a setting names it.
  auto set_int = [&flags](std::string_view name, auto& field) {
    field = static_cast<std::remove_reference_t<decltype(field)>>(flags.integer(name, field));
  };
  set_int("write-timeout-ms", server.write_timeout_ms);
  set_int("idle-timeout-ms", server.idle_timeout_ms);
  set_int("drain-timeout-ms", server.drain_timeout_ms);
  set_int("max-header-bytes", server.max_header_bytes);
  set_int("max-queued-responses", server.max_queued_responses);
}

void ReadApi(const Flags& flags, ServeConfig& config) {
  api::ApiOptions& api = config.api;
  auto set_int = [&flags](std::string_view name, auto& field) {
    field = static_cast<std::remove_reference_t<decltype(field)>>(flags.integer(name, field));
  };
  api.serve_api = config.takes_requests;
  api.rate_limits.enabled = flags.on_off("rate-limits", true);
  // Nodes sharing a PostgreSQL database count requests there, so a client spreading its requests
  // over the nodes meets one limit. One process on SQLite counts in memory: no write per read.
  api.rate_limits.shared = store::IsPostgresUrl(flags.get("database").value_or(""));
  set_int("max-pending-jobs", api.max_pending_jobs);
  api.image_base_url = flags.text("image-base-url", "");
  api.image_base_url_https = flags.text("image-base-url-https", "");
  set_int("timestamp-window-seconds", api.oauth_timestamp_window_seconds);
  set_int("max-image-width", api.image_limits.max_width);
  set_int("max-image-height", api.image_limits.max_height);
  set_int("max-image-pixels", api.image_limits.max_pixels);
  set_int("max-image-bytes", api.image_limits.max_bytes);
  set_int("max-banner-bytes", api.banner_limits.max_bytes);
  api.banner_limits.max_width = api.image_limits.max_width;
  api.banner_limits.max_height = api.image_limits.max_height;
  api.banner_limits.max_pixels = api.image_limits.max_pixels;
  set_int("max-multipart-parts", api.intake_limits.max_parts);
  for (const api::Route& route : api::RouteTable()) {
    if (route.rate.setting.empty()) continue;
    const std::string user_setting(route.rate.setting);
    const std::string app_setting = user_setting + "-app";
    const int64_t user_limit = flags.integer(user_setting, route.rate.user_limit);
    if (flags.has(user_setting)) api.rate_limits.limits[user_setting] = user_limit;
    // The plain setting covers apps too unless the "-app" one is given (RateLimitFor).
    const int64_t app_limit =
        flags.integer(app_setting, flags.has(user_setting) ? user_limit : route.rate.app_limit);
    if (flags.has(app_setting)) api.rate_limits.limits[app_setting] = app_limit;
  }
  set_int("rate-limit-window-seconds", api.rate_limits.window_seconds);
  // Routes without a limit of their own: the largest valid upload is 716,799 bytes, about 1 MB
  // as base64, a little more once percent-encoded in a form. Anything past a route's limit is
  // refused with 413 before it is read; the server parses every header under the largest.
  set_int("max-body-bytes", api.max_body_bytes);
  config.server.max_body_bytes = api::LargestBodyBytes(api.max_body_bytes);
}

void ReadJobs(const Flags& flags, ServeConfig& config) {
  jobs::JobOptions& jobs = config.jobs;
  jobs.workers = config.workers;
  jobs.retire_grace_seconds = flags.integer("grace-period-seconds", jobs.retire_grace_seconds);
  config.api.retire_grace_seconds = jobs.retire_grace_seconds;
  jobs.lease_seconds = flags.integer("job-lease-seconds", jobs.lease_seconds);
  // Transient faults (a full disk, an unreachable store) postpone jobs until the horizon.
  jobs.retry_horizon_seconds =
      flags.integer("job-retry-horizon-seconds", jobs.retry_horizon_seconds);
  jobs.max_backoff_seconds = flags.integer("job-max-backoff-seconds", jobs.max_backoff_seconds);
  if (jobs.retry_horizon_seconds < 0)
    throw UsageError("--job-retry-horizon-seconds must be 0 or more");
  if (jobs.max_backoff_seconds < 1) throw UsageError("--job-max-backoff-seconds must be 1 or more");
  // An API-only node runs no janitor: worker nodes do.
  const int64_t janitor = flags.integer("janitor-interval-ms", jobs.janitor_interval_ms);
  jobs.janitor_interval_ms = config.processes_uploads ? janitor : 0;
}

void ReadPruning(const Flags& flags, ServeConfig& config) {
  jobs::StorePruningOptions& pruning = config.pruning;
  pruning.interval_ms = flags.integer("prune-interval-ms", pruning.interval_ms);
  pruning.job_retention_seconds =
      flags.integer("job-retention-seconds", pruning.job_retention_seconds);
  pruning.checkpoint_interval_ms =
      flags.integer("checkpoint-interval-ms", pruning.checkpoint_interval_ms);
  if (pruning.interval_ms < 1) throw UsageError("--prune-interval-ms must be 1 or more");
  // A failed job's upload stays for the grace period: its row must outlive it.
  if (pruning.job_retention_seconds < config.jobs.retire_grace_seconds) {
    throw UsageError("--job-retention-seconds must be at least --grace-period-seconds");
  }
}

// A database URL with its password masked ("postgresql://portrait:****@db/portrait"), so the
// host and database stay visible; wholly masked when a password may hide elsewhere in it.
std::string MaskedDatabaseUrl(const std::string& url) {
  if (!store::IsPostgresUrl(url)) return url;  // a SQLite path
  if (url.find("password") != std::string::npos) return "****";
  const size_t authority = url.find("://") + 3;
  const size_t at = url.find('@', authority);
  if (at == std::string::npos) return url;
  const size_t colon = url.find(':', authority);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "****" + url.substr(at);
}

}  // namespace

std::vector<std::string> RateLimitSettings() {
  std::vector<std::string> settings;
  for (const api::Route& route : api::RouteTable()) {
    if (route.rate.setting.empty()) continue;
    settings.emplace_back(route.rate.setting);
    settings.push_back(std::string(route.rate.setting) + "-app");
  }
  return settings;
}

ServeConfig ReadServeConfig(const Flags& flags) {
  ServeConfig config;
  config.role = flags.text("role", "both");
  if (config.role != "api" && config.role != "worker" && config.role != "both") {
    throw UsageError("--role must be api, worker or both, got: " + config.role);
  }
  config.takes_requests = config.role != "worker";
  config.processes_uploads = config.role != "api";
  const int64_t workers = flags.integer("workers", Cores());
  if (workers < 0) throw UsageError("--workers must be 0 or more");
  // An API-only node processes nothing, whatever --workers says.
  config.workers = config.processes_uploads ? static_cast<int>(workers) : 0;
  // Workers already run in parallel; libvips' own threads per operation share what is left of
  // the cores, so the two pools together do not oversubscribe the machine.
  config.vips_threads_per_operation = std::max(1, Cores() / std::max(1, config.workers));
  const std::string level = flags.text("log-level", "info");
  std::optional<LogLevel> log_level = ParseLogLevel(level);
  if (!log_level) throw UsageError("--log-level must be debug, info, warn or error, got: " + level);
  config.log_level = *log_level;
  config.server.debug_log = *log_level == LogLevel::kDebug;
  if (flags.integer("database-pool-size", store::PostgresOptions{}.pool_size) < 1) {
    throw UsageError("--database-pool-size must be 1 or more");
  }
  if (!flags.has("data-dir") && !(flags.has("database") && flags.has("s3-endpoint"))) {
    throw UsageError("--data-dir is required (unless both --database and --s3-endpoint are given)");
  }
  ReadServer(flags, config);
  ReadApi(flags, config);
  ReadJobs(flags, config);
  config.api.signin = ReadSignInOptions(flags);
  ReadPruning(flags, config);
  return config;
}

int ShowConfig(const Flags& flags) {
  ReadServeConfig(flags);  // the same checks serve makes; it records the defaults it used
  boost::json::object settings;
  for (const std::string& name : flags.known()) {
    boost::json::array values;
    std::string source = "unset";
    if (auto given = flags.sources.find(name); given != flags.sources.end()) {
      for (const auto& value : flags.all(name)) values.emplace_back(value);
      source = given->second;
    } else if (auto fallback = flags.defaults().find(name); fallback != flags.defaults().end()) {
      if (!fallback->second.empty()) values.emplace_back(fallback->second);
      source = "default";
    }
    for (auto& value : values) {
      if (name == "database") {
        value = MaskedDatabaseUrl(std::string(value.as_string()));
      } else if (IsSecretSetting(name)) {
        value = "****";
      }
    }
    settings[name] = {{"values", values}, {"source", source}};
  }
  std::printf("%s\n", boost::json::serialize(settings).c_str());
  return 0;
}

}  // namespace portrait::cli
