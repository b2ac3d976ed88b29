#pragma once
// BlobStore: named byte strings (pending uploads and processed image variants). Core code sees
// only this interface; backends (the data directory now, S3-compatible storage next) live in
// their own files behind a factory.
//
// Keys are relative paths of [A-Za-z0-9._-] segments joined by '/', e.g.
// "profile_images/42/abc_normal.jpeg"; anything else is refused (never touches the filesystem).
// Every method is safe to call concurrently from many threads. A fault of the backend (an I/O
// error reading a value that exists) throws portrait::Fault.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace portrait::blob {

// True when key is well formed (see above): no empty, "." or ".." segments, no leading '/'.
bool IsValidKey(std::string_view key);

class BlobStore {
 public:
  virtual ~BlobStore() = default;

  // Stores bytes under key atomically and durably: once Put returns ok, the whole value is
  // readable after a crash, and a reader never sees a partial value. Overwrites.
  // Expected failures (disk full, permission, invalid key) come back as a Status.
  virtual Status Put(std::string_view key, std::string_view bytes) = 0;

  // The whole value, or nothing when no such key (or an invalid key).
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

  // Removes the key; removing a missing key is ok.
  virtual Status Delete(std::string_view key) = 0;

  // Whether the store is reachable and writable (for readiness checks).
  virtual bool Healthy() = 0;
};

// Keeps blobs as files under root (created if missing; throws Fault when it cannot be): temporary
// file, fsync, rename, fsync of the directory. GetForServing keeps up to 4 MB of values of at
// most 64 KB each in memory, least recently served first out, each for at most 5 seconds. Deleting
// a key removes the directories it leaves empty. A crash in the middle of a Put may leave a
// temporary file named "{file}~{random}" beside the key's file; no key can name it.
std::unique_ptr<BlobStore> OpenFileBlobStore(const std::string& root);

// Forwards every call to a target store: derive from it to inject faults in tests.
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
  bool Healthy() override { return target_.Healthy(); }

 private:
  BlobStore& target_;
};

}  // namespace portrait::blob
