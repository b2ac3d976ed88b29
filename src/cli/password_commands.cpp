// `portrait users set-password`: a person's password from standard input or the terminal.
#include <cstdio>

#include "cli/command.h"
#include "cli/password_input.h"
#include "cli/signin_settings.h"
#include "common/time_format.h"
#include "signin/accounts.h"

namespace portrait::cli {
namespace {

int UsersSetPassword(const Flags& flags) {
  const signin::SignInOptions options = ReadSignInOptions(flags);
  const std::string screen_name = flags.require("screen-name");
  signin::Password password = ReadNewPassword(flags, options.password_policy);
  DataDir dir = OpenDataDir(flags);
  std::optional<store::User> user = dir.store->FindUserByScreenName(screen_name);
  if (!user) throw UsageError("no user @" + screen_name);
  signin::Accounts accounts(*dir.store, options);
  auto changed = accounts.SetPassword(user->id, password, NowSeconds());
  if (!changed.ok()) {
    throw UsageError(signin::DescribeAccountProblem(changed.error(), options.password_policy));
  }
  std::printf("password set for @%s; every browser session of theirs has ended\n",
              changed->screen_name.c_str());
  return 0;
}

}  // namespace

std::vector<Command> PasswordCommands() {
  std::set<std::string> flags = {"data-dir", "screen-name"};
  flags.insert(kPasswordHashFlags.begin(), kPasswordHashFlags.end());
  return {
      {{"users", "set-password"},
       "set a person's password (from standard input or the terminal, never a flag); ends "
       "their web sessions",
       "  --data-dir DIR        the data directory (required)\n"
       "  --screen-name NAME    the person (required)\n"
       "  --password-stdin      the password is the first line of standard input (otherwise\n"
       "                        it is asked for twice on the terminal, echo off)\n"
       "                        (8 characters to 1024 bytes; any character, spaces too)\n" +
           kPasswordHashUsage,
       flags,
       {"password-stdin"},
       UsersSetPassword},
  };
}

}  // namespace portrait::cli
