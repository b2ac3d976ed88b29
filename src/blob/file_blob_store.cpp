// The data-directory backend of BlobStore: each key is a file under the root.
//
// Durability: a value is written to a temporary file, fsynced, renamed over the key's file, and
// the directory is fsynced. Directories on the way are created as needed, and the entry of each
// one in its parent is fsynced once per process before a Put that depends on it returns (a
// directory entry lost in a crash would lose every file in it).
//
// Deleting a key also removes directories it leaves empty, as object stores have no empty
// "directories"; a Put racing with that removal sees ENOENT and starts over.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <mutex>
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

Status PutError(std::string_view key, const SystemError& error) {
  return Status::Error("blob put " + std::string(key) + ": " + error.Message());
}

class FileBlobStore final : public BlobStore {
 public:
  explicit FileBlobStore(std::string root) : root_(std::move(root)) {}

  Status Put(std::string_view key, std::string_view bytes) override {
    if (!IsValidKey(key)) return Status::Error("invalid blob key: " + std::string(key));
    const std::string path = PathOf(key);
    for (int attempt = 1;; ++attempt) {
      if (auto error = MakeParentDirectories(key)) return PutError(key, *error);
      std::optional<SystemError> error = ReplaceFileDurably(path, bytes);
      if (!error) return Status::Ok();
      if (error->code != ENOENT || attempt == kMaxPutAttempts) return PutError(key, *error);
    }
  }

  std::optional<std::string> Get(std::string_view key) override {
    if (!IsValidKey(key)) return std::nullopt;
    auto content = ReadFileIfExists(PathOf(key));
    if (!content.ok())
      throw Fault("blob get " + std::string(key) + ": " + content.error().Message());
    return std::move(*content);
  }

  Status Delete(std::string_view key) override {
    if (!IsValidKey(key)) return Status::Error("invalid blob key: " + std::string(key));
    const std::string path = PathOf(key);
    if (::unlink(path.c_str()) != 0 && errno != ENOENT && errno != ENOTDIR) {
      return Status::Error("blob delete " + std::string(key) + ": " +
                           SystemError{"unlink", path, errno}.Message());
    }
    RemoveEmptyParentDirectories(key);
    return Status::Ok();
  }

  bool Healthy() override {
    struct stat status {};
    return ::stat(root_.c_str(), &status) == 0 && S_ISDIR(status.st_mode) &&
           ::access(root_.c_str(), W_OK | X_OK) == 0;
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
  return std::make_unique<FileBlobStore>(std::move(path));
}

}  // namespace portrait::blob
