#pragma once
// Running the `portrait` command in-process, as a script would: its arguments, what it reads on
// standard input, what it prints and its exit code.
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <string_view>
#include <vector>

#include "cli/command.h"

namespace portrait::cli {

struct CommandRun {
  int exit_code = -1;
  std::string out;
  std::string err;
  // Everything the command printed.
  std::string all() const { return out + err; }
};

// Runs portrait with args, standard input holding input (at most a pipe's buffer, 64 KiB).
inline CommandRun RunPortrait(std::vector<std::string> args, std::string_view input = "") {
  int pipe_fds[2];
  EXPECT_EQ(pipe(pipe_fds), 0);
  EXPECT_EQ(write(pipe_fds[1], input.data(), input.size()), static_cast<ssize_t>(input.size()));
  close(pipe_fds[1]);
  const int saved_stdin = dup(STDIN_FILENO);
  dup2(pipe_fds[0], STDIN_FILENO);
  close(pipe_fds[0]);

  args.insert(args.begin(), "portrait");
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  CommandRun run;
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  run.exit_code = Main(static_cast<int>(args.size()), argv.data());
  std::fflush(stdout);
  std::fflush(stderr);
  run.out = ::testing::internal::GetCapturedStdout();
  run.err = ::testing::internal::GetCapturedStderr();

  dup2(saved_stdin, STDIN_FILENO);
  close(saved_stdin);
  return run;
}

}  // namespace portrait::cli
