// `portrait serve`: wires the store, blob store, workers, API and HTTP server together.
#include <unistd.h>

#include <atomic>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <cstdio>
#include <optional>
#include <thread>
#include <type_traits>

#include "api/api_handler.h"
#include "api/default_images.h"
#include "cli/command.h"
#include "cli/settings.h"
#include "common/time_format.h"
#include "http/server.h"
#include "image/pipeline.h"
#include "jobs/job_runner.h"
#include "store/metadata_store.h"

namespace portrait::cli {
namespace {

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

constexpr int kNotificationWaitMs = 500;
constexpr int64_t kDefaultMaxBodyBytes = 4 * 1024 * 1024;

// A bounded label for a failed attempt's reason: the text before its first ':' ("render",
// "storing variant", "upload missing"), at most 40 characters.
std::string FailureCategory(const jobs::JobEvent& event) {
  if (event.outcome != jobs::JobOutcome::kRetry && event.outcome != jobs::JobOutcome::kFailed) {
    return "";
  }
  std::string category = event.reason.substr(0, event.reason.find(':'));
  return category.substr(0, 40);
}

int DefaultWorkers() { return std::max(1u, std::thread::hardware_concurrency()); }

std::string WorkerName() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(getpid());
}

// What a node does: takes requests (api), processes uploads (worker), or both.
struct Role {
  bool api = true;
  bool worker = true;
};

Role ParseRole(const Flags& flags) {
  const std::string role = flags.get("role").value_or("both");
  if (role == "both") return Role{true, true};
  if (role == "api") return Role{true, false};
  if (role == "worker") return Role{false, true};
  throw UsageError("--role must be api, worker or both, got: " + role);
}

int Serve(const Flags& flags) {
  const Role role = ParseRole(flags);
  const std::string data_dir = flags.get("data-dir").value_or("");
  // An API-only node runs no workers and no janitor: worker nodes do that.
  const int workers =
      role.worker ? static_cast<int>(flags.integer("workers", DefaultWorkers())) : 0;
  if (workers < 0) throw UsageError("--workers must be 0 or more");

  http::ServerOptions server_options;
  for (const auto& listen : flags.all("listen"))
    server_options.listeners.push_back(ParseListen(listen));
  if (server_options.listeners.empty())
    server_options.listeners.push_back(ParseListen("127.0.0.1:8080"));
  const size_t plain_listeners = server_options.listeners.size();
  for (const auto& listen : flags.all("listen-tls")) {
    http::ListenerOptions listener = ParseListen(listen);
    listener.tls = http::TlsOptions{flags.require("tls-cert"), flags.require("tls-key")};
    server_options.listeners.push_back(listener);
  }
  server_options.trusted_proxies = flags.all("trusted-proxy");
  server_options.max_connections = static_cast<int>(flags.integer("max-connections", 10000));
  server_options.handler_threads =
      static_cast<int>(flags.integer("handler-threads", std::max(4, 2 * DefaultWorkers())));
  server_options.io_threads = static_cast<int>(flags.integer("io-threads", 2));
  server_options.read_timeout_ms = static_cast<int>(flags.integer("read-timeout-ms", 30000));
  server_options.access_log = flags.on_off("access-log", true);
  // Each limit keeps its documented default (the option structs) unless a setting names it.
  auto set_int = [&flags](std::string_view name, auto& field) {
    field = static_cast<std::remove_reference_t<decltype(field)>>(flags.integer(name, field));
  };
  set_int("write-timeout-ms", server_options.write_timeout_ms);
  set_int("idle-timeout-ms", server_options.idle_timeout_ms);
  set_int("drain-timeout-ms", server_options.drain_timeout_ms);
  set_int("max-header-bytes", server_options.max_header_bytes);
  set_int("max-queued-responses", server_options.max_queued_responses);
  // The largest valid upload is 716,799 bytes: about 1 MB as base64, a little more once
  // percent-encoded in a form. Anything past this is refused with 413 before it is read.
  server_options.max_body_bytes =
      static_cast<uint64_t>(flags.integer("max-body-bytes", kDefaultMaxBodyBytes));

  api::ApiOptions api_options;
  api_options.serve_api = role.api;
  api_options.rate_limits.enabled = flags.on_off("rate-limits", true);
  // Nodes sharing a PostgreSQL database count requests there, so a client spreading its requests
  // over the nodes meets one limit. One process on SQLite counts in memory: no write per read.
  api_options.rate_limits.shared = store::IsPostgresUrl(flags.get("database").value_or(""));
  api_options.max_pending_jobs = flags.integer("max-pending-jobs", 1000);
  api_options.image_base_url = flags.get("image-base-url").value_or("");
  api_options.image_base_url_https = flags.get("image-base-url-https").value_or("");
  api_options.oauth_timestamp_window_seconds = flags.integer("timestamp-window-seconds", 600);
  api_options.image_limits.max_width = static_cast<int>(flags.integer("max-image-width", 10000));
  api_options.image_limits.max_height = static_cast<int>(flags.integer("max-image-height", 10000));
  api_options.image_limits.max_pixels = flags.integer("max-image-pixels", 40'000'000);
  set_int("max-image-bytes", api_options.image_limits.max_bytes);
  set_int("max-multipart-parts", api_options.intake_limits.max_parts);
  set_int("rate-limit-users-show", api_options.rate_limits.users_show);
  set_int("rate-limit-verify-credentials", api_options.rate_limits.verify_credentials);
  set_int("rate-limit-update-profile-image", api_options.rate_limits.update_profile_image);
  set_int("rate-limit-window-seconds", api_options.rate_limits.window_seconds);

  // Workers already run in parallel; libvips' own threads per operation share what is left of
  // the cores, so the two pools together do not oversubscribe the machine.
  image::InitImageLibrary(std::max(1, DefaultWorkers() / std::max(1, workers)));
  DataDir dir = OpenDataDir(flags);

  jobs::JobOptions job_options;
  job_options.workers = workers;
  job_options.worker_name = WorkerName();
  job_options.retire_grace_seconds = flags.integer("grace-period-seconds", 86400);
  job_options.lease_seconds = flags.integer("job-lease-seconds", job_options.lease_seconds);
  job_options.janitor_interval_ms =
      role.worker ? flags.integer("janitor-interval-ms", job_options.janitor_interval_ms) : 0;
  // A bucket that serves image URLs itself must hold the default image too.
  if (!api_options.image_base_url.empty() && flags.has("s3-endpoint")) {
    if (Status published = api::PublishDefaultImages(*dir.blobs); !published.ok()) {
      throw Fault("publishing the default images: " + published.message());
    }
  }
  std::optional<jobs::JobRunner> runner;
  api::ApiContext context(*dir.store, *dir.blobs, api_options, [&runner] { runner->Notify(); });
  job_options.on_event = [&metrics = context.metrics](const jobs::JobEvent& event) {
    metrics.CountJob(jobs::OutcomeName(event.outcome), FailureCategory(event),
                     event.render_ms / 1000.0, event.store_ms / 1000.0);
  };
  runner.emplace(*dir.store, *dir.blobs, job_options);
  api::ApiHandler handler(context);
  http::Server server(server_options, handler);
  context.metrics.set_open_connections([&server] { return server.open_connections(); });
  std::vector<uint16_t> ports = server.ports();
  if (ports.size() > plain_listeners) context.options.https_port = ports[plain_listeners];

  boost::json::object listening{{"ts", NowSeconds()},
                                {"level", "info"},
                                {"event", "listening"},
                                {"http_port", ports[0]},
                                {"data_dir", data_dir},
                                {"workers", workers},
                                {"role", flags.get("role").value_or("both")}};
  if (context.options.https_port) listening["https_port"] = *context.options.https_port;
  std::fprintf(stderr, "%s\n", boost::json::serialize(listening).c_str());
  std::fflush(stderr);

  runner->Start();
  // With PostgreSQL, uploads accepted by other nodes wake this node's workers at once.
  std::atomic<bool> serving{true};
  std::thread job_listener([&] {
    // SQLite has no notifications (its WaitForJobNotification returns at once): one process
    // wakes its own workers on enqueue.
    const bool shared_database = flags.has("database");
    while (shared_database && workers > 0 && serving.load()) {
      try {
        if (dir.store->WaitForJobNotification(kNotificationWaitMs)) runner->Notify();
      } catch (const std::exception&) {
        std::this_thread::sleep_for(std::chrono::milliseconds(kNotificationWaitMs));
      }
    }
  });
  server.Run(/*handle_signals=*/true);
  serving = false;
  job_listener.join();
  runner->Stop();
  std::fprintf(stderr, "{\"ts\":%lld,\"level\":\"info\",\"event\":\"stopped\"}\n",
               static_cast<long long>(NowSeconds()));
  return 0;
}

int ShowConfig(const Flags& flags) {
  boost::json::object settings;
  for (const auto& [name, source] : flags.sources) {
    boost::json::array values;
    for (const auto& value : flags.all(name)) {
      values.emplace_back(IsSecretSetting(name) ? "****" : value);
    }
    settings[name] = {{"values", values}, {"source", source}};
  }
  std::printf("%s\n", boost::json::serialize(settings).c_str());
  return 0;
}

}  // namespace

std::vector<Command> ServeCommands() {
  Command serve{
      {"serve"},
      "serve the API until SIGTERM/SIGINT, then drain and exit 0",
      "  --config FILE               settings file (name = value lines; see docs/OPERATIONS.md)\n"
      "  --data-dir DIR              data directory: SQLite database and image files (required\n"
      "                              unless both --database and --s3-endpoint are given)\n"
      "  --role api|worker|both      api: take requests, process nothing; worker: process\n"
      "                              uploads and serve only /healthz, /readyz and /metrics;\n"
      "                              both (default). Nodes share a PostgreSQL --database and\n"
      "                              an --s3-endpoint bucket (docs/SCALING.md)\n"
      "  --listen HOST:PORT          plain HTTP listener (repeatable; default 127.0.0.1:8080; "
      "port 0: any)\n"
      "  --listen-tls HOST:PORT      HTTPS listener (repeatable; needs --tls-cert and --tls-key)\n"
      "  --tls-cert FILE             PEM certificate chain\n"
      "  --tls-key FILE              PEM private key\n"
      "  --workers N                 processing workers (default: the core count)\n"
      "  --rate-limits on|off        per-user rate limits (default on)\n"
      "  --max-pending-jobs N        queued uploads before 503/130 (default 1000)\n"
      "  --image-base-url URL        where image URLs point (default: this server)\n"
      "  --image-base-url-https URL  the https form of it\n"
      "  --trusted-proxy IP          peer whose X-Forwarded-Proto is believed (repeatable)\n"
      "  --grace-period-seconds N    how long replaced images stay served (default 86400)\n"
      "  --job-lease-seconds N       a claimed job returns to the queue after this long if its\n"
      "                              worker died (default 15)\n"
      "  --janitor-interval-ms N     how often replaced images past their grace period are\n"
      "                              deleted (default 60000)\n"
      "  --timestamp-window-seconds N  OAuth clock tolerance (default 600)\n"
      "  --max-image-width N, --max-image-height N, --max-image-pixels N\n"
      "  --max-connections N         open connections at most (default 10000)\n"
      "  --max-body-bytes N          larger request bodies get 413 unread (default 4 MiB)\n"
      "  --io-threads N, --handler-threads N, --read-timeout-ms N   (defaults 2, 2 x cores, "
      "30000)\n"
      "  --access-log on|off         one JSON line per request on stderr (default on)\n"
      "  --max-image-bytes N         decoded uploads of more bytes get 422 (default 716799)\n"
      "  --max-multipart-parts N     multipart bodies with more parts get 400 (default 64)\n"
      "  --rate-limit-users-show N, --rate-limit-verify-credentials N,\n"
      "  --rate-limit-update-profile-image N   requests per window (defaults 900, 75, 30)\n"
      "  --rate-limit-window-seconds N         the window (default 900)\n"
      "  --write-timeout-ms N, --idle-timeout-ms N, --drain-timeout-ms N   (defaults 30000,\n"
      "                              60000, 10000)\n"
      "  --max-header-bytes N        request headers larger get 400 (default 16384)\n"
      "  --max-queued-responses N    pipelined responses queued per connection (default 8)\n",
      {"data-dir",
       "role",
       "listen",
       "listen-tls",
       "tls-cert",
       "tls-key",
       "workers",
       "rate-limits",
       "max-pending-jobs",
       "image-base-url",
       "image-base-url-https",
       "trusted-proxy",
       "grace-period-seconds",
       "job-lease-seconds",
       "timestamp-window-seconds",
       "max-image-width",
       "max-image-height",
       "max-image-pixels",
       "max-connections",
       "max-body-bytes",
       "io-threads",
       "handler-threads",
       "read-timeout-ms",
       "access-log",
       "janitor-interval-ms",
       "max-image-bytes",
       "max-multipart-parts",
       "rate-limit-users-show",
       "rate-limit-verify-credentials",
       "rate-limit-update-profile-image",
       "rate-limit-window-seconds",
       "write-timeout-ms",
       "idle-timeout-ms",
       "drain-timeout-ms",
       "max-header-bytes",
       "max-queued-responses"},
      {},
      Serve};
  serve.flags.insert("config");
  serve.layered_settings = true;

  Command show = serve;
  show.words = {"config", "show"};
  show.summary =
      "print the settings serve would take from flags, PORTRAIT_* variables and a --config file, "
      "each with its source (secrets masked; unlisted ones keep their defaults); precedence: "
      "flags > PORTRAIT_* environment > --config file > defaults";
  show.run = ShowConfig;
  return {serve, show};
}

}  // namespace portrait::cli
