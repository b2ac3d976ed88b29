#include "cli/password_input.h"

#include <fcntl.h>
#include <sodium.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "signin/accounts.h"

namespace portrait::cli {
namespace {

constexpr const char* kTerminal = "/dev/tty";

// A heap buffer wiped on every exit path.
class WipedBuffer {
 public:
  explicit WipedBuffer(size_t size) : bytes_(size) {}
  ~WipedBuffer() { sodium_memzero(bytes_.data(), bytes_.size()); }
  char* data() { return bytes_.data(); }
  size_t size() const { return bytes_.size(); }

 private:
  std::vector<char> bytes_;
};

// Echo off on the terminal until destroyed.
class EchoOff {
 public:
  explicit EchoOff(int fd) : fd_(fd) {
    if (tcgetattr(fd_, &saved_) != 0) throw UsageError("cannot read the terminal's settings");
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    if (tcsetattr(fd_, TCSAFLUSH, &quiet) != 0) throw UsageError("cannot turn echo off");
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;
  ~EchoOff() { tcsetattr(fd_, TCSAFLUSH, &saved_); }

 private:
  int fd_;
  termios saved_{};
};

class Terminal {
 public:
  Terminal() : fd_(open(kTerminal, O_RDWR | O_NOCTTY | O_CLOEXEC)) {
    if (fd_ < 0) {
      throw UsageError(
          "no terminal to ask for a password on: give it on standard input with "
          "--password-stdin");
    }
  }
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;
  ~Terminal() { close(fd_); }

  void Write(std::string_view text) {
    [[maybe_unused]] ssize_t written = write(fd_, text.data(), text.size());
  }
  int fd() const { return fd_; }

 private:
  int fd_;
};

signin::Password Ask(Terminal& terminal, std::string_view question, size_t max_bytes) {
  terminal.Write(question);
  EchoOff quiet(terminal.fd());
  return ReadPasswordLine(terminal.fd(), max_bytes);
}

}  // namespace

signin::Password ReadPasswordLine(int fd, size_t max_bytes) {
  // One byte past the maximum tells a password that is too long from one that fits exactly.
  WipedBuffer buffer(max_bytes + 1);
  size_t length = 0;
  bool line_ended = false;
  while (!line_ended) {
    char byte = 0;
    const ssize_t got = read(fd, &byte, 1);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw UsageError("cannot read the password: " + std::string(strerror(errno)));
    if (got == 0) break;
    if (byte == '\n') {
      line_ended = true;
    } else if (length == buffer.size()) {
      sodium_memzero(&byte, 1);
      throw UsageError("the password is longer than " + std::to_string(max_bytes) + " bytes");
    } else {
      buffer.data()[length++] = byte;
    }
    sodium_memzero(&byte, 1);
  }
  if (length > 0 && buffer.data()[length - 1] == '\r') --length;
  if (length > max_bytes) {
    throw UsageError("the password is longer than " + std::to_string(max_bytes) + " bytes");
  }
  return signin::Password(std::string_view(buffer.data(), length));
}

signin::Password PromptForPassword(size_t max_bytes) {
  Terminal terminal;
  signin::Password first = Ask(terminal, "New password: ", max_bytes);
  signin::Password second = Ask(terminal, "Again: ", max_bytes);
  if (first.size() != second.size() ||
      sodium_memcmp(first.view().data(), second.view().data(), first.size()) != 0) {
    throw UsageError("the two passwords differ");
  }
  return first;
}

signin::Password ReadNewPassword(const Flags& flags, const signin::PasswordPolicy& policy) {
  signin::Password password = flags.has("password-stdin")
                                  ? ReadPasswordLine(STDIN_FILENO, policy.max_bytes)
                                  : PromptForPassword(policy.max_bytes);
  if (std::optional<signin::PasswordProblem> problem = signin::CheckPassword(password, policy)) {
    throw UsageError(signin::DescribeAccountProblem(*problem == signin::PasswordProblem::kTooShort
                                                        ? signin::AccountProblem::kPasswordTooShort
                                                        : signin::AccountProblem::kPasswordTooLong,
                                                    policy));
  }
  return password;
}

}  // namespace portrait::cli
