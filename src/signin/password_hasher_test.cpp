#include "signin/password_hasher.h"

#include <gtest/gtest.h>

#include "common/result.h"
#include "signin/signin_test_fixture.h"

namespace portrait::signin {
namespace {

PasswordHashOptions Fast() { return FastSignInOptions().hashing; }

TEST(PasswordHasherTest, HashVerifiesItsPasswordOnly) {
  PasswordHasher hasher(Fast());
  std::string hash = hasher.Hash(Password("correct horse"));
  EXPECT_TRUE(hash.starts_with("$argon2id$v=19$m=8,t=1,p=1$")) << hash;
  EXPECT_EQ(hash.find("correct horse"), std::string::npos);
  EXPECT_TRUE(hasher.Verify(hash, Password("correct horse")));
  EXPECT_FALSE(hasher.Verify(hash, Password("correct horsE")));
  EXPECT_FALSE(hasher.Verify(hash, Password("correct hors")));
  EXPECT_FALSE(hasher.Verify(hash, Password("")));
}

TEST(PasswordHasherTest, SamePasswordHashesDifferentlyEachTime) {
  PasswordHasher hasher(Fast());
  EXPECT_NE(hasher.Hash(Password("same password")), hasher.Hash(Password("same password")));
}

TEST(PasswordHasherTest, HashOfOtherLimitsVerifiesAndNeedsARehash) {
  PasswordHasher old_limits(Fast());
  PasswordHashOptions stronger = Fast();
  stronger.iterations = 2;
  stronger.memory_bytes = 16384;
  PasswordHasher new_limits(stronger);
  std::string old_hash = old_limits.Hash(Password("passphrase"));
  EXPECT_TRUE(new_limits.Verify(old_hash, Password("passphrase")));
  EXPECT_TRUE(new_limits.NeedsRehash(old_hash));
  EXPECT_FALSE(old_limits.NeedsRehash(old_hash));
  EXPECT_FALSE(new_limits.NeedsRehash(new_limits.Hash(Password("passphrase"))));
}

TEST(PasswordHasherTest, AnythingButAnEncodedHashVerifiesNothing) {
  PasswordHasher hasher(Fast());
  for (std::string_view garbage :
       {std::string_view(""), std::string_view("plaintext"), std::string_view("$argon2id$v=19$"),
        std::string_view("$argon2id$v=19$m=8,t=1,p=1$\0trailing", 34)}) {
    EXPECT_FALSE(hasher.Verify(garbage, Password("plaintext")));
    EXPECT_TRUE(hasher.NeedsRehash(garbage));
  }
  EXPECT_FALSE(hasher.Verify(std::string(4096, '$'), Password("x")));
}

TEST(PasswordHasherTest, RefusesLimitsLibsodiumDoesNotAccept) {
  PasswordHashOptions too_little = Fast();
  too_little.memory_bytes = 1024;
  EXPECT_THROW(PasswordHasher{too_little}, Fault);
  PasswordHashOptions no_passes = Fast();
  no_passes.iterations = 0;
  EXPECT_THROW(PasswordHasher{no_passes}, Fault);
}

}  // namespace
}  // namespace portrait::signin
