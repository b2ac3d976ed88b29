#pragma once
// A real Server on an ephemeral port, with a handler that reports what it saw.
#include <gtest/gtest.h>

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
// with a hash of the I/O thread's id).
class RecordingHandler final : public RequestHandler {
 public:
  std::optional<Response> HandleInline(Request& request, LogFields&) override {
    if (!request.path().starts_with("/inline")) return std::nullopt;
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

}  // namespace portrait::http::testing
