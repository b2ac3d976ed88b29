// The data-directory backend of BlobStore: each key is a file under the root.
//
// Durability: a value is written to a temporary file, fsynced, renamed over the key's file, and
// the directory is fsynced (once for all the values of a PutAll that share it). Directories on the
// way are created as needed, and the entry of each one in its parent is fsynced once per process
// before a Put that depends on it returns (a directory entry lost in a crash would lose every file
// in it).
//
// Deleting a key also removes directories it leaves empty, as object stores have no empty
// "directories"; a Put racing with that removal sees ENOENT and starts over.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <list>
#include <mutex>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "blob/blob_store.h"
#include "blob/durable_file.h"

namespace portrait::blob {
namespace {

// How many times Put starts over when a concurrent Delete removed its directory.
constexpr int kMaxPutAttempts = 5;
// Bounds the memory of directories known to be durable; forgetting only costs an extra fsync.
constexpr size_t kMaxRememberedDirectories = 4096;

std::vector<std::string_view> ParentSegments(std::string_view key) {
  std::vector<std::string_view> segments;
  for (size_t slash = key.find('/'); slash != std::string_view::npos; slash = key.find('/')) {
    segments.push_back(key.substr(0, slash));
    key.remove_prefix(slash + 1);
  }
  return segments;
}

// Serving an image from memory saves five system calls (open, fstat, two reads, close) of the
// dozen a request costs. Deletes and Puts here evict at once; the age limit bounds how long a
// delete by another process sharing the directory goes unseen.
// Small on purpose: the hot set is the avatars a timeline shows (the 48-px _normal variant, a
// few KB each), and a cache that filled tens of MB would read as memory growth for hours.
constexpr size_t kServingCacheBytes = 4 << 20;
constexpr size_t kMaxServedValueBytes = 64 << 10;
constexpr std::chrono::seconds kMaxServedValueAge{5};

// Least recently served values first out, within a byte budget. Thread-safe.
class ServingCache {
 public:
  using Clock = std::chrono::steady_clock;

  std::optional<std::string> Find(const std::string& key) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    if (Clock::now() - it->second.loaded > kMaxServedValueAge) {
      EraseLocked(it);
      return std::nullopt;
    }
    recency_.splice(recency_.begin(), recency_, it->second.position);
    return it->second.bytes;
  }

  void Insert(const std::string& key, const std::string& bytes) {
    if (bytes.size() > kMaxServedValueBytes) return;
    std::lock_guard lock(mutex_);
    if (auto it = entries_.find(key); it != entries_.end()) EraseLocked(it);
    recency_.push_front(key);
    entries_.emplace(key, Entry{bytes, Clock::now(), recency_.begin()});
    bytes_ += bytes.size();
    while (bytes_ > kServingCacheBytes) EraseLocked(entries_.find(recency_.back()));
  }

  void Erase(const std::string& key) {
    std::lock_guard lock(mutex_);
    if (auto it = entries_.find(key); it != entries_.end()) EraseLocked(it);
  }

 private:
  struct Entry {
    std::string bytes;
    Clock::time_point loaded;
    std::list<std::string>::iterator position;
  };
  using Entries = std::unordered_map<std::string, Entry>;

  void EraseLocked(Entries::iterator it) {
    bytes_ -= it->second.bytes.size();
    recency_.erase(it->second.position);
    entries_.erase(it);
  }

  std::mutex mutex_;
  Entries entries_;                 // guarded by mutex_
  std::list<std::string> recency_;  // keys, most recently served first; guarded by mutex_
  size_t bytes_ = 0;                // guarded by mutex_
};

// The fault the error rule of blob_store.h gives a failed system call.
[[noreturn]] void ThrowFault(std::string_view what, std::string_view key,
                             const SystemError& error) {
  std::string message = std::string(what) + " " + std::string(key) + ": " + error.Message();
  if (error.IsStorageFull()) throw StorageFullFault(message);
  if (error.IsTransient()) throw TransientFault(message);
  throw Fault(message);
}

class FileBlobStore final : public BlobStore {
 public:
  explicit FileBlobStore(std::string root) : root_(std::move(root)) {}

  Status Put(std::string_view key, std::string_view bytes) override {
    const BlobToPut one{key, bytes};
    return PutAll(std::span(&one, 1));
  }

  // Each file is written, fsynced and renamed in turn; then each directory they went to is
  // fsynced once (seven variants of one image: one directory fsync, not seven).
  Status PutAll(std::span<const BlobToPut> blobs) override {
    for (const BlobToPut& blob : blobs) {
      if (!IsValidKey(blob.key)) return Status::Error("invalid blob key: " + std::string(blob.key));
    }
    std::vector<std::string> directories;
    for (const BlobToPut& blob : blobs) {
      const std::string path = PathOf(blob.key);
      serving_cache_.Erase(std::string(blob.key));
      for (int attempt = 1;; ++attempt) {
        if (auto error = MakeParentDirectories(blob.key)) ThrowFault("blob put", blob.key, *error);
        std::optional<SystemError> error = ReplaceFile(path, blob.bytes);
        if (!error) break;
        if (error->code != ENOENT || attempt == kMaxPutAttempts) {
          ThrowFault("blob put", blob.key, *error);
        }
      }
      std::string directory = ParentPath(path);
      if (std::find(directories.begin(), directories.end(), directory) == directories.end()) {
        directories.push_back(std::move(directory));
      }
    }
    for (const std::string& directory : directories) {
      if (auto error = SyncDirectory(directory)) ThrowFault("blob put", directory, *error);
    }
    for (const BlobToPut& blob : blobs) {
      serving_cache_.Erase(std::string(blob.key));  // a GetForServing racing with the writes
    }
    return Status::Ok();
  }

  std::optional<std::string> Get(std::string_view key) override {
    if (!IsValidKey(key)) return std::nullopt;
    auto content = ReadFileIfExists(PathOf(key));
    if (!content.ok()) ThrowFault("blob get", key, content.error());
    return std::move(*content);
  }

  std::optional<std::string> GetForServing(std::string_view key) override {
    if (!IsValidKey(key)) return std::nullopt;
    std::string cache_key(key);
    if (auto cached = serving_cache_.Find(cache_key)) return cached;
    std::optional<std::string> value = Get(key);
    if (value) serving_cache_.Insert(cache_key, *value);
    return value;
  }

  std::optional<std::string> GetServedFromMemory(std::string_view key) override {
    if (!IsValidKey(key)) return std::nullopt;
    return serving_cache_.Find(std::string(key));
  }

  Status Delete(std::string_view key) override {
    if (!IsValidKey(key)) return Status::Error("invalid blob key: " + std::string(key));
    const std::string path = PathOf(key);
    serving_cache_.Erase(std::string(key));
    if (::unlink(path.c_str()) != 0 && errno != ENOENT && errno != ENOTDIR) {
      ThrowFault("blob delete", key, SystemError{"unlink", path, errno});
    }
    serving_cache_.Erase(std::string(key));  // a GetForServing racing with the unlink
    RemoveEmptyParentDirectories(key);
    return Status::Ok();
  }

  Status CheckHealth() override {
    struct stat status {};
    if (::stat(root_.c_str(), &status) != 0 || !S_ISDIR(status.st_mode)) {
      return Status::Error("blob store unavailable");
    }
    if (::access(root_.c_str(), W_OK | X_OK) != 0) return Status::Error("blob store not writable");
    return Status::Ok();
  }

 private:
  std::string PathOf(std::string_view relative) const {
    return root_ + "/" + std::string(relative);
  }

  // Creates the key's missing parent directories, making each one's entry durable.
  std::optional<SystemError> MakeParentDirectories(std::string_view key) {
    std::lock_guard lock(directories_mutex_);
    std::string relative;
    for (std::string_view segment : ParentSegments(key)) {
      std::string parent = relative.empty() ? root_ : PathOf(relative);
      relative += (relative.empty() ? "" : "/") + std::string(segment);
      auto created = MakeDirectoryDurably(PathOf(relative));
      if (!created.ok()) return created.error();
      if (!*created && !durable_directories_.contains(relative)) {
        // It existed, but perhaps only in the page cache (made by an earlier, crashed process).
        if (auto error = SyncDirectory(parent)) return error;
      }
      Remember(relative);
    }
    return std::nullopt;
  }

  void RemoveEmptyParentDirectories(std::string_view key) {
    std::lock_guard lock(directories_mutex_);
    std::string_view directory = key;
    for (size_t slash = directory.rfind('/'); slash != std::string_view::npos;
         slash = directory.rfind('/')) {
      directory = directory.substr(0, slash);
      if (::rmdir(PathOf(directory).c_str()) != 0) return;  // not empty (or gone): stop here
      durable_directories_.erase(std::string(directory));
    }
  }

  void Remember(const std::string& relative) {
    if (durable_directories_.size() >= kMaxRememberedDirectories) durable_directories_.clear();
    durable_directories_.insert(relative);
  }

  const std::string root_;
  std::mutex directories_mutex_;
  std::unordered_set<std::string> durable_directories_;  // relative paths; directories_mutex_
  ServingCache serving_cache_;
};

}  // namespace

std::unique_ptr<BlobStore> OpenFileBlobStore(const std::string& root) {
  std::error_code error;
  std::filesystem::path absolute = std::filesystem::absolute(root, error).lexically_normal();
  if (!error && std::filesystem::create_directories(absolute, error)) {
    if (auto sync_error = SyncDirectory(absolute.parent_path().string())) {
      throw Fault("blob store root " + root + ": " + sync_error->Message());
    }
  }
  if (error) throw Fault("blob store root " + root + ": " + error.message());
  std::string path = absolute.string();
  if (path.size() > 1 && path.back() == '/') path.pop_back();
  return std::make_unique<WriteHealthTracker>(std::make_unique<FileBlobStore>(std::move(path)));
}

}  // namespace portrait::blob
