#include "jobs/job_runner.h"

#include <unistd.h>

#include <chrono>
#include <climits>
#include <thread>
#include <utility>

#include "common/time_format.h"
#include "jobs/retired_image_janitor.h"

namespace portrait::jobs {
namespace {

std::string DefaultWorkerName() {
  char host[HOST_NAME_MAX + 1] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host) + ":" + std::to_string(getpid());
}

JobOptions WithDefaults(JobOptions options) {
  if (options.worker_name.empty()) options.worker_name = DefaultWorkerName();
  if (!options.clock) options.clock = NowSeconds;
  return options;
}

}  // namespace

JobRunner::JobRunner(store::MetadataStore& store, blob::BlobStore& blobs, JobOptions options)
    : store_(store),
      blobs_(blobs),
      options_(WithDefaults(std::move(options))),
      processor_(store, blobs, options_) {}

JobRunner::~JobRunner() { Stop(); }

void JobRunner::Start() {
  if (!threads_.empty()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = false;
  }
  for (int index = 0; index < options_.workers; ++index) {
    threads_.emplace_back(&JobRunner::WorkerLoop, this,
                          options_.worker_name + "/" + std::to_string(index));
  }
  if (options_.janitor_interval_ms > 0) threads_.emplace_back(&JobRunner::JanitorLoop, this);
}

void JobRunner::Notify() {
  {
    std::lock_guard lock(mutex_);
    ++notify_generation_;
  }
  work_notified_.notify_one();
}

void JobRunner::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_notified_.notify_all();
  stop_requested_.notify_all();
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
}

int JobRunner::RunUntilIdle() {
  const std::string worker = options_.worker_name + "/sync";
  int attempts = 0;
  while (true) {
    // No thread to stop here: an attempt keeps trying a failing store for one lease at most.
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(options_.lease_seconds);
    const Pause pause = [deadline](int64_t duration_ms) {
      const auto wake = std::chrono::steady_clock::now() + std::chrono::milliseconds(duration_ms);
      if (wake > deadline) return false;
      std::this_thread::sleep_until(wake);
      return true;
    };
    if (!ClaimAndProcess(worker, pause)) return attempts;
    ++attempts;
  }
}

int JobRunner::DeleteExpiredImages() {
  JanitorPass pass = jobs::DeleteExpiredImages(store_, blobs_, options_.clock());
  if (pass.images_deleted > 0 || !pass.problem.empty()) {
    LogJanitorPass(pass.images_deleted, 0, pass.problem);
  }
  return pass.images_deleted;
}

int JobRunner::DeleteFailedUploads() {
  JanitorPass pass =
      jobs::DeleteFailedUploads(store_, blobs_, options_.clock() - options_.retire_grace_seconds);
  if (pass.uploads_deleted > 0 || !pass.problem.empty()) {
    LogJanitorPass(0, pass.uploads_deleted, pass.problem);
  }
  return pass.uploads_deleted;
}

std::optional<JobOutcome> JobRunner::ClaimAndProcess(const std::string& worker,
                                                     const Pause& pause) {
  std::optional<store::UploadJob> job =
      store_.ClaimJob(worker, options_.clock(), options_.lease_seconds);
  if (!job) return std::nullopt;
  JobEvent claimed;
  claimed.outcome = JobOutcome::kClaimed;
  claimed.job_id = job->id;
  claimed.user_id = job->user_id;
  claimed.attempt = job->attempts;
  claimed.worker = worker;
  Emit(claimed);

  JobEvent outcome = processor_.Process(*job, worker, pause);
  Emit(outcome);
  return outcome.outcome;
}

void JobRunner::WorkerLoop(const std::string& worker) {
  const Pause pause = [this](int64_t duration_ms) { return SleepUnlessStopping(duration_ms); };
  while (!stopping()) {
    // Read before claiming: a Notify() arriving after an empty claim must not be slept through.
    const uint64_t seen_generation = notify_generation();
    std::optional<JobOutcome> outcome;
    try {
      outcome = ClaimAndProcess(worker, pause);
    } catch (const std::exception& e) {
      outcome = JobOutcome::kFault;
      EmitFault(worker, e.what());
    } catch (...) {
      outcome = JobOutcome::kFault;
      EmitFault(worker, "unknown exception");
    }
    if (!outcome) {
      WaitForWork(seen_generation);
    } else if (*outcome == JobOutcome::kFault) {
      SleepUnlessStopping(options_.poll_interval_ms);
    }
  }
}

void JobRunner::JanitorLoop() {
  do {
    for (int (JobRunner::*chore)() :
         {&JobRunner::DeleteExpiredImages, &JobRunner::DeleteFailedUploads}) {
      try {
        (this->*chore)();
      } catch (const std::exception& e) {
        LogJanitorPass(0, 0, e.what());
      } catch (...) {
        LogJanitorPass(0, 0, "unknown exception");
      }
    }
  } while (SleepUnlessStopping(options_.janitor_interval_ms));
}

void JobRunner::Emit(const JobEvent& event) {
  LogJobEvent(event);
  if (!options_.on_event) return;
  try {
    options_.on_event(event);
  } catch (...) {
    // A listener is for observation only; its failure must not change the job's course.
  }
}

void JobRunner::EmitFault(const std::string& worker, const std::string& what) {
  JobEvent fault;
  fault.outcome = JobOutcome::kFault;
  fault.worker = worker;
  fault.reason = what;
  Emit(fault);
}

void JobRunner::WaitForWork(uint64_t seen_generation) {
  std::unique_lock lock(mutex_);
  work_notified_.wait_for(lock, std::chrono::milliseconds(options_.poll_interval_ms),
                          [&] { return stopping_ || notify_generation_ != seen_generation; });
}

bool JobRunner::SleepUnlessStopping(int64_t duration_ms) {
  std::unique_lock lock(mutex_);
  return !stop_requested_.wait_for(lock, std::chrono::milliseconds(duration_ms),
                                   [&] { return stopping_; });
}

bool JobRunner::stopping() {
  std::lock_guard lock(mutex_);
  return stopping_;
}

uint64_t JobRunner::notify_generation() {
  std::lock_guard lock(mutex_);
  return notify_generation_;
}

}  // namespace portrait::jobs
