#include "blob/s3_blob_store.h"

#include <curl/curl.h>
#include <openssl/evp.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "common/url_encoding.h"

namespace portrait::blob {
namespace {

// Idle handles kept for reuse; each holds its own live connections.
constexpr size_t kMaxIdleHandles = 16;
constexpr long kMaxConnectTimeoutMs = 5000;
constexpr long kHttpUnauthorized = 401;
constexpr long kHttpForbidden = 403;
constexpr long kHttpNotFound = 404;
constexpr long kHttpRequestTimeout = 408;
constexpr long kHttpTooManyRequests = 429;
constexpr long kFirstServerError = 500;
constexpr long kHttpInsufficientStorage = 507;
constexpr int kMaxAttempts = 3;
constexpr std::chrono::milliseconds kRetryPause{100};

struct CurlHandleDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
using CurlHandle = std::unique_ptr<CURL, CurlHandleDeleter>;

struct HeaderListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using HeaderList = std::unique_ptr<curl_slist, HeaderListDeleter>;

// One request's answer, or its transport failure (code not CURLE_OK, status 0).
struct Response {
  CURLcode code = CURLE_OK;
  std::string transport_error;  // "PUT http://...: Couldn't connect to server"
  long status = 0;
  std::string body;
};

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    throw Fault("SHA-256 failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}

// The <Code> of an S3 error document, or "" when there is none (HEAD answers have no body).
std::string ErrorCode(const std::string& body) {
  constexpr std::string_view kOpen = "<Code>", kClose = "</Code>";
  size_t begin = body.find(kOpen);
  if (begin == std::string::npos) return "";
  begin += kOpen.size();
  size_t end = body.find(kClose, begin);
  if (end == std::string::npos) return "";
  return body.substr(begin, end - begin);
}

std::string Describe(const Response& response) {
  std::string text = "HTTP " + std::to_string(response.status);
  if (std::string code = ErrorCode(response.body); !code.empty()) text += " " + code;
  return text;
}

bool IsSuccess(long status) { return status >= 200 && status < 300; }

// Worth retrying at once, within one call: the connection was refused or dropped, or the
// service answered 5xx. (Timeouts are not: the call's budget is timeout_ms.)
bool IsBrieflyUnavailable(const Response& response) {
  if (response.code != CURLE_OK) {
    return response.code == CURLE_COULDNT_CONNECT || response.code == CURLE_SEND_ERROR ||
           response.code == CURLE_RECV_ERROR || response.code == CURLE_GOT_NOTHING;
  }
  return response.status >= kFirstServerError;
}

// A transport failure that no retry clears: the request could not even be formed.
bool IsMalformedRequest(CURLcode code) {
  return code == CURLE_UNSUPPORTED_PROTOCOL || code == CURLE_URL_MALFORMAT ||
         code == CURLE_NOT_BUILT_IN || code == CURLE_BAD_FUNCTION_ARGUMENT;
}

// A 404 about the bucket rather than the object: the configuration, not the key, is wrong.
bool IsMissingBucket(const Response& response) {
  return response.status == kHttpNotFound && ErrorCode(response.body) == "NoSuchBucket";
}

// The fault the error rule of s3_blob_store.h gives a failed request.
[[noreturn]] void ThrowFault(std::string_view what, std::string_view key,
                             const Response& response) {
  std::string message = std::string(what) + " " + std::string(key) + ": ";
  if (response.code != CURLE_OK) {
    message += response.transport_error;
    if (IsMalformedRequest(response.code)) throw Fault(message);
    throw TransientFault(message);
  }
  message += Describe(response);
  const long status = response.status;
  if (status == kHttpInsufficientStorage) throw StorageFullFault(message);
  if (status >= kFirstServerError || status == kHttpUnauthorized || status == kHttpForbidden ||
      status == kHttpRequestTimeout || status == kHttpTooManyRequests ||
      IsMissingBucket(response)) {
    throw TransientFault(message);
  }
  throw Fault(message);
}

size_t AppendToString(char* data, size_t size, size_t count, void* target) {
  static_cast<std::string*>(target)->append(data, size * count);
  return size * count;
}

size_t ReadFromView(char* buffer, size_t size, size_t count, void* source) {
  auto& remaining = *static_cast<std::string_view*>(source);
  size_t length = std::min(size * count, remaining.size());
  std::memcpy(buffer, remaining.data(), length);
  remaining.remove_prefix(length);
  return length;
}

// Splits "http://host:port" into "http://" and "host:port" (a trailing '/' dropped).
std::pair<std::string_view, std::string_view> SplitEndpoint(std::string_view endpoint) {
  while (!endpoint.empty() && endpoint.back() == '/') endpoint.remove_suffix(1);
  size_t separator = endpoint.find("://");
  if (separator == std::string_view::npos) return {"", endpoint};
  return {endpoint.substr(0, separator + 3), endpoint.substr(separator + 3)};
}

// The headers an object is stored with, so that a bucket (or a CDN before it) serving the image
// variants straight to clients answers as Portrait does: the type from the name's extension, and
// immutable caching, since every key is written once (a new upload gets new keys).
std::vector<std::string> ObjectHeaders(std::string_view url) {
  const std::string_view extension = url.substr(url.rfind('.') + 1);
  std::string type = "application/octet-stream";
  if (extension == "jpeg" || extension == "jpg") type = "image/jpeg";
  if (extension == "png") type = "image/png";
  if (extension == "gif") type = "image/gif";
  std::vector<std::string> headers{"Content-Type: " + type};
  if (type != "application/octet-stream") {
    headers.push_back("Cache-Control: public, max-age=31536000, immutable");
  }
  return headers;
}

class S3BlobStore final : public BlobStore {
 public:
  explicit S3BlobStore(S3Options options)
      : options_(std::move(options)),
        bucket_url_(S3BucketUrl(options_)),
        sigv4_provider_("aws:amz:" + options_.region + ":s3") {}

  Status Put(std::string_view key, std::string_view bytes) override {
    if (!IsValidKey(key)) return Status::Error("invalid blob key: " + std::string(key));
    Response response = PerformWithRetries("PUT", S3ObjectUrl(options_, key), bytes);
    if (response.code != CURLE_OK || !IsSuccess(response.status)) {
      ThrowFault("blob put", key, response);
    }
    return Status::Ok();
  }

  std::optional<std::string> Get(std::string_view key) override {
    if (!IsValidKey(key)) return std::nullopt;
    Response response = PerformWithRetries("GET", S3ObjectUrl(options_, key), std::nullopt);
    if (response.code == CURLE_OK && IsSuccess(response.status)) return std::move(response.body);
    if (response.code == CURLE_OK && response.status == kHttpNotFound &&
        !IsMissingBucket(response)) {
      return std::nullopt;
    }
    ThrowFault("blob get", key, response);
  }

  Status Delete(std::string_view key) override {
    if (!IsValidKey(key)) return Status::Error("invalid blob key: " + std::string(key));
    Response response = PerformWithRetries("DELETE", S3ObjectUrl(options_, key), std::nullopt);
    const bool gone = response.code == CURLE_OK &&
                      (IsSuccess(response.status) ||
                       (response.status == kHttpNotFound && !IsMissingBucket(response)));
    if (!gone) ThrowFault("blob delete", key, response);
    return Status::Ok();
  }

  Status CheckHealth() override {
    // A readiness check answers at once: no retries.
    Response response = Perform("HEAD", bucket_url_, std::nullopt);
    if (response.code != CURLE_OK || !IsSuccess(response.status)) {
      return Status::Error("blob store unavailable");
    }
    return Status::Ok();
  }

 private:
  // Perform, again after a pause when the service is briefly unavailable (a 5xx answer, a
  // connection refused or dropped); safe because PUT of a whole value, GET and DELETE are
  // idempotent. Timeouts are not retried: the caller's budget is timeout_ms.
  Response PerformWithRetries(const char* method, const std::string& url,
                              std::optional<std::string_view> body) {
    for (int attempt = 1;; ++attempt) {
      Response response = Perform(method, url, body);
      if (!IsBrieflyUnavailable(response) || attempt == kMaxAttempts) return response;
      std::this_thread::sleep_for(kRetryPause * attempt);
    }
  }

  // Sends one signed request; a transport failure comes back in the response's code.
  Response Perform(const char* method, const std::string& url,
                   std::optional<std::string_view> body) {
    CurlHandle handle = Acquire();
    CURL* curl = handle.get();
    Response response;
    std::string_view unsent = body.value_or(std::string_view());
    HeaderList headers(curl_slist_append(
        nullptr, ("x-amz-content-sha256: " + Sha256Hex(body.value_or(""))).c_str()));
    if (!headers) throw Fault("out of memory for curl headers");

    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout_ms));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                     std::min<long>(options_.timeout_ms, kMaxConnectTimeoutMs));
    // The access key may contain ':' (Swift's "account:user"), so no CURLOPT_USERPWD.
    curl_easy_setopt(curl, CURLOPT_USERNAME, options_.access_key.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, options_.secret_key.c_str());
    curl_easy_setopt(curl, CURLOPT_AWS_SIGV4, sigv4_provider_.c_str());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, AppendToString);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
    if (std::strcmp(method, "PUT") == 0) {
      for (const std::string& header : ObjectHeaders(url)) {
        curl_slist* extended = curl_slist_append(headers.get(), header.c_str());
        if (!extended) throw Fault("out of memory for curl headers");
      }
      curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadFromView);
      curl_easy_setopt(curl, CURLOPT_READDATA, &unsent);
      curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(unsent.size()));
    } else if (std::strcmp(method, "HEAD") == 0) {
      curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    } else if (std::strcmp(method, "GET") != 0) {
      curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());

    response.code = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    Release(std::move(handle));
    if (response.code != CURLE_OK) {
      response.status = 0;
      response.transport_error =
          std::string(method) + " " + url + ": " + curl_easy_strerror(response.code);
    }
    return response;
  }

  CurlHandle Acquire() {
    {
      std::lock_guard lock(pool_mutex_);
      if (!idle_.empty()) {
        CurlHandle handle = std::move(idle_.back());
        idle_.pop_back();
        return handle;
      }
    }
    CurlHandle handle(curl_easy_init());
    if (!handle) throw Fault("curl_easy_init failed");
    return handle;
  }

  // Keeps the handle, and with it its open connections, for the next request.
  void Release(CurlHandle handle) {
    curl_easy_reset(handle.get());
    std::lock_guard lock(pool_mutex_);
    if (idle_.size() < kMaxIdleHandles) idle_.push_back(std::move(handle));
  }

  const S3Options options_;
  const std::string bucket_url_;
  const std::string sigv4_provider_;
  std::mutex pool_mutex_;
  std::vector<CurlHandle> idle_;  // pool_mutex_
};

void FillFromEnvironment(std::string& field, const char* variable) {
  if (!field.empty()) return;
  if (const char* value = std::getenv(variable); value != nullptr) field = value;
}

}  // namespace

S3Options S3OptionsFromEnvironment(S3Options options) {
  FillFromEnvironment(options.access_key, "AWS_ACCESS_KEY_ID");
  FillFromEnvironment(options.secret_key, "AWS_SECRET_ACCESS_KEY");
  FillFromEnvironment(options.region, "AWS_REGION");
  if (options.region.empty()) options.region = S3Options().region;
  return options;
}

std::string S3BucketUrl(const S3Options& options) {
  auto [scheme, authority] = SplitEndpoint(options.endpoint);
  std::string bucket = PercentEncode(options.bucket);
  if (options.path_style) return std::string(scheme) + std::string(authority) + "/" + bucket;
  return std::string(scheme) + bucket + "." + std::string(authority);
}

std::string S3ObjectUrl(const S3Options& options, std::string_view key) {
  std::string url = S3BucketUrl(options);
  while (true) {
    size_t slash = key.find('/');
    url += "/" + PercentEncode(key.substr(0, slash));
    if (slash == std::string_view::npos) return url;
    key.remove_prefix(slash + 1);
  }
}

std::unique_ptr<BlobStore> OpenS3BlobStore(const S3Options& options) {
  if (options.bucket.empty()) throw Fault("S3 blob store: no bucket configured");
  auto [scheme, authority] = SplitEndpoint(options.endpoint);
  if ((scheme != "http://" && scheme != "https://") || authority.empty()) {
    throw Fault(
        "S3 blob store: endpoint must be http://host[:port] or https://host[:port], not \"" +
        options.endpoint + "\"");
  }
  static const CURLcode init = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (init != CURLE_OK) throw Fault(std::string("curl_global_init: ") + curl_easy_strerror(init));
  return std::make_unique<WriteHealthTracker>(std::make_unique<S3BlobStore>(options));
}

}  // namespace portrait::blob
