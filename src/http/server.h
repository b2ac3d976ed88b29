#pragma once
// Server: HTTP/1.1 (and HTTPS) on Boost.Beast, handing each request to a RequestHandler.
//
// - One session per connection on its own strand; keep-alive and pipelining with a bounded
//   response queue (reading pauses while it is full).
// - A fresh parser per request with header_limit and body_limit from ServerOptions. A request
//   whose Content-Length exceeds max_body_bytes is answered with handler.TooLarge() (413)
//   before its body is read, and the connection is closed.
// - The read timeout is re-armed before every read; a client that stalls is disconnected.
// - At most max_connections open connections; further ones are accepted and closed at once.
// - Handlers run on a separate pool of handler_threads, so slow handlers (disk, image checks)
//   never block socket I/O.
// - Stop(): stop accepting, let in-flight requests finish for up to drain_timeout_ms, then
//   close everything; Run() then returns.
// - One access-log line per request on stderr (method, path, status, bytes, duration).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/message.h"

namespace portrait::http {

class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  // Called on a handler thread, concurrently for different requests. Must not throw.
  virtual Response Handle(Request& request, LogFields& log) = 0;
  // The response for a body over max_body_bytes (SPEC: 413/44).
  virtual Response TooLarge() = 0;
};

struct TlsOptions {
  std::string certificate_file;  // PEM chain
  std::string private_key_file;  // PEM
};

struct ListenerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 0;  // 0: an ephemeral port, see Server::ports()
  std::optional<TlsOptions> tls;
};

struct ServerOptions {
  std::vector<ListenerOptions> listeners;
  int io_threads = 2;
  int handler_threads = 4;
  int max_connections = 10000;
  uint64_t max_header_bytes = 16 * 1024;
  uint64_t max_body_bytes = 2 * 1024 * 1024;
  int read_timeout_ms = 30000;   // per read; re-armed before each
  int write_timeout_ms = 30000;
  int idle_timeout_ms = 60000;   // keep-alive connection with no request in progress
  int max_queued_responses = 8;  // pipelining bound per connection
  int drain_timeout_ms = 10000;
  // Peers whose X-Forwarded-Proto / Forwarded proto= header is trusted for Request::scheme.
  std::vector<std::string> trusted_proxies;
  bool access_log = true;
};

class Server {
 public:
  // Binds every listener (throws Fault if one cannot bind). Does not start serving.
  Server(ServerOptions options, RequestHandler& handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The bound ports, in the order of options.listeners.
  std::vector<uint16_t> ports() const;

  // Serves until Stop() (or SIGTERM/SIGINT when handle_signals), then drains and returns.
  void Run(bool handle_signals);
  // Thread-safe; returns at once.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace portrait::http
