#include "cli/password_input.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

namespace portrait::cli {
namespace {

// A pipe holding text, read end returned (closed by the caller).
int PipeWith(const std::string& text) {
  int fds[2];
  EXPECT_EQ(pipe(fds), 0);
  EXPECT_EQ(write(fds[1], text.data(), text.size()), static_cast<ssize_t>(text.size()));
  close(fds[1]);
  return fds[0];
}

std::string ReadFrom(const std::string& text, size_t max_bytes = 1024) {
  const int fd = PipeWith(text);
  signin::Password password = ReadPasswordLine(fd, max_bytes);
  close(fd);
  return std::string(password.view());
}

TEST(PasswordInputTest, ReadsTheFirstLineWithoutItsLineEnd) {
  EXPECT_EQ(ReadFrom("correct horse\n"), "correct horse");
  EXPECT_EQ(ReadFrom("correct horse\r\n"), "correct horse");
  EXPECT_EQ(ReadFrom("no newline at the end"), "no newline at the end");
  EXPECT_EQ(ReadFrom("first line\nsecond line\n"), "first line");
  EXPECT_EQ(ReadFrom("  spaces kept  \n"), "  spaces kept  ");
  EXPECT_EQ(ReadFrom(""), "");
}

TEST(PasswordInputTest, TakesExactlyTheMaximumAndRefusesMoreWithoutRepeatingIt) {
  EXPECT_EQ(ReadFrom(std::string(16, 'p') + "\n", 16), std::string(16, 'p'));
  EXPECT_EQ(ReadFrom(std::string(16, 'p') + "\r\n", 16), std::string(16, 'p'));
  const std::string too_long = "secret-" + std::string(20, 'q');
  const int fd = PipeWith(too_long + "\n");
  try {
    ReadPasswordLine(fd, 16);
    ADD_FAILURE() << "a password past the maximum was accepted";
  } catch (const UsageError& error) {
    EXPECT_NE(std::string(error.what()).find("longer than 16 bytes"), std::string::npos);
    EXPECT_EQ(std::string(error.what()).find("secret-"), std::string::npos);
  }
  close(fd);
}

}  // namespace
}  // namespace portrait::cli
