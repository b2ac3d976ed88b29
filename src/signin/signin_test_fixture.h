#pragma once
// A real SQLite store in a temporary directory and sign-in options that keep tests fast: the
// cheapest hashing libsodium allows (the cost is not what these tests are about).
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "signin/signin_options.h"
#include "store/store_test_support.h"

namespace portrait::signin {

inline SignInOptions FastSignInOptions() {
  SignInOptions options;
  options.hashing.iterations = 1;
  options.hashing.memory_bytes = 8192;  // crypto_pwhash_MEMLIMIT_MIN
  return options;
}

class SignInTest : public ::testing::Test {
 protected:
  static constexpr int64_t kNow = store::kTestNow;

  store::TemporaryDirectory directory_;
  std::unique_ptr<store::MetadataStore> store_ =
      store::OpenSqliteStore(store::SqliteOptions{(directory_.path() / "portrait.db").string()});
  SignInOptions options_ = FastSignInOptions();
};

}  // namespace portrait::signin
