#pragma once
// Server: HTTP/1.1 (and HTTPS) on Boost.Beast, handing each request to a RequestHandler.
//
// - One session per connection, kept on one I/O thread's event loop; keep-alive and pipelining
//   with a bounded response queue (reading pauses while it is full). Plain and TLS connections
//   behave alike, for bodies of any size.
// - A fresh parser per request with header_limit and body_limit from ServerOptions, then the
//   body limit handler.BodyLimit() gives for that request. A request whose Content-Length
//   exceeds its limit is answered with handler.TooLarge() (413) before its body is read, and the
//   connection is closed.
// - A request whose framing RFC 9112 makes ambiguous (a Transfer-Encoding other than exactly
//   chunked, obs-fold, no or several Host fields, CL with TE, differing Content-Lengths, bare LF,
//   NUL) is answered with handler.BadRequest() (400) and the connection is closed: nothing
//   after it on that connection is read as a request.
// - The read timeout is re-armed before every read; a client that stalls is disconnected.
// - At most max_connections open connections; further ones are accepted and closed at once.
// - Handlers run on a separate pool of handler_threads, so slow handlers (disk, image checks)
//   never block socket I/O; requests the handler can answer at once (HandleInline) are answered
//   on the I/O thread, sparing two thread switches.
// - Stop(): stop accepting, let in-flight requests finish for up to drain_timeout_ms, then
//   close everything; Run() then returns.
// - One access-log line per request on stderr (a JSON object: method, path without the query,
//   status, bytes, duration, request id, user id). Connection errors (resets, timeouts) are
//   only logged when debug_log is set.
// - Every response carries Date, Content-Length (except 1xx/204/304), Connection as needed and
//   X-Request-Id. Header fields containing CR, LF or NUL are dropped rather than sent.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"

namespace portrait::http {

class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  // Called on a handler thread, concurrently for different requests. Must not throw.
  virtual Response Handle(Request& request, LogFields& log) = 0;
  // Called first, on the connection's I/O thread: the response to a request that can be answered
  // without waiting (from memory, or a local read that takes microseconds), or nothing to have
  // Handle answer it on a handler thread. Anything that may block (disk writes, network, image
  // decoding) must return nothing. Must not throw. Default: nothing.
  virtual std::optional<Response> HandleInline(Request& request, LogFields& log);
  // Called on the connection's I/O thread once a request's header is whole: the largest body
  // this request may have. A declared larger one is answered TooLarge() before it is read; a
  // chunked one is cut off there. The server's max_body_bytes bounds it too (every header is
  // parsed under that limit). Must not block or throw. Default: no limit of its own.
  virtual uint64_t BodyLimit(std::string_view method, std::string_view target);
  // The response for a body over the limit (SPEC: 413/44). Called on an I/O thread.
  virtual Response TooLarge() = 0;
  // The response for a request that cannot be parsed (bad syntax, header over
  // max_header_bytes). Called on an I/O thread. Default: 400 with the Twitter error envelope.
  virtual Response BadRequest();
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
  // Bounds the whole header (a slowloris client is cut off), the whole body, and a TLS
  // handshake; re-armed before each of them.
  int read_timeout_ms = 30000;
  int write_timeout_ms = 30000;  // per response
  int idle_timeout_ms = 60000;   // waiting for the first byte of the next request
  int max_queued_responses = 8;  // pipelining bound per connection
  int drain_timeout_ms = 10000;
  // Peers whose X-Forwarded-Proto / Forwarded proto= header is trusted for Request::scheme, and
  // whose X-Forwarded-For / Forwarded for= for Request::client_address, as IP addresses in their
  // usual text form ("10.0.0.7", "::1"); IPv4-mapped IPv6 peers are compared in their IPv4 form.
  std::vector<std::string> trusted_proxies;
  bool access_log = true;
  bool debug_log = false;  // also log connection-level errors (resets, timeouts, TLS failures)
};

class Server {
 public:
  // Binds every listener (throws Fault if one cannot bind, or a TLS certificate or key cannot
  // be loaded). Does not start serving. handler must outlive the Server.
  Server(ServerOptions options, RequestHandler& handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The bound ports, in the order of options.listeners.
  std::vector<uint16_t> ports() const;
  // Connections open right now (for metrics). Thread-safe.
  size_t open_connections() const;

  // Serves on io_threads threads (the caller's among them) until Stop() (or SIGTERM/SIGINT
  // when handle_signals), then drains and returns. Call at most once.
  void Run(bool handle_signals);
  // Thread-safe; returns at once. Before Run(), makes Run() drain and return immediately.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace portrait::http
