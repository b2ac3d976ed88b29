#include "store/nonce_window.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/file.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>
#include <vector>

#include "common/result.h"

namespace portrait::store {
namespace {

constexpr int64_t kMinuteSeconds = 60;
constexpr size_t kRecordBytes = 16;
constexpr std::string_view kKeyFile = "key";
constexpr std::string_view kLogSuffix = ".log";
static_assert(crypto_shorthash_KEYBYTES == 16 && crypto_shorthash_BYTES == 8);

[[noreturn]] void ThrowErrno(const std::string& what, int error) {
  std::string message = "nonces: " + what + ": " + std::strerror(error);
  if (error == ENOSPC || error == EDQUOT || error == EIO || error == EROFS) {
    throw TransientFault(message);
  }
  throw Fault(message);
}

int64_t MinuteOf(int64_t expires_at) {
  // Floor division, so that a (test's) negative time still lands in one minute.
  return expires_at >= 0 ? expires_at / kMinuteSeconds
                         : -((-expires_at + kMinuteSeconds - 1) / kMinuteSeconds);
}

std::array<unsigned char, kRecordBytes> EncodeRecord(uint64_t digest, int64_t expires_at) {
  std::array<unsigned char, kRecordBytes> record{};
  const auto expires = static_cast<uint64_t>(expires_at);
  for (size_t i = 0; i < 8; ++i) {
    record[i] = static_cast<unsigned char>(digest >> (8 * i));
    record[8 + i] = static_cast<unsigned char>(expires >> (8 * i));
  }
  return record;
}

std::pair<uint64_t, int64_t> DecodeRecord(const unsigned char* record) {
  uint64_t digest = 0;
  uint64_t expires = 0;
  for (size_t i = 0; i < 8; ++i) {
    digest |= uint64_t{record[i]} << (8 * i);
    expires |= uint64_t{record[8 + i]} << (8 * i);
  }
  return {digest, static_cast<int64_t>(expires)};
}

void AppendLengthPrefixed(std::string& out, std::string_view part) {
  const auto length = static_cast<uint32_t>(part.size());
  out.append(reinterpret_cast<const char*>(&length), sizeof length);
  out.append(part);
}

void SyncDirectory(const std::filesystem::path& directory) {
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) ThrowErrno("open " + directory.string(), errno);
  const int result = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (result != 0) ThrowErrno("fsync " + directory.string(), error);
}

// Writes a new random key under a temporary name and links it into place, so that of two
// processes creating it at once one key wins and both read it. Returns whether this call made
// it.
bool CreateKeyUnlessPresent(const std::filesystem::path& directory) {
  const std::filesystem::path key_path = directory / kKeyFile;
  if (::access(key_path.c_str(), F_OK) == 0) return false;
  const std::filesystem::path temporary =
      directory / ("key.tmp." + std::to_string(::getpid()) + "." + std::to_string(::gettid()));
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) ThrowErrno("create " + temporary.string(), errno);
  unsigned char key[crypto_shorthash_KEYBYTES];
  crypto_shorthash_keygen(key);
  const bool written =
      ::write(fd, key, sizeof key) == static_cast<ssize_t>(sizeof key) && ::fsync(fd) == 0;
  const int error = errno;
  ::close(fd);
  if (!written) {
    ::unlink(temporary.c_str());
    ThrowErrno("write " + temporary.string(), error);
  }
  const bool linked = ::link(temporary.c_str(), key_path.c_str()) == 0;
  const int link_error = errno;
  ::unlink(temporary.c_str());
  if (!linked && link_error != EEXIST) ThrowErrno("link " + key_path.string(), link_error);
  SyncDirectory(directory);
  return linked;
}

std::mutex& RegistryMutex() {
  static std::mutex mutex;
  return mutex;
}

std::map<std::string, std::weak_ptr<NonceWindow>>& Registry() {
  static std::map<std::string, std::weak_ptr<NonceWindow>> windows;
  return windows;
}

// A log file's descriptor, shared so that Sync can flush it outside the lock while TakeExpired
// drops the minute: it is closed when the last holder lets go.
struct LogFile {
  explicit LogFile(int descriptor) : fd(descriptor) {}
  LogFile(const LogFile&) = delete;
  LogFile& operator=(const LogFile&) = delete;
  ~LogFile() { ::close(fd); }
  const int fd;
};

}  // namespace

struct NonceWindow::Minute {
  boost::unordered_flat_map<uint64_t, int64_t> nonces;  // keyed hash -> expires_at
  std::shared_ptr<LogFile> log;                         // O_APPEND
  off_t bytes = 0;                                      // what the log holds, whole records
};

NonceWindow::Expired::Expired() = default;
NonceWindow::Expired::Expired(Expired&&) noexcept = default;
NonceWindow::Expired::~Expired() = default;

std::shared_ptr<NonceWindow> NonceWindow::Open(const std::filesystem::path& directory) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) throw Fault("nonces: cannot create " + directory.string() + ": " + error.message());
  const std::string name = std::filesystem::weakly_canonical(directory).string();

  std::lock_guard lock(RegistryMutex());
  if (std::shared_ptr<NonceWindow> open = Registry()[name].lock()) return open;
  if (sodium_init() < 0) throw Fault("nonces: libsodium cannot be initialised");

  const bool new_key = CreateKeyUnlessPresent(directory);
  const std::filesystem::path key_path = directory / kKeyFile;
  const int fd = ::open(key_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) ThrowErrno("open " + key_path.string(), errno);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int flock_error = errno;
    ::close(fd);
    if (flock_error == EWOULDBLOCK) {
      throw Fault("nonces: " + directory.string() +
                  " is in use by another process (one server per SQLite data directory; several "
                  "nodes share PostgreSQL)");
    }
    ThrowErrno("flock " + key_path.string(), flock_error);
  }
  unsigned char key[crypto_shorthash_KEYBYTES];
  if (::read(fd, key, sizeof key) != static_cast<ssize_t>(sizeof key)) {
    const int read_error = errno;
    ::close(fd);
    ThrowErrno("read " + key_path.string(), read_error != 0 ? read_error : EIO);
  }
  std::shared_ptr<NonceWindow> window(new NonceWindow(directory, fd, key));
  if (new_key) {
    // Logs written under another key (a key file removed by hand) can match nothing.
    for (const auto& entry : std::filesystem::directory_iterator(directory)) {
      if (entry.path().extension() == kLogSuffix) std::filesystem::remove(entry.path(), error);
    }
  }
  window->Load();
  Registry()[name] = window;
  return window;
}

NonceWindow::NonceWindow(std::filesystem::path directory, int key_fd, const unsigned char* key)
    : directory_(std::move(directory)), key_fd_(key_fd) {
  std::memcpy(key_, key, sizeof key_);
}

NonceWindow::~NonceWindow() {
  minutes_.clear();  // closes the logs
  ::close(key_fd_);  // releases the flock
}

void NonceWindow::Load() {
  std::lock_guard lock(mutex_);
  std::vector<unsigned char> bytes;
  for (const auto& entry : std::filesystem::directory_iterator(directory_)) {
    if (entry.path().extension() != kLogSuffix) continue;
    const std::string stem = entry.path().stem().string();
    int64_t minute = 0;
    try {
      size_t used = 0;
      minute = std::stoll(stem, &used);
      if (used != stem.size()) continue;
    } catch (const std::exception&) {
      continue;  // not one of ours
    }
    Minute& loaded = MinuteFor(minute, /*size_like_previous=*/false);
    const int fd = loaded.log->fd;
    const off_t size = ::lseek(fd, 0, SEEK_END);
    if (size < 0) ThrowErrno("seek " + entry.path().string(), errno);
    bytes.resize(static_cast<size_t>(size));
    if (::pread(fd, bytes.data(), bytes.size(), 0) != static_cast<ssize_t>(bytes.size())) {
      ThrowErrno("read " + entry.path().string(), errno != 0 ? errno : EIO);
    }
    const size_t whole = bytes.size() / kRecordBytes;
    loaded.nonces.reserve(whole);
    for (size_t i = 0; i < whole; ++i) {
      auto [digest, expires_at] = DecodeRecord(bytes.data() + i * kRecordBytes);
      auto [slot, inserted] = loaded.nonces.try_emplace(digest, expires_at);
      if (!inserted && slot->second < expires_at) slot->second = expires_at;
    }
    loaded.bytes = static_cast<off_t>(whole * kRecordBytes);
    // A record torn by a power loss is dropped, so that the next one starts on a boundary.
    if (loaded.bytes != size && ::ftruncate(fd, loaded.bytes) != 0) {
      ThrowErrno("truncate " + entry.path().string(), errno);
    }
    size_ += static_cast<int64_t>(loaded.nonces.size());
  }
}

NonceWindow::Minute& NonceWindow::MinuteFor(int64_t minute, bool size_like_previous) {
  std::unique_ptr<Minute>& slot = minutes_[minute];
  if (slot) return *slot;
  auto created = std::make_unique<Minute>();
  const std::filesystem::path path =
      directory_ / (std::to_string(minute) + std::string(kLogSuffix));
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int error = errno;
    minutes_.erase(minute);
    ThrowErrno("open " + path.string(), error);
  }
  created->log = std::make_shared<LogFile>(fd);
  // A new minute fills about as fast as the one before it did, which took the last 60 s of
  // traffic: reserving that spares most rehashes. (Not the minute that expired last, which
  // holds the traffic of a window ago: after a burst, every minute was sized for the burst.)
  if (size_like_previous) {
    if (const auto previous = minutes_.find(minute - 1); previous != minutes_.end()) {
      const size_t filled = previous->second->nonces.size();
      created->nonces.reserve(filled + filled / 8);
    }
  }
  slot = std::move(created);
  return *slot;
}

bool NonceWindow::Record(std::string_view consumer_key, std::string_view token,
                         std::string_view nonce, int64_t expires_at, int64_t now) {
  std::string input;
  input.reserve(12 + consumer_key.size() + token.size() + nonce.size());
  AppendLengthPrefixed(input, consumer_key);
  AppendLengthPrefixed(input, token);
  AppendLengthPrefixed(input, nonce);
  uint64_t digest = 0;
  crypto_shorthash(reinterpret_cast<unsigned char*>(&digest),
                   reinterpret_cast<const unsigned char*>(input.data()), input.size(), key_);
  const std::array<unsigned char, kRecordBytes> record = EncodeRecord(digest, expires_at);

  std::lock_guard lock(mutex_);
  // Only minutes that end after now can hold a nonce that has not expired.
  for (auto it = minutes_.lower_bound(MinuteOf(now)); it != minutes_.end(); ++it) {
    if (it->second->nonces.empty()) continue;
    auto found = it->second->nonces.find(digest);
    if (found != it->second->nonces.end() && found->second > now) return false;
  }
  Minute& minute = MinuteFor(MinuteOf(expires_at), /*size_like_previous=*/true);
  auto [slot, inserted] = minute.nonces.try_emplace(digest, expires_at);
  const int64_t previous = inserted ? 0 : slot->second;
  if (!inserted) slot->second = expires_at;
  const ssize_t written = ::write(minute.log->fd, record.data(), record.size());
  if (written != static_cast<ssize_t>(record.size())) {
    const int error = written < 0 ? errno : ENOSPC;
    // Undo, so the refused request's nonce is not taken as used, and keep the log aligned.
    if (inserted) {
      minute.nonces.erase(slot);
    } else {
      slot->second = previous;
    }
    if (written > 0) (void)::ftruncate(minute.log->fd, minute.bytes);
    ThrowErrno("write the log of minute " + std::to_string(MinuteOf(expires_at)), error);
  }
  minute.bytes += static_cast<off_t>(record.size());
  if (inserted) ++size_;
  return true;
}

NonceWindow::Expired NonceWindow::TakeExpired(int64_t now) {
  Expired expired;
  std::lock_guard lock(mutex_);
  // Minute m holds expires_at in [60m, 60m + 60): all expired once 60m + 60 <= now.
  while (!minutes_.empty() && (minutes_.begin()->first + 1) * kMinuteSeconds <= now) {
    const std::filesystem::path path =
        directory_ / (std::to_string(minutes_.begin()->first) + std::string(kLogSuffix));
    // Unlinking an open file only removes its name; its blocks are freed at the last close,
    // when expired is destroyed.
    ::unlink(path.c_str());
    const auto count = static_cast<int64_t>(minutes_.begin()->second->nonces.size());
    size_ -= count;
    expired.nonces_ += count;
    expired.minutes_.push_back(std::move(minutes_.begin()->second));
    minutes_.erase(minutes_.begin());
  }
  return expired;
}

void NonceWindow::Sync() {
  std::vector<std::shared_ptr<LogFile>> logs;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [minute, held] : minutes_) logs.push_back(held->log);
  }
  for (const std::shared_ptr<LogFile>& log : logs) {
    if (::fdatasync(log->fd) != 0) ThrowErrno("fdatasync a nonce log", errno);
  }
  SyncDirectory(directory_);
}

int64_t NonceWindow::size() {
  std::lock_guard lock(mutex_);
  return size_;
}

int64_t NonceWindow::capacity() {
  std::lock_guard lock(mutex_);
  int64_t slots = 0;
  for (const auto& [minute, held] : minutes_)
    slots += static_cast<int64_t>(held->nonces.bucket_count());
  return slots;
}

}  // namespace portrait::store
