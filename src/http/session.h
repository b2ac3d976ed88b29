#pragma once
// One HTTP/1.1 connection (plain or TLS), from the accepted socket to its close: see server.h
// for the behaviour. Internal to the http component.
#include <atomic>
#include <boost/asio/ip/tcp.hpp>

#include "http/connection_registry.h"
#include "http/server.h"

namespace boost::asio {
class thread_pool;
namespace ssl {
class context;
}  // namespace ssl
}  // namespace boost::asio

namespace portrait::http {

// What every session shares; owned by the server and outliving all sessions.
struct SessionEnvironment {
  const ServerOptions& options;
  RequestHandler& handler;
  boost::asio::thread_pool& handler_pool;
  ConnectionRegistry& registry;
  const std::atomic<bool>& stopping;
};

// socket's executor must run its handlers one at a time (an io_context run by one thread, or a
// strand): the session runs on it. The session registers
// itself in environment.registry and keeps itself alive until the connection closes.
void StartSession(boost::asio::ip::tcp::socket socket, const SessionEnvironment& environment);
void StartTlsSession(boost::asio::ip::tcp::socket socket, boost::asio::ssl::context& tls,
                     const SessionEnvironment& environment);

}  // namespace portrait::http
