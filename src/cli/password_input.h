#pragma once
// Where the CLI takes a password from: standard input (--password-stdin) or a prompt on the
// terminal with echo off, never a flag, an environment variable or a config file (which land in
// shell history, /proc/PID/cmdline or backups). Buffers are wiped after use.
#include <cstddef>

#include "cli/flags.h"
#include "signin/password.h"
#include "signin/signin_options.h"

namespace portrait::cli {

// One line from fd: up to a newline ("\n" or "\r\n", not kept) or the end of input. Throws
// UsageError when it holds more than max_bytes or cannot be read; the message never holds the
// password.
signin::Password ReadPasswordLine(int fd, size_t max_bytes);

// Asks twice on /dev/tty with echo off. Throws UsageError without a terminal, on end of input,
// or when the two answers differ.
signin::Password PromptForPassword(size_t max_bytes);

// With --password-stdin, one line of standard input; otherwise PromptForPassword. Then checks
// the policy (UsageError saying what is wrong).
signin::Password ReadNewPassword(const Flags& flags, const signin::PasswordPolicy& policy);

}  // namespace portrait::cli
