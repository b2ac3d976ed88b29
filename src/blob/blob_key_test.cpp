#include <gtest/gtest.h>

#include <string>

#include "blob/blob_store.h"

namespace portrait::blob {
namespace {

TEST(BlobKeyTest, AcceptsRelativePathsOfSafeSegments) {
  EXPECT_TRUE(IsValidKey("profile_images/42/abc_normal.jpeg"));
  EXPECT_TRUE(IsValidKey("uploads/Abc-123.png"));
  EXPECT_TRUE(IsValidKey("x"));
  EXPECT_TRUE(IsValidKey("..."));
  EXPECT_TRUE(IsValidKey(".hidden"));
}

TEST(BlobKeyTest, RefusesTraversalAbsoluteAndEmptySegments) {
  EXPECT_FALSE(IsValidKey(""));
  EXPECT_FALSE(IsValidKey("../x"));
  EXPECT_FALSE(IsValidKey("a/../../x"));
  EXPECT_FALSE(IsValidKey(".."));
  EXPECT_FALSE(IsValidKey("a/./b"));
  EXPECT_FALSE(IsValidKey("/abs"));
  EXPECT_FALSE(IsValidKey("a//b"));
  EXPECT_FALSE(IsValidKey("a/"));
  EXPECT_FALSE(IsValidKey("/"));
}

TEST(BlobKeyTest, RefusesCharactersOutsideTheAlphabet) {
  EXPECT_FALSE(IsValidKey("a b"));
  EXPECT_FALSE(IsValidKey("a\\b"));
  EXPECT_FALSE(IsValidKey("tmp~1"));
  EXPECT_FALSE(IsValidKey("caf\xC3\xA9"));
  EXPECT_FALSE(IsValidKey(std::string("a\0b", 3)));
}

TEST(BlobKeyTest, RefusesKeysLongerThan512Characters) {
  EXPECT_TRUE(IsValidKey(std::string(512, 'a')));
  EXPECT_FALSE(IsValidKey(std::string(513, 'a')));
}

}  // namespace
}  // namespace portrait::blob
