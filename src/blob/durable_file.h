#pragma once
// POSIX file operations with the durability the file blob store promises: a file replaced with
// ReplaceFileDurably is, once the call returns, either wholly the new value or (before that)
// wholly the old one, after a crash or power loss too.
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace portrait::blob {

// A failed system call: what was attempted, on which path, and the errno value.
struct SystemError {
  std::string operation;
  std::string path;
  int code = 0;

  std::string Message() const;  // "create /data/x~tmp: No space left on device"
  // The filesystem has no room left: ENOSPC or EDQUOT.
  bool IsStorageFull() const;
  // Whether the failure is the filesystem's state rather than the call: every errno except
  // those that say a path names something the filesystem cannot hold (ENAMETOOLONG, ENOTDIR,
  // EISDIR, ELOOP, EINVAL, EFBIG, EXDEV).
  bool IsTransient() const;
};

// Writes bytes to a new uniquely named temporary file beside path, fsyncs it, renames it over
// path and fsyncs the directory. The temporary file's name contains '~', which no blob key may,
// so it never collides with a value. On failure the temporary file is removed.
std::optional<SystemError> ReplaceFileDurably(const std::string& path, std::string_view bytes);
// ReplaceFileDurably without the fsync of the directory: the new value is on disk, its name only
// once the caller syncs the directory (SyncDirectory), which may then cover several renames.
std::optional<SystemError> ReplaceFile(const std::string& path, std::string_view bytes);

// Creates the directory path (its parent must exist) and fsyncs the parent so that the new entry
// survives a crash. Returns whether it created the directory; an existing entry is not an error.
Result<bool, SystemError> MakeDirectoryDurably(const std::string& path);

// Makes the entries of the directory (creations, renames) durable.
std::optional<SystemError> SyncDirectory(const std::string& path);

// The whole content of a regular file; nothing when there is no such file (ENOENT, ENOTDIR, or
// not a regular file).
Result<std::optional<std::string>, SystemError> ReadFileIfExists(const std::string& path);

// The directory part of path ("a/b" for "a/b/c"; "." when there is none).
std::string ParentPath(std::string_view path);

}  // namespace portrait::blob
