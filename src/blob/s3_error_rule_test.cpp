// The S3 backend's error rule (s3_blob_store.h), met over real HTTP: a loopback server that
// answers every request with one canned status and S3 error document.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "blob/s3_blob_store.h"

namespace portrait::blob {
namespace {

// Answers each request (one per connection) with the status and body set last.
class CannedS3Server {
 public:
  CannedS3Server() {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::listen(listener_, 16) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      ADD_FAILURE() << "cannot listen on loopback: " << std::strerror(errno);
      return;
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }

  ~CannedS3Server() {
    ::shutdown(listener_, SHUT_RDWR);
    if (thread_.joinable()) thread_.join();
    ::close(listener_);
  }

  // The answer to every request from now on; code, when given, becomes an S3 error document.
  void Answer(int status, const std::string& code = "") {
    std::lock_guard lock(mutex_);
    status_ = status;
    body_ = code.empty() ? "" : "<?xml version=\"1.0\"?><Error><Code>" + code + "</Code></Error>";
  }

  // "METHOD /path" of every request received.
  std::vector<std::string> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  void Serve() {
    while (true) {
      int connection = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (connection < 0) return;
      Handle(connection);
      ::close(connection);
    }
  }

  void Handle(int connection) {
    std::string request;
    char buffer[4096];
    size_t head_end = std::string::npos;
    while (head_end == std::string::npos) {
      ssize_t count = ::recv(connection, buffer, sizeof buffer, 0);
      if (count <= 0) return;
      request.append(buffer, static_cast<size_t>(count));
      head_end = request.find("\r\n\r\n");
    }
    // Read the body too, so that the client is never cut off while it sends.
    size_t body_length = 0;
    std::string lower = request.substr(0, head_end);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (size_t at = lower.find("\r\ncontent-length:"); at != std::string::npos) {
      body_length = std::stoul(lower.substr(at + 17));
    }
    if (lower.find("\r\nexpect: 100-continue") != std::string::npos) {
      constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      ::send(connection, kContinue.data(), kContinue.size(), MSG_NOSIGNAL);
    }
    while (request.size() < head_end + 4 + body_length) {
      ssize_t count = ::recv(connection, buffer, sizeof buffer, 0);
      if (count <= 0) return;
      request.append(buffer, static_cast<size_t>(count));
    }
    std::string response;
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(request.substr(0, request.find(" HTTP/")));
      response = "HTTP/1.1 " + std::to_string(status_) +
                 " Canned\r\nContent-Length: " + std::to_string(body_.size()) +
                 "\r\nContent-Type: application/xml\r\nConnection: close\r\n\r\n";
      if (request.rfind("HEAD ", 0) != 0) response += body_;
    }
    ::send(connection, response.data(), response.size(), MSG_NOSIGNAL);
  }

  int listener_ = -1;
  uint16_t port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  int status_ = 200;                   // guarded by mutex_
  std::string body_;                   // guarded by mutex_
  std::vector<std::string> requests_;  // guarded by mutex_
};

enum class Thrown { kNothing, kStorageFull, kTransient, kPermanent };

std::ostream& operator<<(std::ostream& out, Thrown thrown) {
  switch (thrown) {
    case Thrown::kNothing:
      return out << "nothing";
    case Thrown::kStorageFull:
      return out << "StorageFullFault";
    case Thrown::kTransient:
      return out << "TransientFault";
    case Thrown::kPermanent:
      return out << "Fault";
  }
  return out;
}

// What call throws, with the message of what it threw.
Thrown ThrownBy(const std::function<void()>& call, std::string* message = nullptr) {
  try {
    call();
    return Thrown::kNothing;
  } catch (const StorageFullFault& fault) {
    if (message) *message = fault.what();
    return Thrown::kStorageFull;
  } catch (const TransientFault& fault) {
    if (message) *message = fault.what();
    return Thrown::kTransient;
  } catch (const Fault& fault) {
    if (message) *message = fault.what();
    return Thrown::kPermanent;
  }
}

class S3ErrorRuleTest : public ::testing::Test {
 protected:
  S3ErrorRuleTest() {
    S3Options options;
    options.endpoint = server_.endpoint();
    options.bucket = "portrait-test";
    options.access_key = "key";
    options.secret_key = "secret";
    options.timeout_ms = 5000;
    store_ = OpenS3BlobStore(options);
  }

  Thrown PutThrows(std::string* message = nullptr) {
    return ThrownBy([&] { (void)store_->Put("profile_images/1/k_normal.png", "png"); }, message);
  }
  Thrown GetThrows(std::string* message = nullptr) {
    return ThrownBy([&] { (void)store_->Get("profile_images/1/k_normal.png"); }, message);
  }
  Thrown DeleteThrows() {
    return ThrownBy([&] { (void)store_->Delete("profile_images/1/k_normal.png"); });
  }

  CannedS3Server server_;
  std::unique_ptr<BlobStore> store_;
};

TEST_F(S3ErrorRuleTest, A403IsTheSameTransientFaultOnPutGetAndDelete) {
  server_.Answer(403, "AccessDenied");
  std::string put_message, get_message;
  EXPECT_EQ(PutThrows(&put_message), Thrown::kTransient);
  EXPECT_EQ(GetThrows(&get_message), Thrown::kTransient);
  EXPECT_EQ(DeleteThrows(), Thrown::kTransient);
  EXPECT_NE(put_message.find("blob put profile_images/1/k_normal.png: HTTP 403 AccessDenied"),
            std::string::npos)
      << put_message;
  EXPECT_NE(get_message.find("blob get profile_images/1/k_normal.png: HTTP 403 AccessDenied"),
            std::string::npos)
      << get_message;
}

TEST_F(S3ErrorRuleTest, AnswersThatClearWithTimeAreTransientFaults) {
  for (int status : {401, 408, 429, 500, 503}) {
    server_.Answer(status, "SlowDown");
    EXPECT_EQ(PutThrows(), Thrown::kTransient) << status;
    EXPECT_EQ(GetThrows(), Thrown::kTransient) << status;
    EXPECT_EQ(DeleteThrows(), Thrown::kTransient) << status;
  }
}

TEST_F(S3ErrorRuleTest, A5xxIsTriedThreeTimesWithinOneCall) {
  server_.Answer(503, "SlowDown");
  EXPECT_EQ(PutThrows(), Thrown::kTransient);
  EXPECT_EQ(server_.requests().size(), 3u);
}

TEST_F(S3ErrorRuleTest, InsufficientStorageIsAStorageFullFault) {
  server_.Answer(507, "InsufficientStorage");
  EXPECT_EQ(PutThrows(), Thrown::kStorageFull);
  EXPECT_EQ(GetThrows(), Thrown::kStorageFull);
}

TEST_F(S3ErrorRuleTest, ARequestTheServiceCallsMalformedIsAPermanentFault) {
  for (int status : {400, 405, 411}) {
    server_.Answer(status, "InvalidRequest");
    EXPECT_EQ(PutThrows(), Thrown::kPermanent) << status;
    EXPECT_EQ(GetThrows(), Thrown::kPermanent) << status;
    EXPECT_EQ(DeleteThrows(), Thrown::kPermanent) << status;
  }
}

TEST_F(S3ErrorRuleTest, AMissingObjectIsNothingButAMissingBucketIsAFault) {
  server_.Answer(404, "NoSuchKey");
  EXPECT_EQ(store_->Get("uploads/gone"), std::nullopt);
  EXPECT_TRUE(store_->Delete("uploads/gone").ok());

  server_.Answer(404, "NoSuchBucket");
  EXPECT_EQ(GetThrows(), Thrown::kTransient) << "an upload is not missing: the bucket is";
  EXPECT_EQ(DeleteThrows(), Thrown::kTransient);
  EXPECT_EQ(PutThrows(), Thrown::kTransient);
}

TEST_F(S3ErrorRuleTest, InvalidKeysAreTheOnlyStatusAndNeverReachTheService) {
  server_.Answer(500, "InternalError");
  EXPECT_FALSE(store_->Put("../x", "bytes").ok());
  EXPECT_FALSE(store_->Delete("/abs").ok());
  EXPECT_EQ(store_->Get("a//b"), std::nullopt);
  EXPECT_TRUE(server_.requests().empty());
}

TEST_F(S3ErrorRuleTest, AFailedPutMakesTheStoreNotWritableUntilItsProbePutSucceeds) {
  server_.Answer(200);
  EXPECT_TRUE(store_->CheckHealth().ok());
  server_.Answer(503, "SlowDown");
  EXPECT_EQ(PutThrows(), Thrown::kTransient);
  EXPECT_EQ(store_->CheckHealth().message(), "blob store not writable");

  server_.Answer(200);
  EXPECT_TRUE(store_->CheckHealth().ok());
  std::vector<std::string> requests = server_.requests();
  ASSERT_GE(requests.size(), 2u);
  EXPECT_EQ(requests[requests.size() - 2], "PUT /portrait-test/health/write-probe");
  EXPECT_EQ(requests.back(), "HEAD /portrait-test");
}

TEST_F(S3ErrorRuleTest, HealthIsUnavailableUnlessTheBucketAnswers2xx) {
  server_.Answer(403, "AccessDenied");
  EXPECT_EQ(store_->CheckHealth().message(), "blob store unavailable");
  server_.Answer(204);
  EXPECT_TRUE(store_->CheckHealth().ok());
}

}  // namespace
}  // namespace portrait::blob
