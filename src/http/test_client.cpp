#include "http/test_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>

namespace portrait::http::testing {
namespace {

using Clock = std::chrono::steady_clock;

int RemainingMs(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return std::max<int>(0, static_cast<int>(left.count()));
}

bool HasNoBody(int status, bool head) {
  return head || status < 200 || status == 204 || status == 304;
}

}  // namespace

std::string_view TransportName(Transport transport) {
  switch (transport) {
    case Transport::kPlain:
      return "plain";
    case Transport::kTls12:
      return "tls12";
    case Transport::kTls13:
      return "tls13";
  }
  return "unknown";
}

TestConnection::TestConnection(uint16_t port, Transport transport) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    throw std::runtime_error("connect failed");
  }
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (transport == Transport::kPlain) return;
  tls_context_ = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_verify(tls_context_, SSL_VERIFY_NONE, nullptr);
  const int version = transport == Transport::kTls12 ? TLS1_2_VERSION : TLS1_3_VERSION;
  SSL_CTX_set_min_proto_version(tls_context_, version);
  SSL_CTX_set_max_proto_version(tls_context_, version);
  tls_ = SSL_new(tls_context_);
  SSL_set_fd(tls_, fd_);
  SSL_set_tlsext_host_name(tls_, "localhost");
  if (SSL_connect(tls_) != 1) throw std::runtime_error("TLS handshake failed");
}

TestConnection::~TestConnection() {
  if (tls_) SSL_free(tls_);
  if (tls_context_) SSL_CTX_free(tls_context_);
  if (fd_ >= 0) ::close(fd_);
}

std::string TestConnection::TlsVersion() const { return tls_ ? SSL_get_version(tls_) : ""; }

bool TestConnection::Send(std::string_view bytes) {
  while (!bytes.empty()) {
    long sent = tls_ ? SSL_write(tls_, bytes.data(), static_cast<int>(bytes.size()))
                     : ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(sent));
  }
  return true;
}

bool TestConnection::Receive(int timeout_ms) {
  if (!(tls_ && SSL_pending(tls_) > 0)) {
    pollfd poll_fd{fd_, POLLIN, 0};
    if (::poll(&poll_fd, 1, timeout_ms) <= 0) return false;
  }
  char chunk[16384];
  long received = tls_ ? SSL_read(tls_, chunk, sizeof chunk) : ::recv(fd_, chunk, sizeof chunk, 0);
  if (received <= 0) return false;
  buffer_.append(chunk, static_cast<size_t>(received));
  return true;
}

std::optional<ParsedResponse> TestConnection::ReadResponse(bool head, int timeout_ms) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  size_t header_end;
  while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!Receive(RemainingMs(deadline))) return std::nullopt;
  }
  ParsedResponse response;
  std::string_view header(buffer_.data(), header_end);
  size_t line_end = header.find("\r\n");
  std::string_view status_line = header.substr(0, line_end);
  response.status = std::atoi(std::string(status_line.substr(9, 3)).c_str());
  while (line_end != std::string_view::npos) {
    header.remove_prefix(line_end + 2);
    line_end = header.find("\r\n");
    std::string_view line = header.substr(0, line_end);
    size_t colon = line.find(':');
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    response.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  size_t body_length = 0;
  if (!HasNoBody(response.status, head)) {
    body_length = std::stoul(std::string(response.header("Content-Length").value_or("0")));
  }
  while (buffer_.size() < header_end + 4 + body_length) {
    if (!Receive(RemainingMs(deadline))) return std::nullopt;
  }
  response.body = buffer_.substr(header_end + 4, body_length);
  buffer_.erase(0, header_end + 4 + body_length);
  return response;
}

bool TestConnection::ClosedWithin(int timeout_ms) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (RemainingMs(deadline) > 0) {
    pollfd poll_fd{fd_, POLLIN, 0};
    if (::poll(&poll_fd, 1, RemainingMs(deadline)) <= 0) return false;
    char chunk[4096];
    long received =
        tls_ ? SSL_read(tls_, chunk, sizeof chunk) : ::recv(fd_, chunk, sizeof chunk, 0);
    if (received <= 0) return true;
  }
  return false;
}

std::string Get(std::string_view target, std::string_view extra_headers) {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n" + std::string(extra_headers) +
         "\r\n";
}

bool WriteSelfSignedCertificate(const std::string& directory, std::string& certificate_file,
                                std::string& key_file) {
  certificate_file = directory + "/cert.pem";
  key_file = directory + "/key.pem";
  std::string command =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
      "-subj /CN=localhost -days 1 -keyout '" +
      key_file + "' -out '" + certificate_file + "' >/dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

}  // namespace portrait::http::testing
