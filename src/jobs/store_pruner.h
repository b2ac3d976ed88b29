#pragma once
// StorePruner: keeps what the metadata store accumulates with use from growing without bound,
// on a schedule of its own, off the request path. Each pass deletes expired nonces, expired
// sign-in state (request tokens, web sessions, sign-in throttles: signin::PruneSignInState),
// and finished jobs older than the retention (done ones, and failed ones whose upload the
// janitor has removed); every checkpoint interval it also truncates the database's write-ahead
// log (SQLite). Nonces and jobs go in steps of at most step_rows, step_pause_ms apart, so that
// no step holds a lock long enough to hold up requests or uploads.
//
// Runs on every node that serves (the API records nonces; any node may prune the shared tables:
// the deletes are idempotent). Faults: no exception leaves the thread; a chore that throws is
// logged (a JSON line with "event":"pruned" and the reason) and tried again next pass.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "store/metadata_store.h"

namespace portrait::jobs {

struct StorePruningOptions {
  int64_t interval_ms = 10'000;  // between passes; <= 0: no thread (RunOnce still works)
  // How long a finished job stays listed (portrait jobs list) before it is deleted.
  int64_t job_retention_seconds = 7 * 86'400;
  // How often the write-ahead log is truncated; <= 0: never by the pruner (SQLite still
  // checkpoints into it as it fills, without truncating it).
  int64_t checkpoint_interval_ms = 60'000;
  int64_t step_rows = 1'000;   // rows one nonce or job step deletes at most
  int64_t step_pause_ms = 10;  // between two steps of one pass
  // The clock, in Unix seconds (tests move it); empty: the system clock.
  std::function<int64_t()> clock;
};

struct PrunePass {
  int64_t nonces = 0;
  int64_t jobs = 0;
  int64_t request_tokens = 0;
  int64_t web_sessions = 0;
  int64_t throttles = 0;
  bool checkpointed = false;
  std::string problem;  // the last chore that threw, if any
};

class StorePruner {
 public:
  // Keeps a reference: store must outlive the pruner.
  StorePruner(store::MetadataStore& store, StorePruningOptions options);
  ~StorePruner();  // Stop()s
  StorePruner(const StorePruner&) = delete;
  StorePruner& operator=(const StorePruner&) = delete;

  // Starts the thread, whose first pass runs at once, unless interval_ms <= 0.
  void Start();
  // Ends the pass in progress at its next step and joins the thread. Idempotent.
  void Stop();

  // One pass on the calling thread (the checkpoint when due, or when checkpoint is true);
  // chores that throw are recorded in problem, the others still run.
  PrunePass RunOnce(bool checkpoint = false);

 private:
  // Repeats step(limit) while it removes a full step, pausing between steps; returns the total.
  int64_t InSteps(const std::function<int64_t(int64_t limit)>& step);
  void Loop();
  bool SleepUnlessStopping(int64_t duration_ms);

  store::MetadataStore& store_;
  const StorePruningOptions options_;
  std::chrono::steady_clock::time_point last_checkpoint_;  // used by the pass in progress only

  std::mutex mutex_;
  std::condition_variable stop_requested_;
  bool stopping_ = false;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace portrait::jobs
