// Runs against a live S3-compatible service (scripts/swift-test-server prints the environment):
// PORTRAIT_S3_ENDPOINT, PORTRAIT_S3_BUCKET, PORTRAIT_S3_ACCESS_KEY, PORTRAIT_S3_SECRET_KEY and
// optionally PORTRAIT_S3_REGION. Skipped when PORTRAIT_S3_ENDPOINT is unset.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "blob/s3_blob_store.h"
#include "common/random.h"

namespace portrait::blob {
namespace {

std::string Environment(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

class S3BlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (Environment("PORTRAIT_S3_ENDPOINT").empty()) GTEST_SKIP() << "PORTRAIT_S3_ENDPOINT unset";
    options_.endpoint = Environment("PORTRAIT_S3_ENDPOINT");
    options_.bucket = Environment("PORTRAIT_S3_BUCKET");
    options_.access_key = Environment("PORTRAIT_S3_ACCESS_KEY");
    options_.secret_key = Environment("PORTRAIT_S3_SECRET_KEY");
    if (std::string region = Environment("PORTRAIT_S3_REGION"); !region.empty()) {
      options_.region = region;
    }
    store_ = OpenS3BlobStore(options_);
  }

  // A key no other test run uses.
  std::string Key(const std::string& name) const { return prefix_ + "/" + name; }

  const std::string prefix_ = "s3test-" + RandomLowerAlphanumeric(12);
  S3Options options_;
  std::unique_ptr<BlobStore> store_;
};

TEST_F(S3BlobStoreTest, IsHealthyWhenTheBucketExists) { EXPECT_TRUE(store_->CheckHealth().ok()); }

TEST_F(S3BlobStoreTest, IsUnavailableWhenTheBucketDoesNotExist) {
  options_.bucket = "no-such-bucket-" + RandomLowerAlphanumeric(12);
  auto store = OpenS3BlobStore(options_);
  EXPECT_EQ(store->CheckHealth().message(), "blob store unavailable");
  EXPECT_THROW((void)store->Get(Key("k")), TransientFault) << "not a missing upload";
}

TEST_F(S3BlobStoreTest, GetReturnsWhatPutStored) {
  ASSERT_TRUE(store_->Put(Key("profile_images/42/abc_normal.jpeg"), "jpeg bytes").ok());
  EXPECT_EQ(store_->Get(Key("profile_images/42/abc_normal.jpeg")), "jpeg bytes");
}

TEST_F(S3BlobStoreTest, GetOfAMissingKeyIsNothing) {
  EXPECT_EQ(store_->Get(Key("never-put")), std::nullopt);
}

TEST_F(S3BlobStoreTest, PutOverwrites) {
  ASSERT_TRUE(store_->Put(Key("k"), "first").ok());
  ASSERT_TRUE(store_->Put(Key("k"), "second, longer").ok());
  EXPECT_EQ(store_->Get(Key("k")), "second, longer");
}

TEST_F(S3BlobStoreTest, StoresEmptyBinaryAndLargeValuesExactly) {
  std::string binary;
  for (int byte = 0; byte < 256; ++byte) binary += static_cast<char>(byte);
  std::string large(3 * 1024 * 1024, '\0');
  for (size_t i = 0; i < large.size(); ++i) large[i] = static_cast<char>(i * 7919 % 251);
  ASSERT_TRUE(store_->Put(Key("empty"), "").ok());
  ASSERT_TRUE(store_->Put(Key("binary"), binary).ok());
  ASSERT_TRUE(store_->Put(Key("large"), large).ok());
  EXPECT_EQ(store_->Get(Key("empty")), "");
  EXPECT_EQ(store_->Get(Key("binary")), binary);
  EXPECT_EQ(store_->Get(Key("large")), large);
}

TEST_F(S3BlobStoreTest, DeleteRemovesTheKeyAndAcceptsAMissingOne) {
  ASSERT_TRUE(store_->Put(Key("gone"), "bytes").ok());
  EXPECT_TRUE(store_->Delete(Key("gone")).ok());
  EXPECT_EQ(store_->Get(Key("gone")), std::nullopt);
  EXPECT_TRUE(store_->Delete(Key("gone")).ok());
  EXPECT_TRUE(store_->Delete(Key("never-put")).ok());
}

TEST_F(S3BlobStoreTest, AWrongSecretIsTheSameTransientFaultForPutGetAndDelete) {
  options_.secret_key += "-wrong";
  auto store = OpenS3BlobStore(options_);
  try {
    (void)store->Put(Key("denied"), "bytes");
    ADD_FAILURE() << "Put with a wrong secret succeeded";
  } catch (const TransientFault& fault) {
    EXPECT_NE(std::string(fault.what()).find("HTTP 403 SignatureDoesNotMatch"), std::string::npos)
        << fault.what();
  }
  EXPECT_THROW((void)store->Get(Key("denied")), TransientFault);
  EXPECT_THROW((void)store->Delete(Key("denied")), TransientFault);
  EXPECT_EQ(store->CheckHealth().message(), "blob store not writable");
  EXPECT_EQ(store_->Get(Key("denied")), std::nullopt);
}

TEST_F(S3BlobStoreTest, ManyThreadsPutAndGetTheirOwnKeys) {
  constexpr int kThreads = 8;
  constexpr int kRounds = 10;
  std::vector<std::thread> threads;
  std::vector<int> mismatches(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        std::string key = Key("thread" + std::to_string(t));
        std::string value = "value " + std::to_string(t) + "/" + std::to_string(round);
        if (!store_->Put(key, value).ok() || store_->Get(key) != value) ++mismatches[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
}

}  // namespace
}  // namespace portrait::blob
