#include "blob/s3_blob_store.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "common/result.h"

namespace portrait::blob {
namespace {

S3Options Options(bool path_style) {
  S3Options options;
  options.endpoint = "http://127.0.0.1:8080";
  options.bucket = "portrait-images";
  options.path_style = path_style;
  return options;
}

TEST(S3ObjectUrlTest, PathStylePutsTheBucketInThePath) {
  EXPECT_EQ(S3ObjectUrl(Options(true), "profile_images/42/abc_normal.jpeg"),
            "http://127.0.0.1:8080/portrait-images/profile_images/42/abc_normal.jpeg");
}

TEST(S3ObjectUrlTest, VirtualHostStylePutsTheBucketInTheHostName) {
  EXPECT_EQ(S3ObjectUrl(Options(false), "profile_images/42/abc_normal.jpeg"),
            "http://portrait-images.127.0.0.1:8080/profile_images/42/abc_normal.jpeg");
}

TEST(S3ObjectUrlTest, IgnoresATrailingSlashOfTheEndpoint) {
  S3Options options = Options(true);
  options.endpoint = "https://s3.example.com/";
  EXPECT_EQ(S3ObjectUrl(options, "a"), "https://s3.example.com/portrait-images/a");
  options.path_style = false;
  EXPECT_EQ(S3ObjectUrl(options, "a"), "https://portrait-images.s3.example.com/a");
}

TEST(S3ObjectUrlTest, KeepsUnreservedCharactersAndSlashesBetweenSegments) {
  EXPECT_EQ(S3ObjectUrl(Options(true), "A-z_0.9/x~y"),
            "http://127.0.0.1:8080/portrait-images/A-z_0.9/x~y");
}

TEST(S3ObjectUrlTest, PercentEncodesEachSegment) {
  EXPECT_EQ(S3ObjectUrl(Options(true), "a b/c+d/%"),
            "http://127.0.0.1:8080/portrait-images/a%20b/c%2Bd/%25");
}

TEST(S3BucketUrlTest, HasNoTrailingSlash) {
  EXPECT_EQ(S3BucketUrl(Options(true)), "http://127.0.0.1:8080/portrait-images");
  EXPECT_EQ(S3BucketUrl(Options(false)), "http://portrait-images.127.0.0.1:8080");
}

TEST(S3OptionsFromEnvironmentTest, FillsOnlyEmptyFields) {
  ::setenv("AWS_ACCESS_KEY_ID", "from-env", 1);
  ::setenv("AWS_SECRET_ACCESS_KEY", "secret-from-env", 1);
  ::setenv("AWS_REGION", "eu-west-3", 1);
  S3Options given;
  given.access_key = "configured";
  S3Options options = S3OptionsFromEnvironment(given);
  EXPECT_EQ(options.access_key, "configured");
  EXPECT_EQ(options.secret_key, "secret-from-env");
  EXPECT_EQ(options.region, "us-east-1");  // the default counts as configured

  given.region = "";
  EXPECT_EQ(S3OptionsFromEnvironment(given).region, "eu-west-3");
  ::unsetenv("AWS_REGION");
  EXPECT_EQ(S3OptionsFromEnvironment(given).region, "us-east-1");
  ::unsetenv("AWS_ACCESS_KEY_ID");
  ::unsetenv("AWS_SECRET_ACCESS_KEY");
}

TEST(OpenS3BlobStoreTest, RefusesAMissingBucketOrAnEndpointWithoutScheme) {
  S3Options options = Options(true);
  options.bucket = "";
  EXPECT_THROW(OpenS3BlobStore(options), Fault);
  options = Options(true);
  options.endpoint = "127.0.0.1:8080";
  EXPECT_THROW(OpenS3BlobStore(options), Fault);
}

TEST(OpenS3BlobStoreTest, AnUnreachableServiceIsUnavailableAndATransientFaultForEveryCall) {
  S3Options options = Options(true);
  options.endpoint = "http://127.0.0.1:1";  // nothing listens on port 1
  options.timeout_ms = 2000;
  auto store = OpenS3BlobStore(options);
  EXPECT_EQ(store->CheckHealth().message(), "blob store unavailable");
  try {
    (void)store->Put("a/b", "bytes");
    ADD_FAILURE() << "Put to an unreachable service succeeded";
  } catch (const TransientFault& fault) {
    EXPECT_NE(std::string(fault.what()).find("blob put a/b"), std::string::npos) << fault.what();
  }
  EXPECT_THROW(store->Get("a/b"), TransientFault);
  EXPECT_THROW((void)store->Delete("a/b"), TransientFault);
}

TEST(OpenS3BlobStoreTest, InvalidKeysNeverReachTheService) {
  S3Options options = Options(true);
  options.endpoint = "http://127.0.0.1:1";
  auto store = OpenS3BlobStore(options);
  EXPECT_FALSE(store->Put("../x", "bytes").ok());
  EXPECT_EQ(store->Get("a//b"), std::nullopt);  // no throw: nothing was sent
  EXPECT_FALSE(store->Delete("/abs").ok());
}

}  // namespace
}  // namespace portrait::blob
