#include <exception>
#include <future>
#include <vector>

#include "blob/blob_store.h"

namespace portrait::blob {

Status BlobStore::PutAll(std::span<const BlobToPut> blobs) {
  for (const BlobToPut& blob : blobs) {
    if (!IsValidKey(blob.key)) return Status::Error("invalid blob key: " + std::string(blob.key));
  }
  std::vector<std::future<Status>> writes;
  writes.reserve(blobs.size());
  for (const BlobToPut& blob : blobs) {
    writes.push_back(
        std::async(std::launch::async, [this, &blob] { return Put(blob.key, blob.bytes); }));
  }
  // Every write is waited for before anything is thrown: their threads read the caller's bytes.
  // A transient fault wins over any other: the storage, not the call, is what failed.
  Status result = Status::Ok();
  std::exception_ptr fault;
  bool transient = false;
  for (std::future<Status>& write : writes) {
    try {
      Status stored = write.get();
      if (!stored.ok() && result.ok()) result = stored;
    } catch (const TransientFault&) {
      if (!transient) fault = std::current_exception();
      transient = true;
    } catch (...) {
      if (!fault) fault = std::current_exception();
    }
  }
  if (fault) std::rethrow_exception(fault);
  return result;
}

}  // namespace portrait::blob
