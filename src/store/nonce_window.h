#pragma once
// NonceWindow: the OAuth nonces of the SQLite backend (MetadataStore::RecordNonce), kept in
// memory and in an append-only log in a directory of their own, so that recording one costs a
// hash lookup and one write(2) instead of a database commit.
//
// Durability: a nonce is in the log (the kernel's page cache) before Record returns, so a replay
// is refused after kill -9 of the process; Sync() flushes the log to the disk, so after a power
// loss or kernel crash only nonces recorded since the last Sync() may be forgotten. The log is
// read back when the window is opened.
//
// Layout of the directory: "key" (16 random bytes, the SipHash key), and one log file per
// minute of expiry, "{expires_at / 60}.log", of 16-byte records (the nonce's 64-bit keyed hash,
// its expires_at; little-endian). A file is deleted once every nonce in it has expired; a torn
// record at the end of a file (power loss) is dropped.
//
// What is compared: a 64-bit SipHash-2-4 of (consumer key, token, nonce) under the secret key,
// so two different nonces are confused (the second refused as a replay) with probability about
// live nonces / 2^64 (1e-12 with ten million live ones), and no client can choose nonces that
// collide or crowd the hash table.
//
// Memory: about 25 bytes per live nonce (a request rate of R per second keeps about
// R x (window + 1) live), and slots reserved for the traffic of the minute before each new
// minute: a burst sizes at most the one minute after it, whatever follows.
//
// Exclusivity: one process at a time records nonces in a directory (an exclusive flock(2) on
// "key", held while the window is open; kill -9 releases it). Within a process, Open() returns
// the same window for the same directory, so every store handle shares it.
//
// Errors: faults of the log (cannot create, read or write it) throw TransientFault for ENOSPC,
// EDQUOT, EIO and EROFS, Fault otherwise (another process holding the directory is a Fault).
// Safe for concurrent use by multiple threads.
#include <boost/unordered/unordered_flat_map.hpp>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

namespace portrait::store {

class NonceWindow {
 private:
  struct Minute;

 public:
  // The window of directory (created if missing, with its key), its log read back. Throws as
  // above.
  static std::shared_ptr<NonceWindow> Open(const std::filesystem::path& directory);

  NonceWindow(const NonceWindow&) = delete;
  NonceWindow& operator=(const NonceWindow&) = delete;
  ~NonceWindow();

  // True, and the nonce recorded until expires_at, unless the same (consumer_key, token, nonce)
  // was recorded before and its expires_at is still after now (a replay). A nonce that was
  // recorded and has expired may be recorded again.
  bool Record(std::string_view consumer_key, std::string_view token, std::string_view nonce,
              int64_t expires_at, int64_t now);

  // The nonces TakeExpired took out of the window: their hash tables and log files (already
  // unlinked), freed when this is destroyed, outside the window's lock.
  class Expired {
   public:
    Expired(Expired&&) noexcept;
    Expired& operator=(Expired&&) = delete;
    ~Expired();
    int64_t nonces() const { return nonces_; }  // how many were taken out

   private:
    friend class NonceWindow;
    Expired();
    std::vector<std::unique_ptr<Minute>> minutes_;
    int64_t nonces_ = 0;
  };

  // Takes out every nonce whose minute of expiry ended by now (60m + 60 <= now), a whole minute
  // at a time, each in constant time under the lock; the memory and disk blocks are released
  // when the result is destroyed, so Record never waits for a purge however large. Nonces stay
  // until taken out: expired ones are never refused, only kept.
  Expired TakeExpired(int64_t now);
  // TakeExpired(now), freed at once; returns how many nonces were forgotten.
  int64_t Prune(int64_t now) { return TakeExpired(now).nonces(); }

  // Flushes the log files to the disk (fdatasync), outside the lock.
  void Sync();

  // Nonces held, expired ones not yet taken out included.
  int64_t size();
  // Slots the hash tables hold (capacity, not contents): what their memory is sized for.
  int64_t capacity();

 private:
  NonceWindow(std::filesystem::path directory, int key_fd, const unsigned char* key);
  void Load();
  // The minute's table, created if missing (with room for as many nonces as the minute before
  // it holds, if size_like_previous). Requires mutex_.
  Minute& MinuteFor(int64_t minute, bool size_like_previous);

  const std::filesystem::path directory_;
  const int key_fd_;       // holds the flock
  unsigned char key_[16];  // crypto_shorthash_KEYBYTES
  std::mutex mutex_;
  std::map<int64_t, std::unique_ptr<Minute>> minutes_;  // by expires_at / 60; guarded by mutex_
  int64_t size_ = 0;                                    // guarded by mutex_
};

}  // namespace portrait::store
