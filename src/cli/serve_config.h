#pragma once
// What `portrait serve` is told to be: every setting read, checked and turned into the options of
// the parts it wires together, without starting anything. `portrait config show` prints the
// same reading, defaults included.
#include <cstddef>
#include <string>
#include <vector>

#include "api/api_context.h"
#include "cli/flags.h"
#include "common/log_level.h"
#include "http/server.h"
#include "jobs/job_options.h"
#include "jobs/store_pruner.h"

namespace portrait::cli {

struct ServeConfig {
  std::string role;  // "api", "worker" or "both"
  bool takes_requests = true;
  bool processes_uploads = true;
  int workers = 0;
  int vips_threads_per_operation = 1;
  LogLevel log_level = LogLevel::kInfo;
  http::ServerOptions server;
  size_t plain_listeners = 0;  // server.listeners: the plain ones first, then the TLS ones
  api::ApiOptions api;         // api.signin: the sign-in endpoints and pages (SPEC §8)
  jobs::JobOptions jobs;       // on_event and worker_name are left to the caller
  // Expired nonces and sign-in state, old finished jobs, the write-ahead log: on every node.
  jobs::StorePruningOptions pruning;
};

// The rate-limit settings the route table names (api/routes.h), each with its "-app" form:
// flags of serve and config show.
std::vector<std::string> RateLimitSettings();

// Throws UsageError for a malformed or inconsistent setting.
ServeConfig ReadServeConfig(const Flags& flags);

// Prints, as one JSON object, each of the known settings with its values and where they came
// from ("flag", "environment", "file:PATH", "default", or "unset"); secrets masked.
int ShowConfig(const Flags& flags);

}  // namespace portrait::cli
