#include "blob/durable_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "common/random.h"

namespace portrait::blob {
namespace {

constexpr size_t kTemporarySuffixLength = 12;
constexpr mode_t kFileMode = 0644;  // world-readable, so a web server may serve the data directory
constexpr mode_t kDirectoryMode = 0755;

SystemError LastError(std::string operation, const std::string& path) {
  return SystemError{std::move(operation), path, errno};
}

// Closes fd on scope exit unless released.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now, reporting the error close may carry (a delayed write failure).
  int Close() { return ::close(std::exchange(fd_, -1)); }

 private:
  int fd_;
};

std::optional<SystemError> WriteAll(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return LastError("write", path);
    }
    bytes.remove_prefix(static_cast<size_t>(written));
  }
  return std::nullopt;
}

std::optional<SystemError> WriteSyncedFile(const std::string& path, std::string_view bytes) {
  FileDescriptor file(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, kFileMode));
  if (file.get() < 0) return LastError("create", path);
  if (auto error = WriteAll(file.get(), bytes, path)) return error;
  if (::fsync(file.get()) != 0) return LastError("fsync", path);
  if (file.Close() != 0) return LastError("close", path);
  return std::nullopt;
}

}  // namespace

std::string SystemError::Message() const {
  return operation + " " + path + ": " + std::generic_category().message(code);
}

bool SystemError::IsStorageFull() const { return code == ENOSPC || code == EDQUOT; }

bool SystemError::IsTransient() const {
  switch (code) {
    case ENAMETOOLONG:
    case ENOTDIR:
    case EISDIR:
    case ELOOP:
    case EINVAL:
    case EFBIG:
    case EXDEV:
      return false;
    default:
      return true;
  }
}

std::string ParentPath(std::string_view path) {
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return ".";
  if (slash == 0) return "/";
  return std::string(path.substr(0, slash));
}

std::optional<SystemError> SyncDirectory(const std::string& path) {
  FileDescriptor directory(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (directory.get() < 0) return LastError("open directory", path);
  if (::fsync(directory.get()) != 0) return LastError("fsync directory", path);
  return std::nullopt;
}

std::optional<SystemError> ReplaceFile(const std::string& path, std::string_view bytes) {
  const std::string temporary = path + "~" + RandomAlphanumeric(kTemporarySuffixLength);
  std::optional<SystemError> error = WriteSyncedFile(temporary, bytes);
  if (!error && ::rename(temporary.c_str(), path.c_str()) != 0) error = LastError("rename", path);
  if (error) ::unlink(temporary.c_str());
  return error;
}

std::optional<SystemError> ReplaceFileDurably(const std::string& path, std::string_view bytes) {
  if (auto error = ReplaceFile(path, bytes)) return error;
  return SyncDirectory(ParentPath(path));
}

Result<bool, SystemError> MakeDirectoryDurably(const std::string& path) {
  if (::mkdir(path.c_str(), kDirectoryMode) != 0) {
    if (errno == EEXIST) return false;
    return Failure{LastError("create directory", path)};
  }
  if (auto error = SyncDirectory(ParentPath(path))) return Failure{*error};
  return true;
}

Result<std::optional<std::string>, SystemError> ReadFileIfExists(const std::string& path) {
  FileDescriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (file.get() < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::optional<std::string>();
    return Failure{LastError("open", path)};
  }
  struct stat status {};
  if (::fstat(file.get(), &status) != 0) return Failure{LastError("stat", path)};
  if (!S_ISREG(status.st_mode)) return std::optional<std::string>();
  std::string content;
  content.reserve(static_cast<size_t>(status.st_size));
  char buffer[64 * 1024];
  while (true) {
    ssize_t count = ::read(file.get(), buffer, sizeof buffer);
    if (count < 0) {
      if (errno == EINTR) continue;
      return Failure{LastError("read", path)};
    }
    if (count == 0) break;
    content.append(buffer, static_cast<size_t>(count));
  }
  return std::optional<std::string>(std::move(content));
}

}  // namespace portrait::blob
