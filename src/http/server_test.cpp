// HTTP behaviour of Server: framing, keep-alive, pipelining, limits, headers.
#include "http/server.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "http/server_test_fixture.h"

namespace portrait::http::testing {
namespace {

TEST_F(ServerTest, RoundTripsGetAndPostWithBody) {
  Start();
  TestConnection connection(port());
  ASSERT_TRUE(connection.Send(Get("/hello?x=1")));
  auto get = connection.ReadResponse();
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 200);
  EXPECT_EQ(get->body, "GET /hello?x=1 http ");
  EXPECT_EQ(get->header("X-Seen-Host"), "test");
  EXPECT_EQ(get->header("X-Seen-Remote"), "127.0.0.1");

  ASSERT_TRUE(connection.Send(
      "POST /post HTTP/1.1\r\nHost: test\r\nContent-Length: 11\r\n\r\nhello world"));
  auto post = connection.ReadResponse();
  ASSERT_TRUE(post);
  EXPECT_EQ(post->body, "POST /post http hello world");
}

TEST_F(ServerTest, SendsDateContentLengthAndNoInjectedHeaders) {
  Start();
  TestConnection connection(port());
  ASSERT_TRUE(connection.Send(Get("/")));
  auto response = connection.ReadResponse();
  ASSERT_TRUE(response);
  ASSERT_TRUE(response->header("Date"));
  EXPECT_TRUE(response->header("Date")->ends_with(" GMT"));
  EXPECT_EQ(response->header("Content-Length"), std::to_string(response->body.size()));
  EXPECT_FALSE(response->header("X-Injected"));
  EXPECT_FALSE(response->header("Set-Cookie"));
}

TEST_F(ServerTest, KeepsTheConnectionAliveAcrossRequests) {
  Start();
  TestConnection connection(port());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(connection.Send(Get("/n" + std::to_string(i))));
    auto response = connection.ReadResponse();
    ASSERT_TRUE(response) << i;
    EXPECT_EQ(response->body, "GET /n" + std::to_string(i) + " http ");
  }
}

TEST_F(ServerTest, ClosesAfterConnectionClose) {
  Start();
  TestConnection connection(port());
  ASSERT_TRUE(connection.Send(Get("/", "Connection: close\r\n")));
  auto response = connection.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->header("Connection"), "close");
  EXPECT_TRUE(connection.ClosedWithin(2000));
}

TEST_F(ServerTest, AnswersPipelinedRequestsInOrder) {
  Start();
  TestConnection connection(port());
  // The first handler is the slowest, so responses complete out of order on the pool.
  ASSERT_TRUE(connection.Send(Get("/slow?ms=200") + Get("/slow?ms=50") + Get("/fast")));
  for (const char* target : {"/slow?ms=200", "/slow?ms=50", "/fast"}) {
    auto response = connection.ReadResponse();
    ASSERT_TRUE(response) << target;
    EXPECT_EQ(response->body, std::string("GET ") + target + " http ");
  }
}

TEST_F(ServerTest, AnswersInlineRequestsWithoutThePool) {
  Start();
  TestConnection connection(port());
  ASSERT_TRUE(connection.Send(Get("/inline?a=1") + Get("/inline")));
  for (const char* target : {"/inline?a=1", "/inline"}) {
    auto response = connection.ReadResponse();
    ASSERT_TRUE(response) << target;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, std::string("inline GET ") + target);
    EXPECT_TRUE(response->header("X-Request-Id")) << "inline answers carry a request id too";
  }
  EXPECT_EQ(handler_.pooled_calls, 0);
}

TEST_F(ServerTest, KeepsPipelinedOrderAcrossInlineAndPooledRequests) {
  Start();
  TestConnection connection(port());
  // The inline answers are ready long before the pooled ones ahead of them.
  ASSERT_TRUE(connection.Send(Get("/slow?ms=200") + Get("/inline1") + Get("/slow?ms=20") +
                              Get("/inline2")));
  const std::vector<std::string> expected = {"GET /slow?ms=200 http ", "inline GET /inline1",
                                             "GET /slow?ms=20 http ", "inline GET /inline2"};
  for (const std::string& body : expected) {
    auto response = connection.ReadResponse();
    ASSERT_TRUE(response) << body;
    EXPECT_EQ(response->body, body);
  }
  EXPECT_EQ(handler_.pooled_calls, 2);
}

TEST_F(ServerTest, SpreadsConnectionsOverTheIoThreadsAndKeepsEachOnOne) {
  ServerOptions options = DefaultOptions();
  options.io_threads = 2;
  Start(std::move(options));
  std::vector<std::unique_ptr<TestConnection>> connections;
  for (int i = 0; i < 4; ++i) connections.push_back(std::make_unique<TestConnection>(port()));
  std::set<std::string> threads;
  for (auto& connection : connections) {
    std::set<std::string> own_threads;
    for (int request = 0; request < 3; ++request) {
      ASSERT_TRUE(connection->Send(Get("/inline-thread")));
      auto response = connection->ReadResponse();
      ASSERT_TRUE(response);
      own_threads.insert(response->body);
    }
    EXPECT_EQ(own_threads.size(), 1u) << "a connection stays on its I/O thread";
    threads.insert(own_threads.begin(), own_threads.end());
  }
  EXPECT_EQ(threads.size(), 2u) << "connections are spread over both I/O threads";
}

TEST_F(ServerTest, AnInlineHandlerThatThrowsGets500AndTheConnectionLives) {
  Start();
  TestConnection connection(port());
  ASSERT_TRUE(connection.Send(Get("/inline-throw") + Get("/inline")));
  auto failed = connection.ReadResponse();
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->status, 500);
  auto next = connection.ReadResponse();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body, "inline GET /inline");
}

TEST_F(ServerTest, AnswersManyPipelinedRequestsBeyondTheQueueBound) {
  ServerOptions options = DefaultOptions();
  options.max_queued_responses = 2;
  Start(options);
  TestConnection connection(port());
  std::string requests;
  for (int i = 0; i < 20; ++i) requests += Get("/p" + std::to_string(i));
  ASSERT_TRUE(connection.Send(requests));
  for (int i = 0; i < 20; ++i) {
    auto response = connection.ReadResponse();
    ASSERT_TRUE(response) << i;
    EXPECT_EQ(response->body, "GET /p" + std::to_string(i) + " http ");
  }
}

TEST_F(ServerTest, HeadSendsContentLengthWithoutBody) {
  Start();
  TestConnection connection(port());
  ASSERT_TRUE(connection.Send("HEAD /image HTTP/1.1\r\nHost: test\r\n\r\n" + Get("/after")));
  auto head = connection.ReadResponse(/*head=*/true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->header("Content-Length"),
            std::to_string(std::string("HEAD /image http ").size()));
  // The next response starts right after the head response's headers.
  auto after = connection.ReadResponse();
  ASSERT_TRUE(after);
  EXPECT_EQ(after->body, "GET /after http ");
}

TEST_F(ServerTest, RefusesOversizedContentLengthBeforeTheBodyIsSent) {
  Start();
  TestConnection connection(port());
  ASSERT_TRUE(
      connection.Send("POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 5000000\r\n\r\n"));
  auto response = connection.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_TRUE(response->header("Date"));
  EXPECT_EQ(response->header("Connection"), "close");
  EXPECT_TRUE(connection.ClosedWithin(3000));
}

TEST_F(ServerTest, RefusesChunkedBodyOverTheLimitWith413) {
  Start();
  TestConnection connection(port());
  std::string chunk(800, 'a');
  ASSERT_TRUE(connection.Send(
      "POST /upload HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n320\r\n" + chunk +
      "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n"));
  auto response = connection.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
}

TEST_F(ServerTest, AcceptsChunkedBodyWithinTheLimit) {
  Start();
  TestConnection connection(port());
  ASSERT_TRUE(
      connection.Send("POST /c HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: "
                      "chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));
  auto response = connection.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "POST /c http hello");
}

TEST_F(ServerTest, SendsContinueToClientsThatExpectIt) {
  Start();
  TestConnection connection(port());
  ASSERT_TRUE(connection.Send(
      "POST /e HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n"));
  auto interim = connection.ReadResponse(false, 2000);
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(connection.Send("abc"));
  auto response = connection.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "POST /e http abc");
}

TEST_F(ServerTest, RejectsHeaderOverTheLimit) {
  ServerOptions options = DefaultOptions();
  options.max_header_bytes = 512;
  Start(options);
  TestConnection connection(port());
  ASSERT_TRUE(connection.Send(Get("/", "X-Big: " + std::string(2000, 'b') + "\r\n")));
  auto response = connection.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_TRUE(connection.ClosedWithin(3000));
}

TEST_F(ServerTest, RejectsMalformedRequestWith400) {
  Start();
  TestConnection connection(port());
  ASSERT_TRUE(connection.Send("NOT A REQUEST\r\n\r\n"));
  auto response = connection.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_EQ(response->body, R"({"errors":[{"code":0,"message":"Bad request."}]})");
  EXPECT_TRUE(response->header("X-Request-Id"));
}

TEST_F(ServerTest, EchoesAValidRequestId) {
  Start();
  TestConnection connection(port());
  ASSERT_TRUE(connection.Send(Get("/", "X-Request-Id: abc-123_x.y\r\n")));
  auto response = connection.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->header("X-Request-Id"), "abc-123_x.y");
  EXPECT_EQ(response->header("X-Seen-Request-Id"), "abc-123_x.y");
}

TEST_F(ServerTest, ReplacesAnInvalidOrMissingRequestId) {
  Start();
  TestConnection connection(port());
  ASSERT_TRUE(connection.Send(Get("/", "X-Request-Id: \"quoted\" id\r\n") + Get("/")));
  auto invalid = connection.ReadResponse();
  auto missing = connection.ReadResponse();
  ASSERT_TRUE(invalid && missing);
  EXPECT_EQ(invalid->header("X-Request-Id")->size(), 16u);
  EXPECT_EQ(missing->header("X-Request-Id")->size(), 16u);
  EXPECT_NE(invalid->header("X-Request-Id"), missing->header("X-Request-Id"));
}

TEST_F(ServerTest, HonoursForwardedProtoFromATrustedProxy) {
  ServerOptions options = DefaultOptions();
  options.trusted_proxies = {"127.0.0.1"};
  Start(options);
  TestConnection connection(port());
  ASSERT_TRUE(connection.Send(Get("/", "X-Forwarded-Proto: https\r\n") +
                              Get("/", "Forwarded: for=1.2.3.4;proto=https\r\n")));
  for (int i = 0; i < 2; ++i) {
    auto response = connection.ReadResponse();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->body, "GET / https ");
  }
}

TEST_F(ServerTest, IgnoresForwardedProtoFromAnUntrustedPeer) {
  ServerOptions options = DefaultOptions();
  options.trusted_proxies = {"10.0.0.1"};
  Start(options);
  TestConnection connection(port());
  ASSERT_TRUE(connection.Send(Get("/", "X-Forwarded-Proto: https\r\n")));
  auto response = connection.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "GET / http ");
}

}  // namespace
}  // namespace portrait::http::testing
