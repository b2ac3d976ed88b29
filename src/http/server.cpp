#include "http/server.h"

#include <openssl/ssl.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <csignal>
#include <thread>

#include "common/result.h"
#include "http/access_log.h"
#include "http/session.h"

namespace portrait::http {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

constexpr std::string_view kBadRequestBody = R"({"errors":[{"code":0,"message":"Bad request."}]})";

std::unique_ptr<asio::ssl::context> MakeTlsContext(const TlsOptions& tls) {
  auto context = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
  try {
    context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                         asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                         asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
    SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
    context->use_certificate_chain_file(tls.certificate_file);
    context->use_private_key_file(tls.private_key_file, asio::ssl::context::pem);
  } catch (const boost::system::system_error& e) {
    throw Fault("cannot load TLS certificate " + tls.certificate_file + " or key " +
                tls.private_key_file + ": " + e.what());
  }
  return context;
}

}  // namespace

std::optional<Response> RequestHandler::HandleInline(Request&, LogFields&) { return std::nullopt; }

uint64_t RequestHandler::BodyLimit(std::string_view, std::string_view) { return UINT64_MAX; }

Response RequestHandler::BadRequest() {
  Response response;
  response.status = 400;
  response.set("Content-Type", "application/json;charset=utf-8");
  response.body = std::string(kBadRequestBody);
  return response;
}

class Server::Impl {
 public:
  Impl(ServerOptions options, RequestHandler& handler)
      : options_(std::move(options)),
        loops_(MakeLoops(options_.io_threads)),
        control_(loops_.front()->get_executor()),
        signals_(control_),
        drain_timer_(control_),
        handler_pool_(static_cast<size_t>(std::max(1, options_.handler_threads))),
        environment_{options_, handler, handler_pool_, registry_, stopping_} {
    for (const ListenerOptions& listener : options_.listeners) Listen(listener);
  }

  ~Impl() {
    registry_.SetOnEmpty({});
    handler_pool_.join();
  }

  size_t open_connections() const { return registry_.size(); }

  std::vector<uint16_t> ports() const {
    std::vector<uint16_t> ports;
    for (const auto& listener : listeners_) ports.push_back(listener->port);
    return ports;
  }

  void Run(bool handle_signals) {
    for (auto& loop : loops_) keep_running_.emplace_back(loop->get_executor());
    asio::post(control_, [this, handle_signals] {
      if (stop_started_) return;
      if (handle_signals) {
        signals_.add(SIGINT);
        signals_.add(SIGTERM);
        signals_.async_wait([this](error_code ec, int) {
          if (!ec) BeginStop();
        });
      }
      for (auto& listener : listeners_) Accept(*listener);
    });
    std::vector<std::thread> threads;
    for (size_t i = 1; i < loops_.size(); ++i) {
      threads.emplace_back([this, i] { RunLoop(*loops_[i]); });
    }
    RunLoop(*loops_.front());
    for (auto& thread : threads) thread.join();
  }

  void Stop() {
    asio::post(control_, [this] { BeginStop(); });
  }

 private:
  struct Listener {
    tcp::acceptor acceptor;
    std::unique_ptr<asio::ssl::context> tls;
    uint16_t port = 0;
  };

  void Listen(const ListenerOptions& options) {
    auto listener = std::make_unique<Listener>(Listener{tcp::acceptor(control_), nullptr, 0});
    if (options.tls) listener->tls = MakeTlsContext(*options.tls);
    try {
      tcp::endpoint endpoint(asio::ip::make_address(options.address), options.port);
      listener->acceptor.open(endpoint.protocol());
      listener->acceptor.set_option(asio::socket_base::reuse_address(true));
      listener->acceptor.bind(endpoint);
      listener->acceptor.listen(asio::socket_base::max_listen_connections);
      listener->port = listener->acceptor.local_endpoint().port();
    } catch (const boost::system::system_error& e) {
      throw Fault("cannot listen on " + options.address + ":" + std::to_string(options.port) +
                  ": " + e.what());
    }
    listeners_.push_back(std::move(listener));
  }

  // One io_context per I/O thread, each run by that thread alone, and each connection on one of
  // them: a connection's handlers then run one at a time without a strand, and the threads
  // never share a scheduler queue (with one io_context run by two threads, waking each other
  // through its mutex cost about a tenth of the CPU spent on a small answer).
  static std::vector<std::unique_ptr<asio::io_context>> MakeLoops(int io_threads) {
    std::vector<std::unique_ptr<asio::io_context>> loops;
    for (int i = 0; i < std::max(1, io_threads); ++i) {
      loops.push_back(std::make_unique<asio::io_context>(1));
    }
    return loops;
  }

  void RunLoop(asio::io_context& loop) {
    for (;;) {
      try {
        loop.run();
        return;
      } catch (const std::exception& e) {
        WriteServerLog("error", "io_exception", e.what());
      }
    }
  }

  // Runs on control_, like every other use of the acceptors, signals_ and drain_timer_.
  void Accept(Listener& listener) {
    asio::io_context& loop = *loops_[next_loop_++ % loops_.size()];
    listener.acceptor.async_accept(loop, [this, &listener](error_code ec, tcp::socket socket) {
      if (stop_started_ || ec == asio::error::operation_aborted) return;
      if (ec) {
        if (options_.debug_log) WriteServerLog("debug", "accept_error", ec.message());
      } else if (registry_.size() >= static_cast<size_t>(std::max(0, options_.max_connections))) {
        if (options_.debug_log) WriteServerLog("debug", "connection_refused", "max_connections");
        error_code ignored;
        socket.close(ignored);
      } else if (listener.tls) {
        StartTlsSession(std::move(socket), *listener.tls, environment_);
      } else {
        StartSession(std::move(socket), environment_);
      }
      Accept(listener);
    });
  }

  void BeginStop() {
    if (stop_started_) return;
    stop_started_ = true;
    stopping_ = true;
    error_code ignored;
    for (auto& listener : listeners_) listener->acceptor.close(ignored);
    signals_.cancel(ignored);
    registry_.SetOnEmpty([this] { asio::post(control_, [this] { FinishDrain(); }); });
    for (const auto& connection : registry_.Snapshot()) connection->BeginShutdown();
    if (registry_.size() == 0) return FinishDrain();
    drain_timer_.expires_after(std::chrono::milliseconds(options_.drain_timeout_ms));
    drain_timer_.async_wait([this](error_code ec) {
      if (ec) return;
      for (const auto& connection : registry_.Snapshot()) connection->ForceClose();
      FinishDrain();
    });
  }

  // Lets Run() return once the remaining queued work (closes) is done. Handlers still running
  // after a forced close finish on the pool; their results are dropped.
  void FinishDrain() {
    if (drained_) return;
    drained_ = true;
    drain_timer_.cancel();
    keep_running_.clear();
  }

  ServerOptions options_;
  // Declared before loops_: sessions destroyed with the loops' queued handlers deregister
  // themselves.
  ConnectionRegistry registry_;
  std::atomic<bool> stopping_{false};
  std::vector<std::unique_ptr<asio::io_context>> loops_;
  // The first loop's executor: one thread runs it, so whatever runs there runs one at a time.
  asio::io_context::executor_type control_;
  std::vector<std::unique_ptr<Listener>> listeners_;
  asio::signal_set signals_;
  asio::steady_timer drain_timer_;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> keep_running_;
  size_t next_loop_ = 0;       // on control_
  bool stop_started_ = false;  // on control_
  bool drained_ = false;       // on control_
  // Declared after loops_, so it is joined before they go away.
  asio::thread_pool handler_pool_;
  SessionEnvironment environment_;
};

Server::Server(ServerOptions options, RequestHandler& handler)
    : impl_(std::make_unique<Impl>(std::move(options), handler)) {}

Server::~Server() = default;

std::vector<uint16_t> Server::ports() const { return impl_->ports(); }

size_t Server::open_connections() const { return impl_->open_connections(); }

void Server::Run(bool handle_signals) { impl_->Run(handle_signals); }

void Server::Stop() { impl_->Stop(); }

}  // namespace portrait::http
