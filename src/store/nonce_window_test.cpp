// NonceWindow, the SQLite backend's nonces: what survives the process, who may open the
// directory, and purging without holding up recording.
#include "store/nonce_window.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <functional>

#include "common/result.h"
#include "store/store_test_support.h"

namespace portrait::store {
namespace {

constexpr int64_t kNow = kTestNow;

class NonceWindowTest : public ::testing::Test {
 protected:
  std::filesystem::path LogOf(int64_t expires_at) const {
    return path_ / (std::to_string(expires_at / 60) + ".log");
  }

  TemporaryDirectory directory_;
  std::filesystem::path path_ = directory_.path() / "portrait.db-nonces";
};

// Runs child in a forked process, which then kills itself with SIGKILL, as kill -9 would.
void RunThenKillNine(const std::function<void()>& child) {
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    child();
    raise(SIGKILL);
    _exit(1);  // not reached
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

TEST_F(NonceWindowTest, ANonceIsStillAReplayAfterTheProcessThatRecordedItWasKilled) {
  RunThenKillNine([&] {
    std::shared_ptr<NonceWindow> window = NonceWindow::Open(path_);
    if (!window->Record("ck", "tok", "before-kill", kNow + 600, kNow)) _exit(2);
  });
  std::shared_ptr<NonceWindow> window = NonceWindow::Open(path_);
  EXPECT_FALSE(window->Record("ck", "tok", "before-kill", kNow + 600, kNow + 5));
  EXPECT_TRUE(window->Record("ck", "tok", "after-kill", kNow + 600, kNow + 5));
}

TEST_F(NonceWindowTest, AnotherProcessCannotRecordInADirectoryInUse) {
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    char go = 0;
    if (read(ready[0], &go, 1) != 1) _exit(1);
    try {
      NonceWindow::Open(path_);
      _exit(0);
    } catch (const Fault&) {
      _exit(3);
    }
  }
  std::shared_ptr<NonceWindow> window = NonceWindow::Open(path_);
  ASSERT_EQ(write(ready[1], "x", 1), 1);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  close(ready[0]);
  close(ready[1]);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 3) << "the second process must be refused";
}

TEST_F(NonceWindowTest, HandlesInOneProcessShareOneWindow) {
  std::shared_ptr<NonceWindow> first = NonceWindow::Open(path_);
  std::shared_ptr<NonceWindow> second = NonceWindow::Open(path_);
  EXPECT_EQ(first.get(), second.get());
  ASSERT_TRUE(first->Record("ck", "tok", "n", kNow + 600, kNow));
  EXPECT_FALSE(second->Record("ck", "tok", "n", kNow + 600, kNow));
}

TEST_F(NonceWindowTest, TakingOutExpiredMinutesDeletesTheirLogsAndKeepsTheRest) {
  std::shared_ptr<NonceWindow> window = NonceWindow::Open(path_);
  ASSERT_TRUE(window->Record("ck", "tok", "soon", kNow + 60, kNow));
  ASSERT_TRUE(window->Record("ck", "tok", "late", kNow + 3600, kNow));
  ASSERT_TRUE(std::filesystem::exists(LogOf(kNow + 60)));

  EXPECT_EQ(window->Prune(kNow + 30), 0) << "its minute has not ended";
  EXPECT_EQ(window->Prune(kNow + 600), 1);
  EXPECT_FALSE(std::filesystem::exists(LogOf(kNow + 60)));
  EXPECT_TRUE(std::filesystem::exists(LogOf(kNow + 3600)));
  EXPECT_EQ(window->size(), 1);
  window.reset();
  window = NonceWindow::Open(path_);
  EXPECT_EQ(window->size(), 1) << "only the live nonce is read back";
  EXPECT_FALSE(window->Record("ck", "tok", "late", kNow + 3600, kNow + 600));
}

TEST_F(NonceWindowTest, RecordingGoesOnWhileAPurgeOfAMillionNoncesIsStillBeingFreed) {
  constexpr int kExpired = 1'000'000;
  std::shared_ptr<NonceWindow> window = NonceWindow::Open(path_);
  for (int i = 0; i < kExpired; ++i) {
    ASSERT_TRUE(window->Record("ck", "tok", std::to_string(i), kNow + 30, kNow));
  }
  ASSERT_TRUE(window->Record("ck", "tok", "live", kNow + 3600, kNow));

  NonceWindow::Expired purge = window->TakeExpired(kNow + 600);
  // The million are out of the window, their memory and file not yet released, and the window
  // takes new nonces and refuses replays all the same.
  EXPECT_EQ(purge.nonces(), kExpired);
  EXPECT_EQ(window->size(), 1);
  EXPECT_FALSE(std::filesystem::exists(LogOf(kNow + 30)));
  EXPECT_TRUE(window->Record("ck", "tok", "during", kNow + 3600, kNow + 600));
  EXPECT_FALSE(window->Record("ck", "tok", "live", kNow + 3600, kNow + 600));
  EXPECT_TRUE(window->Record("ck", "tok", "0", kNow + 1200, kNow + 600))
      << "an expired nonce may be used again";
}

TEST_F(NonceWindowTest, ANewMinuteIsSizedByTheMinuteBeforeItNotByABurstThatHasExpired) {
  constexpr int kBurst = 100'000;
  constexpr int64_t kBurstExpiry = kNow + 600;
  std::shared_ptr<NonceWindow> window = NonceWindow::Open(path_);
  for (int i = 0; i < kBurst; ++i) {
    ASSERT_TRUE(window->Record("ck", "tok", "burst" + std::to_string(i), kBurstExpiry, kNow));
  }
  ASSERT_EQ(window->Prune(kBurstExpiry + 60), kBurst);

  // Twelve minutes of light traffic after the burst has gone: a window's worth of tables, none
  // of them sized for the burst (each was, when new minutes reserved what the last expired one
  // held: 12 x 131,072 slots here).
  const int64_t later = kBurstExpiry + 60;
  for (int minute = 0; minute < 12; ++minute) {
    for (int i = 0; i < 10; ++i) {
      ASSERT_TRUE(window->Record("ck", "tok", "light" + std::to_string(minute * 10 + i),
                                 later + 600 + minute * 60, later));
    }
  }
  EXPECT_LT(window->capacity(), 10'000);

  // Steady traffic still sizes the next minute once, up front.
  const int64_t steady = later + 600 + 12 * 60;
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(window->Record("ck", "tok", "steady" + std::to_string(i), steady, later));
  }
  const int64_t before = window->capacity();
  ASSERT_TRUE(window->Record("ck", "tok", "next", steady + 60, later));
  EXPECT_GE(window->capacity() - before, 1000) << "the new minute reserved the one before's 1,000";
}

TEST_F(NonceWindowTest, ATornRecordAtTheEndOfALogIsDroppedAndTheLogStaysUsable) {
  {
    std::shared_ptr<NonceWindow> window = NonceWindow::Open(path_);
    ASSERT_TRUE(window->Record("ck", "tok", "whole", kNow + 600, kNow));
  }
  {
    std::ofstream log(LogOf(kNow + 600), std::ios::binary | std::ios::app);
    log.write("\x01\x02\x03\x04\x05\x06\x07", 7);  // half a record, as a power loss may leave
  }
  {
    std::shared_ptr<NonceWindow> window = NonceWindow::Open(path_);
    EXPECT_EQ(window->size(), 1);
    EXPECT_FALSE(window->Record("ck", "tok", "whole", kNow + 600, kNow + 1));
    ASSERT_TRUE(window->Record("ck", "tok", "next", kNow + 600, kNow + 1));
  }
  EXPECT_EQ(std::filesystem::file_size(LogOf(kNow + 600)), 32u);
  std::shared_ptr<NonceWindow> window = NonceWindow::Open(path_);
  EXPECT_FALSE(window->Record("ck", "tok", "next", kNow + 600, kNow + 2));
}

TEST_F(NonceWindowTest, LogsWrittenUnderALostKeyAreDiscarded) {
  {
    std::shared_ptr<NonceWindow> window = NonceWindow::Open(path_);
    ASSERT_TRUE(window->Record("ck", "tok", "orphan", kNow + 600, kNow));
  }
  std::filesystem::remove(path_ / "key");
  std::shared_ptr<NonceWindow> window = NonceWindow::Open(path_);
  EXPECT_EQ(window->size(), 0);
  EXPECT_FALSE(std::filesystem::exists(LogOf(kNow + 600)));
}

}  // namespace
}  // namespace portrait::store
