#include "signin/throttle_keys.h"

#include <gtest/gtest.h>

#include "signin/screen_name.h"

namespace portrait::signin {
namespace {

TEST(ScreenNameTest, FollowsTwittersRule) {
  EXPECT_TRUE(IsValidScreenName("jack"));
  EXPECT_TRUE(IsValidScreenName("A_1"));
  EXPECT_TRUE(IsValidScreenName("fifteen_chars_x"));
  EXPECT_FALSE(IsValidScreenName("sixteen_chars_xx"));
  EXPECT_FALSE(IsValidScreenName(""));
  EXPECT_FALSE(IsValidScreenName("@jack"));
  EXPECT_FALSE(IsValidScreenName("jack smith"));
  EXPECT_FALSE(
      IsValidScreenName("j\xC3\xA4"
                        "ck"));
}

TEST(ThrottleKeysTest, AccountKeyIgnoresCase) {
  EXPECT_EQ(AccountThrottleKey("JaCk"), "account:jack");
  EXPECT_EQ(AccountThrottleKey("jack"), AccountThrottleKey("JACK"));
}

TEST(ThrottleKeysTest, IPv4IsKeptAndIPv6CountsByItsSlash64) {
  EXPECT_EQ(AddressThrottleKey("203.0.113.7"), "address:203.0.113.7");
  EXPECT_EQ(AddressThrottleKey("2001:db8:1:2:aaaa::1"), "address:2001:db8:1:2::/64");
  EXPECT_EQ(AddressThrottleKey("2001:db8:1:2:aaaa::1"), AddressThrottleKey("2001:db8:1:2::ffff"));
  EXPECT_NE(AddressThrottleKey("2001:db8:1:2::1"), AddressThrottleKey("2001:db8:1:3::1"));
  EXPECT_EQ(AddressThrottleKey("::ffff:203.0.113.7"), "address:203.0.113.7");
}

TEST(ThrottleKeysTest, NonAddressesAreKeptButBounded) {
  EXPECT_EQ(AddressThrottleKey(""), "address:");
  EXPECT_EQ(AddressThrottleKey(std::string(500, 'z')).size(), std::string("address:").size() + 64);
}

}  // namespace
}  // namespace portrait::signin
