// Connection lifecycle of Server: timeouts, connection cap, graceful stop, TLS.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "common/result.h"
#include "http/server.h"
#include "http/server_test_fixture.h"

namespace portrait::http::testing {
namespace {

using std::chrono::milliseconds;

TEST_F(ServerTest, DisconnectsAClientThatStallsMidHeader) {
  ServerOptions options = DefaultOptions();
  options.read_timeout_ms = 300;
  Start(options);
  TestConnection connection(port());
  ASSERT_TRUE(connection.Send("GET / HTTP/1.1\r\nHost: te"));
  EXPECT_TRUE(connection.ClosedWithin(2000));
}

TEST_F(ServerTest, DisconnectsASlowlorisClientThatKeepsSendingHeaderBytes) {
  ServerOptions options = DefaultOptions();
  options.read_timeout_ms = 300;
  Start(options);
  TestConnection connection(port());
  const std::string request = Get("/", "X-Padding: " + std::string(200, 'p') + "\r\n");
  auto start = std::chrono::steady_clock::now();
  bool closed = false;
  for (char byte : request) {
    if (!connection.Send(std::string_view(&byte, 1)) || connection.ClosedWithin(20)) {
      closed = true;
      break;
    }
  }
  EXPECT_TRUE(closed);
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(2000));
}

TEST_F(ServerTest, ClosesAnIdleKeepAliveConnection) {
  ServerOptions options = DefaultOptions();
  options.idle_timeout_ms = 300;
  Start(options);
  TestConnection connection(port());
  ASSERT_TRUE(connection.Send(Get("/")));
  ASSERT_TRUE(connection.ReadResponse());
  EXPECT_TRUE(connection.ClosedWithin(2000));
}

TEST_F(ServerTest, ClosesConnectionsOverMaxConnections) {
  ServerOptions options = DefaultOptions();
  options.max_connections = 1;
  Start(options);
  TestConnection first(port());
  ASSERT_TRUE(first.Send(Get("/")));
  ASSERT_TRUE(first.ReadResponse());
  TestConnection second(port());
  EXPECT_TRUE(second.ClosedWithin(2000));
  // The first connection is unaffected.
  ASSERT_TRUE(first.Send(Get("/again")));
  EXPECT_TRUE(first.ReadResponse());
}

TEST_F(ServerTest, StopLetsAnInFlightRequestFinish) {
  Start();
  TestConnection connection(port());
  ASSERT_TRUE(connection.Send(Get("/slow?ms=400")));
  std::this_thread::sleep_for(milliseconds(100));
  server_->Stop();
  auto response = connection.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->header("Connection"), "close");
  EXPECT_TRUE(connection.ClosedWithin(2000));
  run_thread_.join();
  EXPECT_TRUE(run_returned_);
}

TEST_F(ServerTest, StopClosesIdleConnectionsPromptly) {
  Start();
  TestConnection connection(port());
  ASSERT_TRUE(connection.Send(Get("/")));
  ASSERT_TRUE(connection.ReadResponse());
  EXPECT_LT(StopAndJoin(), milliseconds(1000));
  EXPECT_TRUE(connection.ClosedWithin(1000));
}

TEST_F(ServerTest, StopForceClosesWhatRemainsAfterTheDrainTimeout) {
  ServerOptions options = DefaultOptions();
  options.drain_timeout_ms = 200;
  Start(options);
  TestConnection connection(port());
  ASSERT_TRUE(connection.Send(Get("/slow?ms=1500")));
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_LT(StopAndJoin(), milliseconds(1000));
  EXPECT_TRUE(connection.ClosedWithin(1000));
}

TEST_F(ServerTest, StopBeforeRunMakesRunReturn) {
  server_ = std::make_unique<Server>(DefaultOptions(), handler_);
  server_->Stop();
  server_->Run(false);
  SUCCEED();
}

TEST_F(ServerTest, ThrowsFaultWhenThePortIsTaken) {
  Start();
  ServerOptions options = DefaultOptions();
  options.listeners[0].port = port();
  EXPECT_THROW(Server second(options, handler_), Fault);
}

TEST_F(ServerTest, ServesHttpsBesidePlainHttp) {
  char temp_template[] = "/tmp/portrait_http_tls_XXXXXX";
  ASSERT_TRUE(mkdtemp(temp_template));
  std::string certificate, key;
  ASSERT_TRUE(WriteSelfSignedCertificate(temp_template, certificate, key));
  ServerOptions options = DefaultOptions();
  options.listeners.push_back(ListenerOptions{"127.0.0.1", 0, TlsOptions{certificate, key}});
  Start(options);

  TestConnection tls(port(1), Transport::kTls13);
  ASSERT_TRUE(tls.Send(Get("/secure") + Get("/again")));
  auto first = tls.ReadResponse();
  auto second = tls.ReadResponse();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->body, "GET /secure https ");
  EXPECT_EQ(second->body, "GET /again https ");

  TestConnection plain(port(0));
  ASSERT_TRUE(plain.Send(Get("/plain")));
  auto response = plain.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "GET /plain http ");
  std::filesystem::remove_all(temp_template);
}

}  // namespace
}  // namespace portrait::http::testing
