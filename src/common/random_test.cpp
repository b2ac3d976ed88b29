#include "common/random.h"

#include <gtest/gtest.h>

#include <set>

namespace portrait {
namespace {

TEST(Random, ProducesRequestedLengthFromAlphabet) {
  std::string token = RandomAlphanumeric(40);
  EXPECT_EQ(token.size(), 40u);
  for (char c : token) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)));
  for (char c : RandomLowerAlphanumeric(64))
    EXPECT_FALSE(std::isupper(static_cast<unsigned char>(c)));
}

TEST(Random, DoesNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(RandomAlphanumeric(20));
  EXPECT_EQ(seen.size(), 1000u);
}

}  // namespace
}  // namespace portrait
