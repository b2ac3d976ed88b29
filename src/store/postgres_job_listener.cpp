#include "store/postgres_job_listener.h"

#include <chrono>

namespace portrait::store {
namespace {

constexpr std::string_view kJobsChannel = "portrait_jobs";
constexpr std::string_view kListenJobs = "LISTEN portrait_jobs";

}  // namespace

bool PostgresJobListener::Wait(int timeout_ms) {
  std::unique_lock lock(mutex_, std::chrono::milliseconds(timeout_ms));
  if (!lock) return false;
  if (!connection_) {
    connection_ = std::make_unique<PostgresConnection>(url_, connect_timeout_seconds_);
    connection_->Query(kListenJobs);
  } else if (!connection_->CheckAlive()) {
    connection_->Reset();
    connection_->Query(kListenJobs);
    return true;  // jobs enqueued while it was down sent no notification that reached us
  }
  return connection_->WaitForNotification(kJobsChannel, timeout_ms);
}

}  // namespace portrait::store
