#include "api/entities.h"

#include <gtest/gtest.h>

namespace portrait::api {
namespace {

TEST(FindUrlEntities, CountsIndicesInCodePoints) {
  // "Café ☕ " is 7 code points but 11 bytes.
  auto entities = FindUrlEntities("Caf\xC3\xA9 \xE2\x98\x95 https://example.com/a, more");
  ASSERT_EQ(entities.size(), 1u);
  EXPECT_EQ(entities[0].url, "https://example.com/a");
  EXPECT_EQ(entities[0].display_url, "example.com/a");
  EXPECT_EQ(entities[0].start, 7);
  EXPECT_EQ(entities[0].end, 28);
}

TEST(FindUrlEntities, FindsSeveralAndIgnoresBareSchemes) {
  auto entities = FindUrlEntities("(http://a.io) and http:// and https://b.io/x.");
  ASSERT_EQ(entities.size(), 2u);
  EXPECT_EQ(entities[0].url, "http://a.io");
  EXPECT_EQ(entities[1].url, "https://b.io/x");
}

TEST(FindUrlEntities, ShortensLongDisplayUrls) {
  auto entities = FindUrlEntities("https://example.com/a/very/long/path/indeed");
  ASSERT_EQ(entities.size(), 1u);
  EXPECT_EQ(entities[0].display_url, "example.com/a/very/long/pa\xE2\x80\xA6");
}

TEST(FindUrlEntities, IgnoresSchemesInsideWords) {
  EXPECT_TRUE(FindUrlEntities("xhttp://a.io").empty());
  EXPECT_TRUE(FindUrlEntities("no links here").empty());
}

}  // namespace
}  // namespace portrait::api
