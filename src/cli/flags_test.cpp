#include "cli/flags.h"

#include <gtest/gtest.h>

namespace portrait::cli {
namespace {

TEST(Flags, ReadsSpacedEqualsAndSwitchForms) {
  Flags flags({"--data-dir", "/d", "--workers=3", "--json", "--listen", "a:1", "--listen", "b:2"},
              {"data-dir", "workers", "listen"}, {"json"});
  EXPECT_EQ(flags.require("data-dir"), "/d");
  EXPECT_EQ(flags.integer("workers", 1), 3);
  EXPECT_TRUE(flags.has("json"));
  EXPECT_EQ(flags.all("listen"), (std::vector<std::string>{"a:1", "b:2"}));
  EXPECT_EQ(flags.integer("missing", 7), 7);
}

TEST(Flags, RefusesUnknownFlagsAndMissingValues) {
  EXPECT_THROW(Flags({"--nope", "x"}, {"data-dir"}, {}), UsageError);
  EXPECT_THROW(Flags({"--data-dir"}, {"data-dir"}, {}), UsageError);
  EXPECT_THROW(Flags({"stray"}, {"data-dir"}, {}), UsageError);
  Flags flags({"--workers", "three", "--rate-limits", "maybe"}, {"workers", "rate-limits"}, {});
  EXPECT_THROW(flags.integer("workers", 1), UsageError);
  EXPECT_THROW(flags.on_off("rate-limits", true), UsageError);
  EXPECT_THROW(flags.require("absent"), UsageError);
}

}  // namespace
}  // namespace portrait::cli
