#pragma once
// The S3-compatible backend of BlobStore (AWS S3, MinIO, Ceph RGW, OpenStack Swift's s3api):
// each key is an object in one bucket, so every worker sees every upload.
//
// Requests are signed with AWS Signature Version 4 by libcurl (CURLOPT_AWS_SIGV4), with the
// SHA-256 of the payload in x-amz-content-sha256 so the service checks the bytes it stored.
// Connections are kept alive and reused through a pool of curl handles; every method is safe to
// call concurrently. Put, Get and Delete try up to three times, pausing between tries, when the
// service is briefly unavailable (a 5xx answer, a connection refused or dropped).
// Errors follow blob_store.h, the same way for Put, Get and Delete:
//  - a Status only for an invalid key (nothing is sent);
//  - Get answers 404 with nothing, and Delete takes 404 as done, unless the error code is
//    NoSuchBucket;
//  - TransientFault for a transport failure (connection refused or reset, timeout, DNS, TLS),
//    for 401, 403 (credentials, clock skew, a bucket policy: fixed outside Portrait, the same
//    request then succeeds), 404 NoSuchBucket, 408, 429 and 5xx; StorageFullFault for 507;
//  - Fault for any other answer (400, 405, 411, ...: the request as made is refused) and for a
//    request curl cannot form.
// Messages name the call, the key and the HTTP status with the S3 error code ("blob put k: HTTP
// 403 AccessDenied"), or the transport error.
// CheckHealth sends HEAD to the bucket: "blob store unavailable" unless it answers 2xx.
// A PUT answered with 2xx is durable as far as the service promises.
#include <memory>
#include <string>
#include <string_view>

#include "blob/blob_store.h"

namespace portrait::blob {

struct S3Options {
  std::string endpoint;  // scheme, host and port, e.g. "http://127.0.0.1:8080"; no trailing path
  std::string region = "us-east-1";
  std::string bucket;
  // Path style puts the bucket in the path ("http://host/bucket/key"); virtual-host style puts
  // it in the host name ("http://bucket.host/key"), which needs DNS for every bucket.
  bool path_style = true;
  std::string access_key;
  std::string secret_key;
  int timeout_ms = 10000;  // for each try of a request, connecting included
};

// options with empty access_key, secret_key and region filled from AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY and AWS_REGION (region keeps "us-east-1" when the variable is unset).
S3Options S3OptionsFromEnvironment(S3Options options = {});

// The URL of the bucket ("http://host/bucket" or "http://bucket.host"), without a trailing '/'.
std::string S3BucketUrl(const S3Options& options);

// The URL of key's object: the bucket URL, '/', and key with each segment percent-encoded
// (RFC 3986). key must be valid (IsValidKey).
std::string S3ObjectUrl(const S3Options& options, std::string_view key);

// Throws Fault when endpoint or bucket is empty, the endpoint is not http:// or https://, or
// libcurl cannot be initialised. Does not contact the service (see CheckHealth). The store is
// wrapped in a WriteHealthTracker.
std::unique_ptr<BlobStore> OpenS3BlobStore(const S3Options& options);

}  // namespace portrait::blob
