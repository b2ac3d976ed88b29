// `portrait serve`: wires the store, blob store, workers, API and HTTP server together.
#include <unistd.h>

#include <atomic>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <cstdio>
#include <optional>
#include <thread>

#include "api/api_handler.h"
#include "api/default_images.h"
#include "cli/command.h"
#include "cli/serve_config.h"
#include "cli/signin_settings.h"
#include "common/log_level.h"
#include "common/time_format.h"
#include "http/server.h"
#include "image/decoded_cache.h"
#include "image/pipeline.h"
#include "jobs/job_runner.h"
#include "store/metadata_store.h"

namespace portrait::cli {
namespace {

constexpr int kNotificationWaitMs = 500;
// Uploads decoded while checked, waiting for this node's workers: about fifty typical photos
// (a 500-px base is under 1 MB). Past that, or unclaimed for 30 s, a worker decodes the stored
// bytes again.
constexpr size_t kDecodedUploadsBytes = 32 << 20;
constexpr std::chrono::seconds kDecodedUploadsMaxAge{30};

// A bounded label for a failed or postponed attempt's reason: the text before its first ':'
// ("render", "storing", "upload missing"), at most 40 characters.
std::string FailureCategory(const jobs::JobEvent& event) {
  if (event.outcome != jobs::JobOutcome::kRetry && event.outcome != jobs::JobOutcome::kPostponed &&
      event.outcome != jobs::JobOutcome::kFailed) {
    return "";
  }
  std::string category = event.reason.substr(0, event.reason.find(':'));
  return category.substr(0, 40);
}

std::string WorkerName() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(getpid());
}

int Serve(const Flags& flags) {
  ServeConfig config = ReadServeConfig(flags);
  SetLogLevel(config.log_level);
  image::InitImageLibrary(config.vips_threads_per_operation);
  DataDir dir = OpenDataDir(flags);
  // A bucket that serves image URLs itself must hold the default image too.
  if (!config.api.image_base_url.empty() && flags.has("s3-endpoint")) {
    if (Status published = api::PublishDefaultImages(*dir.blobs); !published.ok()) {
      throw Fault("publishing the default images: " + published.message());
    }
  }

  jobs::JobOptions job_options = config.jobs;
  job_options.worker_name = WorkerName();
  std::optional<jobs::JobRunner> runner;
  api::ApiContext context(*dir.store, *dir.blobs, config.api, [&runner] { runner->Notify(); });
  // A node that renders what it accepts decodes each upload once, while checking it.
  std::optional<image::DecodedCache> decoded_uploads;
  if (config.workers > 0 && config.api.serve_api) {
    decoded_uploads.emplace(kDecodedUploadsBytes, kDecodedUploadsMaxAge);
    context.decoded_uploads = job_options.decoded_uploads = &*decoded_uploads;
  }
  job_options.on_event = [&metrics = context.metrics](const jobs::JobEvent& event) {
    metrics.CountJob(
        jobs::OutcomeName(event.outcome), FailureCategory(event),
        event.decoded_at_upload ? std::nullopt : std::optional(event.decode_ms / 1000.0),
        event.encode_ms / 1000.0, event.store_ms / 1000.0);
  };
  runner.emplace(*dir.store, *dir.blobs, job_options);
  // Opening the nonces before binding any port fails a second server on one SQLite data
  // directory at start-up, before it listens or says so, not at its first signed request (and
  // reads the nonce log back before the first request).
  if (config.takes_requests) dir.store->PruneNonces(NowSeconds(), config.pruning.step_rows);
  api::ApiHandler handler(context);
  http::Server server(config.server, handler);
  context.metrics.set_open_connections([&server] { return server.open_connections(); });
  std::vector<uint16_t> ports = server.ports();
  if (ports.size() > config.plain_listeners) {
    context.options.https_port = ports[config.plain_listeners];
  }

  boost::json::object listening{{"ts", NowSeconds()},
                                {"level", "info"},
                                {"event", "listening"},
                                {"http_port", ports[0]},
                                {"data_dir", flags.get("data-dir").value_or("")},
                                {"workers", config.workers},
                                {"role", config.role}};
  if (context.options.https_port) listening["https_port"] = *context.options.https_port;
  // Written at every log level: it is how tools learn the ports (port 0 listeners).
  std::fprintf(stderr, "%s\n", boost::json::serialize(listening).c_str());
  std::fflush(stderr);

  jobs::StorePruner pruner(*dir.store, config.pruning);
  pruner.Start();
  runner->Start();
  // With PostgreSQL, uploads accepted by other nodes wake this node's workers at once.
  std::atomic<bool> serving{true};
  std::thread job_listener([&] {
    // SQLite has no notifications (its WaitForJobNotification returns at once): one process
    // wakes its own workers on enqueue.
    const bool shared_database = flags.has("database");
    while (shared_database && config.workers > 0 && serving.load()) {
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
  pruner.Stop();
  std::fprintf(stderr, "{\"ts\":%lld,\"level\":\"info\",\"event\":\"stopped\"}\n",
               static_cast<long long>(NowSeconds()));
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
      "  --trusted-proxy IP          peer whose X-Forwarded-Proto and X-Forwarded-For (or\n"
      "                              Forwarded) are believed (repeatable)\n"
      "  --grace-period-seconds N    how long replaced images stay served (default 86400)\n"
      "  --job-lease-seconds N       a claimed job returns to the queue after this long if its\n"
      "                              worker died (default 15)\n"
      "  --job-retry-horizon-seconds N  how long a job meeting transient faults (disk full,\n"
      "                              store unreachable) is retried after its upload before it\n"
      "                              fails (default 86400)\n"
      "  --job-max-backoff-seconds N the longest wait between those retries (default 300)\n"
      "  --janitor-interval-ms N     how often replaced images past their grace period are\n"
      "                              deleted (default 60000)\n"
      "  --prune-interval-ms N       how often expired nonces and sign-in state and old\n"
      "                              finished jobs are deleted (default 10000)\n"
      "  --job-retention-seconds N   how long finished jobs stay listed (default 604800)\n"
      "  --checkpoint-interval-ms N  how often SQLite's write-ahead log is truncated (default\n"
      "                              60000; 0: never)\n"
      "  --timestamp-window-seconds N  OAuth clock tolerance (default 600)\n"
      "  --max-image-width N, --max-image-height N, --max-image-pixels N\n"
      "  --max-connections N         open connections at most (default 10000)\n"
      "  --max-body-bytes N          larger request bodies get 413 unread (default 4 MiB)\n"
      "  --io-threads N, --handler-threads N, --read-timeout-ms N   (defaults 2, 2 x cores, "
      "30000)\n"
      "  --access-log on|off         one JSON line per request on stderr (default on)\n"
      "  --log-level LEVEL           debug, info, warn or error: the least severe JSON log line\n"
      "                              written (default info; 5xx requests log as error; the\n"
      "                              listening and stopped lines are always written)\n"
      "  --max-image-bytes N         decoded uploads of more bytes get 422 (default 716799)\n"
      "  --max-banner-bytes N        decoded banners of more bytes get 422 (default 5242879)\n"
      "  --max-multipart-parts N     multipart bodies with more parts get 400 (default 64)\n"
      "  --rate-limit-ENDPOINT N     requests per window for users and apps (ENDPOINT: "
      "users-show,\n"
      "                              verify-credentials, update-profile-image, ...; defaults\n"
      "                              Twitter's, see docs/API.md); --rate-limit-ENDPOINT-app N\n"
      "                              for app-only bearer tokens alone\n"
      "  --rate-limit-window-seconds N         the window (default 900)\n"
      "  --write-timeout-ms N, --idle-timeout-ms N, --drain-timeout-ms N   (defaults 30000,\n"
      "                              60000, 10000)\n"
      "  --max-header-bytes N        request headers larger get 400 (default 16384)\n"
      "  --max-queued-responses N    pipelined responses queued per connection (default 8)\n" +
          kSignInUsage,
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
       "job-retry-horizon-seconds",
       "job-max-backoff-seconds",
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
       "log-level",
       "janitor-interval-ms",
       "prune-interval-ms",
       "job-retention-seconds",
       "checkpoint-interval-ms",
       "max-image-bytes",
       "max-banner-bytes",
       "max-multipart-parts",
       "rate-limit-window-seconds",
       "write-timeout-ms",
       "idle-timeout-ms",
       "drain-timeout-ms",
       "max-header-bytes",
       "max-queued-responses"},
      {},
      Serve};
  serve.flags.insert("config");
  for (const std::string& setting : RateLimitSettings()) serve.flags.insert(setting);
  serve.flags.insert(kSignInFlags.begin(), kSignInFlags.end());
  serve.layered_settings = true;

  Command show = serve;
  show.words = {"config", "show"};
  show.summary =
      "print every setting serve would run with and where it came from (flag, environment, "
      "file, default or unset; secrets masked); precedence: flags > PORTRAIT_* environment > "
      "--config file > defaults";
  show.run = ShowConfig;
  return {serve, show};
}

}  // namespace portrait::cli
