#include "blob/blob_store.h"

namespace portrait::blob {
namespace {

constexpr std::string_view kDiskFull = "disk full";
constexpr std::string_view kNotWritable = "blob store not writable";

}  // namespace

Status WriteHealthTracker::Put(std::string_view key, std::string_view bytes) {
  return Tracked([&] { return BlobStoreWrapper::Put(key, bytes); });
}

Status WriteHealthTracker::PutAll(std::span<const BlobToPut> blobs) {
  return Tracked([&] { return target().PutAll(blobs); });
}

Status WriteHealthTracker::Tracked(const std::function<Status()>& write) {
  try {
    Status stored = write();
    if (stored.ok()) {
      std::lock_guard lock(mutex_);
      problem_.reset();
    }
    return stored;
  } catch (const StorageFullFault&) {
    RecordFailure(std::string(kDiskFull));
    throw;
  } catch (const TransientFault&) {
    RecordFailure(std::string(kNotWritable));
    throw;
  }
}

Status WriteHealthTracker::CheckHealth() {
  {
    std::lock_guard lock(mutex_);
    if (!problem_) return BlobStoreWrapper::CheckHealth();
  }
  try {
    // Through this tracker's own Put: success clears the problem, failure names it anew.
    if (Put(kWriteProbeKey, "ok").ok()) return BlobStoreWrapper::CheckHealth();
  } catch (const std::exception&) {
    // Put recorded what a transient fault means; any other failure keeps the last problem.
  }
  std::lock_guard lock(mutex_);
  return Status::Error(problem_.value_or(std::string(kNotWritable)));
}

void WriteHealthTracker::RecordFailure(std::string problem) {
  std::lock_guard lock(mutex_);
  problem_ = std::move(problem);
}

}  // namespace portrait::blob
