#pragma once
// What every API endpoint and page shares: the stores, the limits, signing people in, and the
// hook that wakes the workers.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "api/metrics.h"
#include "api/rate_limiter.h"
#include "blob/blob_store.h"
#include "image/decoded_cache.h"
#include "image/inspect.h"
#include "signin/accounts.h"
#include "signin/authorization_flow.h"
#include "signin/signin_options.h"
#include "signin/web_sessions.h"
#include "store/metadata_store.h"
#include "upload/intake.h"

namespace portrait::api {

struct RateLimitOptions {
  bool enabled = true;
  // Overrides of the route table's limits, by the rows' setting names ("rate-limit-users-show",
  // "rate-limit-users-show-app"); a row without an override keeps its default (routes.h).
  std::map<std::string, int64_t, std::less<>> limits;
  int64_t window_seconds = 900;
  // Count in the metadata store, so every node sharing it shares the windows (set for
  // PostgreSQL); otherwise in this process's memory.
  bool shared = false;
};

struct ApiOptions {
  // False on a worker-only node: everything but /healthz, /readyz and /metrics is 404.
  bool serve_api = true;
  image::Limits image_limits;
  // Banners: the same dimension limits, "less than 5 MB" (SPEC §9); serve keeps the dimensions
  // equal to image_limits'.
  image::Limits banner_limits{.max_bytes = 5 * 1024 * 1024 - 1};
  // How long a replaced or removed banner stays served; serve sets it to the jobs' grace
  // period (--grace-period-seconds), which replaced profile images keep.
  int64_t retire_grace_seconds = 86400;
  upload::IntakeLimits intake_limits;
  // The body limit of routes that set none (a larger declared body gets 413 unread).
  uint64_t max_body_bytes = 4 * 1024 * 1024;
  RateLimitOptions rate_limits;
  int64_t oauth_timestamp_window_seconds = 600;
  // Uploads waiting for processing beyond which new ones get 503/130.
  int64_t max_pending_jobs = 1000;
  // Where image URLs point; empty: Portrait itself, at the scheme and host the client used.
  std::string image_base_url;
  std::string image_base_url_https;
  // The port of Portrait's HTTPS listener, if any: the https form of URLs for http clients.
  std::optional<uint16_t> https_port;
  // Passwords, throttles, sessions, sign-up and request tokens (SPEC §8).
  signin::SignInOptions signin;
};

// What every endpoint shares, built once before serving and shared by every I/O and handler
// thread. Fixed after start-up: the references, options (options.https_port is set once the
// listeners are bound, before the first request), on_upload_enqueued and decoded_uploads (set
// before the server runs, never after). What changes while serving is internally synchronised
// and safe from any thread: store and blobs (their contracts), rate_limiter, metrics and
// *decoded_uploads. The store, blob store and decoded cache must outlive the context.
struct ApiContext {
  store::MetadataStore& store;
  blob::BlobStore& blobs;
  ApiOptions options;
  signin::Accounts accounts;
  signin::AuthorizationFlow flow;
  signin::WebSessions sessions;
  RateLimiter rate_limiter;
  Metrics metrics;
  std::function<void()> on_upload_enqueued;
  // Set when this process renders uploads too: an upload is then checked by decoding it as the
  // pipeline does, and the decoded frame is kept here for the worker (see DecodedCache).
  image::DecodedCache* decoded_uploads = nullptr;

  ApiContext(store::MetadataStore& s, blob::BlobStore& b, ApiOptions o,
             std::function<void()> notify)
      : store(s),
        blobs(b),
        options(std::move(o)),
        accounts(s, options.signin),
        flow(s, accounts, options.signin.flow),
        sessions(s, options.signin.sessions),
        rate_limiter(options.rate_limits.window_seconds, options.rate_limits.shared ? &s : nullptr),
        on_upload_enqueued(std::move(notify)) {}
};

}  // namespace portrait::api
