#include "jobs/store_pruner.h"

#include <boost/json.hpp>
#include <cstdio>

#include "common/log_level.h"
#include "common/time_format.h"
#include "signin/pruning.h"

namespace portrait::jobs {
namespace {

void LogPrunePass(const PrunePass& pass) {
  const bool failed = !pass.problem.empty();
  const bool pruned = pass.nonces > 0 || pass.jobs > 0 || pass.request_tokens > 0 ||
                      pass.web_sessions > 0 || pass.throttles > 0;
  if (!failed && !pruned) return;
  if (!ShouldLog(failed ? "error" : "debug")) return;
  boost::json::object line{{"ts", NowSeconds()},
                           {"level", failed ? "error" : "debug"},
                           {"event", "pruned"},
                           {"nonces", pass.nonces},
                           {"jobs", pass.jobs},
                           {"request_tokens", pass.request_tokens},
                           {"web_sessions", pass.web_sessions},
                           {"throttles", pass.throttles},
                           {"checkpointed", pass.checkpointed}};
  if (failed) line["reason"] = pass.problem;
  std::fprintf(stderr, "%s\n", boost::json::serialize(line).c_str());
  std::fflush(stderr);
}

StorePruningOptions WithDefaults(StorePruningOptions options) {
  if (!options.clock) options.clock = NowSeconds;
  if (options.step_rows < 1) options.step_rows = 1;
  return options;
}

}  // namespace

StorePruner::StorePruner(store::MetadataStore& store, StorePruningOptions options)
    : store_(store),
      options_(WithDefaults(std::move(options))),
      last_checkpoint_(std::chrono::steady_clock::now()) {}

StorePruner::~StorePruner() { Stop(); }

void StorePruner::Start() {
  if (thread_.joinable() || options_.interval_ms <= 0) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = false;
  }
  thread_ = std::thread(&StorePruner::Loop, this);
}

void StorePruner::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_requested_.notify_all();
  if (thread_.joinable()) thread_.join();
}

PrunePass StorePruner::RunOnce(bool checkpoint) {
  PrunePass pass;
  const int64_t now = options_.clock();
  auto chore = [&pass](const std::function<void()>& work) {
    try {
      work();
    } catch (const std::exception& fault) {
      pass.problem = fault.what();
    }
  };
  chore([&] {
    pass.nonces = InSteps([&](int64_t limit) { return store_.PruneNonces(now, limit); });
  });
  chore([&] {
    store::PrunedSignInState signin = signin::PruneSignInState(store_, now);
    pass.request_tokens = signin.request_tokens;
    pass.web_sessions = signin.web_sessions;
    pass.throttles = signin.throttles;
  });
  chore([&] {
    const int64_t finished_before = now - options_.job_retention_seconds;
    pass.jobs =
        InSteps([&](int64_t limit) { return store_.PruneFinishedJobs(finished_before, limit); });
  });
  const auto since = std::chrono::steady_clock::now() - last_checkpoint_;
  if (checkpoint || (options_.checkpoint_interval_ms > 0 &&
                     since >= std::chrono::milliseconds(options_.checkpoint_interval_ms))) {
    chore([&] {
      store_.CheckpointWriteAheadLog();
      pass.checkpointed = true;
      last_checkpoint_ = std::chrono::steady_clock::now();
    });
  }
  LogPrunePass(pass);
  return pass;
}

int64_t StorePruner::InSteps(const std::function<int64_t(int64_t limit)>& step) {
  int64_t total = 0;
  while (true) {
    const int64_t removed = step(options_.step_rows);
    total += removed;
    if (removed < options_.step_rows) return total;
    if (!SleepUnlessStopping(options_.step_pause_ms)) return total;
  }
}

void StorePruner::Loop() {
  do {
    RunOnce();
  } while (SleepUnlessStopping(options_.interval_ms));
}

bool StorePruner::SleepUnlessStopping(int64_t duration_ms) {
  std::unique_lock lock(mutex_);
  return !stop_requested_.wait_for(lock, std::chrono::milliseconds(duration_ms),
                                   [&] { return stopping_; });
}

}  // namespace portrait::jobs
