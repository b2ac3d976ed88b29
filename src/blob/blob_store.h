#pragma once
// BlobStore: named byte strings (pending uploads and processed image variants). Core code sees
// only this interface; the backends (the data directory, S3-compatible storage) live in their own
// files behind a factory.
//
// Keys are relative paths of [A-Za-z0-9._-] segments joined by '/', e.g.
// "profile_images/42/abc_normal.jpeg"; anything else is refused (never touches the storage).
// Every method is safe to call concurrently from many threads.
//
// Error rule, the same for every method and every backend (see common/result.h):
//  - a Status (from Put and Delete) only for what the caller can act on: an invalid key, refused
//    before any I/O. Get answers an invalid or a missing key with nothing.
//  - every failure of the storage itself is thrown: a TransientFault when the same call may
//    succeed later with no change to it (the storage is full, failing, unreachable, overloaded,
//    or refuses this node's credentials), a Fault when the storage rejects the call as made (a
//    name the filesystem cannot hold, a request the service calls malformed). Which system
//    errors and HTTP answers are which is written beside each factory.
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"

namespace portrait::blob {

// True when key is well formed (see above): no empty, "." or ".." segments, no leading '/'.
bool IsValidKey(std::string_view key);

// The storage has no room left (ENOSPC, EDQUOT, HTTP 507): a TransientFault that CheckHealth
// reports as "disk full".
class StorageFullFault : public TransientFault {
 public:
  using TransientFault::TransientFault;
};

// One value of a PutAll.
struct BlobToPut {
  std::string_view key;
  std::string_view bytes;
};

class BlobStore {
 public:
  virtual ~BlobStore() = default;

  // Stores bytes under key atomically and durably: once Put returns ok, the whole value is
  // readable after a crash, and a reader never sees a partial value. Overwrites. An error Status
  // only for an invalid key; storage failures throw (see above) and leave no partial value.
  virtual Status Put(std::string_view key, std::string_view bytes) = 0;

  // Stores every value as Put does; all are durable once PutAll returns ok. A reader never sees
  // a partial value, but a fault (or a crash) before PutAll returns may leave any of them
  // stored: a caller giving up deletes them all. An error Status for the first invalid key,
  // before any I/O; storage failures throw as Put's do (when several fail, one of their faults,
  // a TransientFault if any was one).
  // Default: every Put at once, each on a thread of its own, so that a round trip to an object
  // store per value overlaps the others. The file store writes them one after another on the
  // calling thread and fsyncs each directory once, after the last rename.
  virtual Status PutAll(std::span<const BlobToPut> blobs);

  // The whole value, or nothing when no such key (or an invalid key). Storage failures throw.
  virtual std::optional<std::string> Get(std::string_view key) = 0;

  // Get for serving a value that never changes once written (an image variant) to many readers:
  // a backend may answer from a bounded in-memory cache of recently served values. A Delete or
  // Put through this store is seen at once; one made by another process sharing the storage may
  // be seen only after a few seconds. Default: Get.
  virtual std::optional<std::string> GetForServing(std::string_view key) { return Get(key); }

  // What GetForServing would answer from memory right now, without any I/O; nothing when the
  // value is not in memory (or the key is unknown). For a caller that must not wait. Default:
  // nothing.
  virtual std::optional<std::string> GetServedFromMemory(std::string_view) { return std::nullopt; }

  // Removes the key; removing a missing key is ok. An error Status only for an invalid key;
  // storage failures throw.
  virtual Status Delete(std::string_view key) = 0;

  // Whether the store can be written now, for readiness checks: ok, or an error whose message is
  // one of "disk full", "blob store not writable" or "blob store unavailable" (unreachable, or
  // its root or bucket missing). The stores the factories below return remember failed writes
  // (see WriteHealthTracker). Never throws.
  virtual Status CheckHealth() = 0;
};

// Keeps blobs as files under root (created if missing; throws Fault when it cannot be): temporary
// file, fsync, rename, fsync of the directory. GetForServing keeps up to 4 MB of values of at
// most 64 KB each in memory, least recently served first out, each for at most 5 seconds. Deleting
// a key removes the directories it leaves empty. A crash in the middle of a Put may leave a
// temporary file named "{file}~{random}" beside the key's file; no key can name it.
// A failed system call throws Fault when its errno says the key names something the filesystem
// cannot hold (ENAMETOOLONG, ENOTDIR, EISDIR, ELOOP, EINVAL, EFBIG, EXDEV), and TransientFault
// for every other errno (ENOSPC, EDQUOT, EIO, EROFS, EACCES, EMFILE, ...): what is wrong is the
// filesystem's state, not the call. ENOSPC and EDQUOT make CheckHealth say "disk full".
// CheckHealth: "blob store unavailable" when the root is gone, "blob store not writable" when
// this process may not write it; and what WriteHealthTracker adds.
std::unique_ptr<BlobStore> OpenFileBlobStore(const std::string& root);

// Forwards every call to a target store: derive from it to inject faults in tests. PutAll is the
// default one, so that it goes through this wrapper's Put (and any fault a test injects there).
class BlobStoreWrapper : public BlobStore {
 public:
  explicit BlobStoreWrapper(BlobStore& target) : target_(target) {}
  Status Put(std::string_view key, std::string_view bytes) override {
    return target_.Put(key, bytes);
  }
  std::optional<std::string> Get(std::string_view key) override { return target_.Get(key); }
  std::optional<std::string> GetForServing(std::string_view key) override {
    return target_.GetForServing(key);
  }
  std::optional<std::string> GetServedFromMemory(std::string_view key) override {
    return target_.GetServedFromMemory(key);
  }
  Status Delete(std::string_view key) override { return target_.Delete(key); }
  Status CheckHealth() override { return target_.CheckHealth(); }

 protected:
  BlobStore& target() { return target_; }

 private:
  BlobStore& target_;
};

// Makes a store's CheckHealth remember failed writes, so that readiness reports a full or
// failing store at once rather than after its own check happens to notice. A Put that throws a
// TransientFault makes CheckHealth answer "disk full" (StorageFullFault) or "blob store not
// writable" until a Put succeeds again. Meanwhile each CheckHealth Puts kWriteProbeKey itself,
// so that the store recovers without waiting for traffic (one small write per readiness check,
// only while failing); otherwise it is the target's own check. The factories above return
// stores wrapped in it; a test injecting faults with a BlobStoreWrapper wraps that in one.
// Thread-safe.
class WriteHealthTracker final : public BlobStoreWrapper {
 public:
  // Where the probe write goes: a valid key outside uploads/ and profile_images/.
  static constexpr std::string_view kWriteProbeKey = "health/write-probe";

  explicit WriteHealthTracker(BlobStore& target) : BlobStoreWrapper(target) {}
  explicit WriteHealthTracker(std::unique_ptr<BlobStore> owned)
      : BlobStoreWrapper(*owned), owned_(std::move(owned)) {}

  Status Put(std::string_view key, std::string_view bytes) override;
  // The target's own PutAll (the file store's batched fsyncs), its faults tracked as Put's.
  Status PutAll(std::span<const BlobToPut> blobs) override;
  Status CheckHealth() override;

 private:
  // Runs a write: success clears the recorded problem, a transient fault records it.
  Status Tracked(const std::function<Status()>& write);
  void RecordFailure(std::string problem);

  std::unique_ptr<BlobStore> owned_;  // the target, when this tracker owns it
  std::mutex mutex_;
  std::optional<std::string> problem_;  // set by a failed write; guarded by mutex_
};

}  // namespace portrait::blob
