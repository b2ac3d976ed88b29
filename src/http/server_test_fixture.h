#pragma once
// A real Server on an ephemeral port, with a handler that reports what it saw.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include "http/server.h"
#include "http/test_client.h"

namespace portrait::http::testing {

// GET /slow?ms=N sleeps N ms first. The body is "METHOD TARGET SCHEME BODY"; X-Seen-* headers
// report host, remote address and request id. Paths starting /inline are answered by
// HandleInline with "inline METHOD TARGET" (/inline-throw throws there; /inline-thread answers
// with a hash of the I/O thread's id). /bytes?n=N (pooled) and /inline-bytes?n=N (inline)
// answer SizedBody(N).
// N bytes that differ along the way (a truncated, reordered or repeated part shows).
inline std::string SizedBody(size_t n) {
  std::string body(n, '\0');
  for (size_t i = 0; i < n; ++i) body[i] = static_cast<char>('a' + (i * 7 + i / 4096) % 26);
  return body;
}

inline size_t QueryNumber(const Request& request) {
  return std::stoul(std::string(request.query().substr(request.query().find('=') + 1)));
}

class RecordingHandler final : public RequestHandler {
 public:
  std::optional<Response> HandleInline(Request& request, LogFields&) override {
    if (!request.path().starts_with("/inline")) return std::nullopt;
    if (request.path() == "/inline-bytes") {
      Response response;
      response.body = SizedBody(QueryNumber(request));
      return response;
    }
    if (request.path() == "/inline-throw") throw std::runtime_error("inline handler failed");
    Response response;
    if (request.path() == "/inline-thread") {
      response.body = std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id()));
      return response;
    }
    response.body = "inline " + request.method + " " + request.target;
    return response;
  }
  Response Handle(Request& request, LogFields& log) override {
    ++pooled_calls;
    if (request.path() == "/slow") {
      int ms = std::stoi(std::string(request.query().substr(request.query().find('=') + 1)));
      std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    }
    log.user_id = 42;
    Response response;
    if (request.path() == "/bytes") {
      response.body = SizedBody(QueryNumber(request));
      return response;
    }
    response.set("Content-Type", "text/plain");
    response.set("X-Seen-Host", request.host);
    response.set("X-Seen-Remote", request.remote_address);
    response.set("X-Seen-Request-Id", request.request_id);
    response.set("X-Injected", "bad\r\nSet-Cookie: evil=1");
    response.body =
        request.method + " " + request.target + " " + request.scheme + " " + request.body;
    response.head_only = request.method == "HEAD";
    return response;
  }
  std::atomic<int> pooled_calls{0};
  Response TooLarge() override {
    Response response;
    response.status = 413;
    response.body = R"({"errors":[{"code":44,"message":"Request entity too large."}]})";
    return response;
  }
};

class ServerTest : public ::testing::Test {
 protected:
  static ServerOptions DefaultOptions() {
    ServerOptions options;
    options.listeners.push_back(ListenerOptions{});
    options.access_log = false;
    options.max_body_bytes = 1024;
    return options;
  }

  void Start(ServerOptions options) {
    server_ = std::make_unique<Server>(std::move(options), handler_);
    run_thread_ = std::thread([this] {
      server_->Run(/*handle_signals=*/false);
      run_returned_ = true;
    });
  }
  void Start() { Start(DefaultOptions()); }

  // Stops the server and waits for Run() to return; the time that took.
  std::chrono::milliseconds StopAndJoin() {
    auto start = std::chrono::steady_clock::now();
    server_->Stop();
    run_thread_.join();
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 start);
  }

  void TearDown() override {
    if (run_thread_.joinable()) StopAndJoin();
  }

  uint16_t port(size_t listener = 0) const { return server_->ports().at(listener); }

  RecordingHandler handler_;
  std::unique_ptr<Server> server_;
  std::thread run_thread_;
  std::atomic<bool> run_returned_{false};
};

// The same behaviour over plain HTTP, HTTPS with TLS 1.2 and HTTPS with TLS 1.3: Start() puts
// a self-signed certificate on every listener unless the parameter is kPlain, and Connect()
// speaks the parameter's transport.
class ServerOverTransport : public ServerTest, public ::testing::WithParamInterface<Transport> {
 protected:
  static void SetUpTestSuite() {
    char directory[] = "/tmp/portrait_http_transport_XXXXXX";
    if (!::mkdtemp(directory) ||
        !WriteSelfSignedCertificate(directory, certificate_file_, key_file_)) {
      throw std::runtime_error("cannot write a test certificate");
    }
  }

  bool tls() const { return GetParam() != Transport::kPlain; }
  std::string scheme() const { return tls() ? "https" : "http"; }

  void Start(ServerOptions options) {
    if (tls()) {
      for (ListenerOptions& listener : options.listeners) {
        listener.tls = TlsOptions{certificate_file_, key_file_};
      }
    }
    ServerTest::Start(std::move(options));
  }
  void Start() { Start(DefaultOptions()); }

  std::unique_ptr<TestConnection> Connect(size_t listener = 0) {
    return std::make_unique<TestConnection>(port(listener), GetParam());
  }

  static inline std::string certificate_file_;
  static inline std::string key_file_;
};

inline std::string TransportTestName(const ::testing::TestParamInfo<Transport>& info) {
  return std::string(TransportName(info.param));
}

}  // namespace portrait::http::testing
