#pragma once
// A deliberately simple blocking HTTP/1.1 client for the server tests: raw POSIX sockets (so a
// test can send malformed or partial bytes) and optionally TLS through OpenSSL.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.h"

struct ssl_ctx_st;
struct ssl_st;

namespace portrait::http::testing {

struct ParsedResponse {
  int status = 0;
  Headers headers;
  std::string body;
  std::optional<std::string_view> header(std::string_view name) const {
    return FindHeader(headers, name);
  }
};

// How a TestConnection talks to the server: plain TCP, or TLS pinned to one protocol version.
enum class Transport { kPlain, kTls12, kTls13 };

std::string_view TransportName(Transport transport);  // "plain", "tls12", "tls13"

class TestConnection {
 public:
  // Connects to 127.0.0.1:port; over TLS, completes a handshake at exactly that protocol
  // version without verifying the peer.
  explicit TestConnection(uint16_t port, Transport transport = Transport::kPlain);
  ~TestConnection();
  TestConnection(const TestConnection&) = delete;
  TestConnection& operator=(const TestConnection&) = delete;

  bool Send(std::string_view bytes);
  // The negotiated protocol ("TLSv1.2", "TLSv1.3"), or "" over plain TCP.
  std::string TlsVersion() const;
  // One response framed by Content-Length (no body for head, 1xx, 204, 304); nullopt when the
  // connection closes or nothing complete arrives within timeout_ms.
  std::optional<ParsedResponse> ReadResponse(bool head = false, int timeout_ms = 5000);
  // Whether the server closes the connection within timeout_ms (anything received is dropped).
  bool ClosedWithin(int timeout_ms);

 private:
  // Appends what arrives to buffer_; false on close, error or timeout.
  bool Receive(int timeout_ms);

  int fd_ = -1;
  ssl_ctx_st* tls_context_ = nullptr;
  ssl_st* tls_ = nullptr;
  std::string buffer_;
};

// A GET request for target with Host: test.
std::string Get(std::string_view target, std::string_view extra_headers = "");

// Writes a self-signed certificate for localhost and its key into directory (using the openssl
// command line tool); returns false if that fails.
bool WriteSelfSignedCertificate(const std::string& directory, std::string& certificate_file,
                                std::string& key_file);

}  // namespace portrait::http::testing
