// HTTP behaviour of Server over plain HTTP and HTTPS (TLS 1.2 and 1.3): framing, keep-alive,
// pipelining, limits, headers, bodies small and large.
#include "http/server.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "http/server_test_fixture.h"

namespace portrait::http::testing {
namespace {

TEST_P(ServerOverTransport, RoundTripsGetAndPostWithBody) {
  Start();
  TestConnection connection(port(), GetParam());
  ASSERT_TRUE(connection.Send(Get("/hello?x=1")));
  auto get = connection.ReadResponse();
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 200);
  EXPECT_EQ(get->body, "GET /hello?x=1 " + scheme() + " ");
  EXPECT_EQ(get->header("X-Seen-Host"), "test");
  EXPECT_EQ(get->header("X-Seen-Remote"), "127.0.0.1");

  ASSERT_TRUE(connection.Send(
      "POST /post HTTP/1.1\r\nHost: test\r\nContent-Length: 11\r\n\r\nhello world"));
  auto post = connection.ReadResponse();
  ASSERT_TRUE(post);
  EXPECT_EQ(post->body, "POST /post " + scheme() + " hello world");
}

TEST_P(ServerOverTransport, SendsDateContentLengthAndNoInjectedHeaders) {
  Start();
  TestConnection connection(port(), GetParam());
  ASSERT_TRUE(connection.Send(Get("/")));
  auto response = connection.ReadResponse();
  ASSERT_TRUE(response);
  ASSERT_TRUE(response->header("Date"));
  EXPECT_TRUE(response->header("Date")->ends_with(" GMT"));
  EXPECT_EQ(response->header("Content-Length"), std::to_string(response->body.size()));
  EXPECT_FALSE(response->header("X-Injected"));
  EXPECT_FALSE(response->header("Set-Cookie"));
}

TEST_P(ServerOverTransport, KeepsTheConnectionAliveAcrossRequests) {
  Start();
  TestConnection connection(port(), GetParam());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(connection.Send(Get("/n" + std::to_string(i))));
    auto response = connection.ReadResponse();
    ASSERT_TRUE(response) << i;
    EXPECT_EQ(response->body, "GET /n" + std::to_string(i) + " " + scheme() + " ");
  }
}

TEST_P(ServerOverTransport, ClosesAfterConnectionClose) {
  Start();
  TestConnection connection(port(), GetParam());
  ASSERT_TRUE(connection.Send(Get("/", "Connection: close\r\n")));
  auto response = connection.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->header("Connection"), "close");
  EXPECT_TRUE(connection.ClosedWithin(2000));
}

TEST_P(ServerOverTransport, AnswersPipelinedRequestsInOrder) {
  Start();
  TestConnection connection(port(), GetParam());
  // The first handler is the slowest, so responses complete out of order on the pool.
  ASSERT_TRUE(connection.Send(Get("/slow?ms=200") + Get("/slow?ms=50") + Get("/fast")));
  for (const char* target : {"/slow?ms=200", "/slow?ms=50", "/fast"}) {
    auto response = connection.ReadResponse();
    ASSERT_TRUE(response) << target;
    EXPECT_EQ(response->body, std::string("GET ") + target + " " + scheme() + " ");
  }
}

TEST_P(ServerOverTransport, AnswersInlineRequestsWithoutThePool) {
  Start();
  TestConnection connection(port(), GetParam());
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

TEST_P(ServerOverTransport, KeepsPipelinedOrderAcrossInlineAndPooledRequests) {
  Start();
  TestConnection connection(port(), GetParam());
  // The inline answers are ready long before the pooled ones ahead of them.
  ASSERT_TRUE(connection.Send(Get("/slow?ms=200") + Get("/inline1") + Get("/slow?ms=20") +
                              Get("/inline2")));
  const std::vector<std::string> expected = {
      "GET /slow?ms=200 " + scheme() + " ", "inline GET /inline1",
      "GET /slow?ms=20 " + scheme() + " ", "inline GET /inline2"};
  for (const std::string& body : expected) {
    auto response = connection.ReadResponse();
    ASSERT_TRUE(response) << body;
    EXPECT_EQ(response->body, body);
  }
  EXPECT_EQ(handler_.pooled_calls, 2);
}

TEST_P(ServerOverTransport, SpreadsConnectionsOverTheIoThreadsAndKeepsEachOnOne) {
  ServerOptions options = DefaultOptions();
  options.io_threads = 2;
  Start(std::move(options));
  std::vector<std::unique_ptr<TestConnection>> connections;
  for (int i = 0; i < 4; ++i) connections.push_back(Connect());
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

TEST_P(ServerOverTransport, AnInlineHandlerThatThrowsGets500AndTheConnectionLives) {
  Start();
  TestConnection connection(port(), GetParam());
  ASSERT_TRUE(connection.Send(Get("/inline-throw") + Get("/inline")));
  auto failed = connection.ReadResponse();
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->status, 500);
  auto next = connection.ReadResponse();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body, "inline GET /inline");
}

TEST_P(ServerOverTransport, AnswersManyPipelinedRequestsBeyondTheQueueBound) {
  ServerOptions options = DefaultOptions();
  options.max_queued_responses = 2;
  Start(options);
  TestConnection connection(port(), GetParam());
  std::string requests;
  for (int i = 0; i < 20; ++i) requests += Get("/p" + std::to_string(i));
  ASSERT_TRUE(connection.Send(requests));
  for (int i = 0; i < 20; ++i) {
    auto response = connection.ReadResponse();
    ASSERT_TRUE(response) << i;
    EXPECT_EQ(response->body, "GET /p" + std::to_string(i) + " " + scheme() + " ");
  }
}

TEST_P(ServerOverTransport, HeadSendsContentLengthWithoutBody) {
  Start();
  TestConnection connection(port(), GetParam());
  ASSERT_TRUE(connection.Send("HEAD /image HTTP/1.1\r\nHost: test\r\n\r\n" + Get("/after")));
  auto head = connection.ReadResponse(/*head=*/true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->header("Content-Length"),
            std::to_string(std::string("HEAD /image " + scheme() + " ").size()));
  // The next response starts right after the head response's headers.
  auto after = connection.ReadResponse();
  ASSERT_TRUE(after);
  EXPECT_EQ(after->body, "GET /after " + scheme() + " ");
}

TEST_P(ServerOverTransport, RefusesOversizedContentLengthBeforeTheBodyIsSent) {
  Start();
  TestConnection connection(port(), GetParam());
  ASSERT_TRUE(
      connection.Send("POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 5000000\r\n\r\n"));
  auto response = connection.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_TRUE(response->header("Date"));
  EXPECT_EQ(response->header("Connection"), "close");
  EXPECT_TRUE(connection.ClosedWithin(3000));
}

TEST_P(ServerOverTransport, RefusesChunkedBodyOverTheLimitWith413) {
  Start();
  TestConnection connection(port(), GetParam());
  std::string chunk(800, 'a');
  ASSERT_TRUE(connection.Send(
      "POST /upload HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n320\r\n" + chunk +
      "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n"));
  auto response = connection.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
}

TEST_P(ServerOverTransport, AcceptsChunkedBodyWithinTheLimit) {
  Start();
  TestConnection connection(port(), GetParam());
  ASSERT_TRUE(
      connection.Send("POST /c HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: "
                      "chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));
  auto response = connection.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "POST /c " + scheme() + " hello");
}

TEST_P(ServerOverTransport, SendsContinueToClientsThatExpectIt) {
  Start();
  TestConnection connection(port(), GetParam());
  ASSERT_TRUE(connection.Send(
      "POST /e HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n"));
  auto interim = connection.ReadResponse(false, 2000);
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(connection.Send("abc"));
  auto response = connection.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "POST /e " + scheme() + " abc");
}

TEST_P(ServerOverTransport, RejectsHeaderOverTheLimit) {
  ServerOptions options = DefaultOptions();
  options.max_header_bytes = 512;
  Start(options);
  TestConnection connection(port(), GetParam());
  ASSERT_TRUE(connection.Send(Get("/", "X-Big: " + std::string(2000, 'b') + "\r\n")));
  auto response = connection.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_TRUE(connection.ClosedWithin(3000));
}

TEST_P(ServerOverTransport, RejectsMalformedRequestWith400) {
  Start();
  TestConnection connection(port(), GetParam());
  ASSERT_TRUE(connection.Send("NOT A REQUEST\r\n\r\n"));
  auto response = connection.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_EQ(response->body, R"({"errors":[{"code":0,"message":"Bad request."}]})");
  EXPECT_TRUE(response->header("X-Request-Id"));
}

TEST_P(ServerOverTransport, EchoesAValidRequestId) {
  Start();
  TestConnection connection(port(), GetParam());
  ASSERT_TRUE(connection.Send(Get("/", "X-Request-Id: abc-123_x.y\r\n")));
  auto response = connection.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->header("X-Request-Id"), "abc-123_x.y");
  EXPECT_EQ(response->header("X-Seen-Request-Id"), "abc-123_x.y");
}

TEST_P(ServerOverTransport, ReplacesAnInvalidOrMissingRequestId) {
  Start();
  TestConnection connection(port(), GetParam());
  ASSERT_TRUE(connection.Send(Get("/", "X-Request-Id: \"quoted\" id\r\n") + Get("/")));
  auto invalid = connection.ReadResponse();
  auto missing = connection.ReadResponse();
  ASSERT_TRUE(invalid && missing);
  EXPECT_EQ(invalid->header("X-Request-Id")->size(), 16u);
  EXPECT_EQ(missing->header("X-Request-Id")->size(), 16u);
  EXPECT_NE(invalid->header("X-Request-Id"), missing->header("X-Request-Id"));
}

TEST_P(ServerOverTransport, HonoursForwardedProtoFromATrustedProxy) {
  ServerOptions options = DefaultOptions();
  options.trusted_proxies = {"127.0.0.1"};
  Start(options);
  TestConnection connection(port(), GetParam());
  ASSERT_TRUE(connection.Send(Get("/", "X-Forwarded-Proto: https\r\n") +
                              Get("/", "Forwarded: for=1.2.3.4;proto=https\r\n")));
  for (int i = 0; i < 2; ++i) {
    auto response = connection.ReadResponse();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->body, "GET / https ");
  }
}

TEST_P(ServerOverTransport, IgnoresForwardedProtoFromAnUntrustedPeer) {
  ServerOptions options = DefaultOptions();
  options.trusted_proxies = {"10.0.0.1"};
  Start(options);
  TestConnection connection(port(), GetParam());
  ASSERT_TRUE(connection.Send(Get("/", "X-Forwarded-Proto: https\r\n")));
  auto response = connection.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "GET / " + scheme() + " ");
}

// Each body size a client meets (a small JSON answer, a 400x400 image, an original, a large
// file), pooled and inline, on one connection kept alive, pipelined: each arrives whole and in
// order. Over TLS a body over 16 KB used to stop after the response head.
TEST_P(ServerOverTransport, SendsBodiesOfEverySizeWholeAndInOrderWhenPipelined) {
  Start();
  auto connection = Connect();
  if (tls()) {
    EXPECT_EQ(connection->TlsVersion(), GetParam() == Transport::kTls12 ? "TLSv1.2" : "TLSv1.3");
  }
  const std::vector<size_t> sizes = {1000, 20 * 1000, 300 * 1000, 3 * 1000 * 1000};
  std::string requests;
  for (size_t n : sizes) {
    requests += Get("/bytes?n=" + std::to_string(n)) + Get("/inline-bytes?n=" + std::to_string(n));
  }
  ASSERT_TRUE(connection->Send(requests));
  for (size_t n : sizes) {
    for (const char* route : {"pooled", "inline"}) {
      auto response = connection->ReadResponse(false, 10000);
      ASSERT_TRUE(response) << route << " " << n;
      EXPECT_EQ(response->status, 200);
      EXPECT_EQ(response->header("Content-Length"), std::to_string(n));
      ASSERT_EQ(response->body.size(), n) << route;
      EXPECT_TRUE(response->body == SizedBody(n)) << route << " body of " << n << " differs";
    }
  }
  // The connection is still usable after them.
  ASSERT_TRUE(connection->Send(Get("/after")));
  auto after = connection->ReadResponse();
  ASSERT_TRUE(after);
  EXPECT_EQ(after->body, "GET /after " + scheme() + " ");
}

TEST_P(ServerOverTransport, SendsALargeBodyToEachOfSeveralRequestsOneAfterAnother) {
  Start();
  auto connection = Connect();
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(connection->Send(Get("/bytes?n=" + std::to_string(65536 + i))));
    auto response = connection->ReadResponse();
    ASSERT_TRUE(response) << i;
    EXPECT_EQ(response->body.size(), 65536u + i);
  }
}

TEST_P(ServerOverTransport, AcceptsRequestBodiesSmallAndLarge) {
  ServerOptions options = DefaultOptions();
  options.max_body_bytes = 4 * 1000 * 1000;
  Start(options);
  auto connection = Connect();
  for (size_t n : {1000, 20 * 1000, 300 * 1000, 3 * 1000 * 1000}) {
    const std::string body = SizedBody(n);
    ASSERT_TRUE(connection->Send("POST /p HTTP/1.1\r\nHost: test\r\nContent-Length: " +
                                 std::to_string(n) + "\r\n\r\n" + body));
    auto response = connection->ReadResponse(false, 10000);
    ASSERT_TRUE(response) << n;
    EXPECT_TRUE(response->body == "POST /p " + scheme() + " " + body) << n;
  }
}

// RFC 9112 framing. Each case is sent after a valid request and before a request that would
// be smuggled if the bad one's body were taken as the next request: exactly two responses
// come back (200, then 400), and the connection closes.
struct FramingCase {
  const char* name;
  std::string request;
};

std::vector<FramingCase> RefusedFraming() {
  using namespace std::string_literals;
  const std::string smuggled = "GET /smuggled HTTP/1.1\r\nHost: test\r\n\r\n";
  const std::string chunked_smuggle = std::to_string(0) + "\r\n\r\n" + smuggled;
  auto with_te = [&](const std::string& coding) {
    return "POST /te HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: " + coding +
           "\r\nContent-Length-Ignored: 1\r\n\r\n" + smuggled;
  };
  return {
      {"chunked_then_identity", with_te("chunked, identity")},
      {"identity", with_te("identity")},
      {"gzip", with_te("gzip")},
      {"xchunked", with_te("xchunked")},
      {"gzip_then_chunked", with_te("gzip, chunked")},
      {"chunked_twice_in_one_field", with_te("chunked, chunked")},
      {"two_fields_gzip_and_chunked",
       "POST /te HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: gzip\r\nX-A: 1\r\n"
       "Transfer-Encoding: chunked\r\n\r\n" +
           chunked_smuggle},
      {"obs_fold_in_a_field",
       "GET /f HTTP/1.1\r\nHost: test\r\nX-Long: a\r\n b\r\n\r\n" + smuggled},
      {"obs_fold_with_tab", "GET /f HTTP/1.1\r\nHost: test\r\nX-Long: a\r\n\tb\r\n\r\n" + smuggled},
      {"obs_fold_of_transfer_encoding",
       "POST /f HTTP/1.1\r\nHost: test\r\nTransfer-Encoding:\r\n chunked\r\n\r\n" +
           chunked_smuggle},
      {"two_hosts", "GET /h HTTP/1.1\r\nHost: test\r\nHost: other\r\n\r\n" + smuggled},
      {"two_hosts_apart",
       "GET /h HTTP/1.1\r\nHost: test\r\nX-A: 1\r\nhost: test\r\n\r\n" + smuggled},
      {"no_host_in_http_1_1", "GET /h HTTP/1.1\r\nX-A: 1\r\n\r\n" + smuggled},
      {"content_length_and_chunked",
       "POST /c HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n" +
           chunked_smuggle},
      {"two_different_content_lengths",
       "POST /c HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello" +
           smuggled},
      {"bare_lf", "GET /b HTTP/1.1\nHost: test\n\n" + smuggled},
      {"nul_in_a_header", "GET /n HTTP/1.1\r\nHost: test\r\nX-A: a\0b\r\n\r\n"s + smuggled},
      {"nul_in_the_path", "GET /a\0b HTTP/1.1\r\nHost: test\r\n\r\n"s + smuggled},
  };
}

TEST_P(ServerOverTransport, RefusesAmbiguousFramingWith400AndCloses) {
  Start();
  const std::vector<FramingCase> cases = RefusedFraming();
  for (const FramingCase& bad : cases) {
    SCOPED_TRACE(bad.name);
    auto connection = Connect();
    ASSERT_TRUE(connection->Send(Get("/first") + bad.request));
    auto first = connection->ReadResponse();
    ASSERT_TRUE(first);
    EXPECT_EQ(first->body, "GET /first " + scheme() + " ");
    auto refused = connection->ReadResponse();
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 400);
    EXPECT_EQ(refused->header("Connection"), "close");
    EXPECT_TRUE(connection->ClosedWithin(3000)) << "no response to a smuggled request";
  }
  EXPECT_EQ(handler_.pooled_calls, static_cast<int>(cases.size()))
      << "only each connection's /first reached the handler";
}

TEST_P(ServerOverTransport, RefusesA20000CharacterPathWithoutAnsweringWhatFollows) {
  Start();
  auto connection = Connect();
  ASSERT_TRUE(connection->Send(Get("/" + std::string(20000, 'p')) + Get("/after")));
  auto refused = connection->ReadResponse();
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
  EXPECT_TRUE(connection->ClosedWithin(3000));
}

TEST_P(ServerOverTransport, AcceptsHttp10WithoutHostAndChunkedInAnyCase) {
  Start();
  auto connection = Connect();
  ASSERT_TRUE(connection->Send(
      "POST /c HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: Chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"
      "GET /ten HTTP/1.0\r\n\r\n"));
  auto chunked = connection->ReadResponse();
  ASSERT_TRUE(chunked);
  EXPECT_EQ(chunked->body, "POST /c " + scheme() + " ok");
  auto ten = connection->ReadResponse();
  ASSERT_TRUE(ten);
  EXPECT_EQ(ten->status, 200);
  EXPECT_EQ(ten->body, "GET /ten " + scheme() + " ");
}

TEST_P(ServerOverTransport, AnswersAHeaderThatArrivesInSeveralReads) {
  Start();
  auto connection = Connect();
  const std::string request = Get("/split", "X-A: 1\r\nX-B: 2\r\n");
  for (size_t cut : {std::string("GET /sp").size(), std::string("GET /split HTTP/1.1\r\n").size(),
                     std::string("GET /split HTTP/1.1\r\nHost: te").size(), request.size() - 2}) {
    SCOPED_TRACE(cut);
    ASSERT_TRUE(connection->Send(request.substr(0, cut)));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_TRUE(connection->Send(request.substr(cut)));
    auto response = connection->ReadResponse();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "GET /split " + scheme() + " ");
  }
}

TEST_P(ServerOverTransport, AnswersAHeaderLargerThanOneReadButUnderTheLimit) {
  Start();
  auto connection = Connect();
  ASSERT_TRUE(connection->Send(Get("/big", "X-Junk: " + std::string(12000, 'j') + "\r\n")));
  auto response = connection->ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
}

TEST_P(ServerOverTransport, AnswersHundredsOfPipelinedRequestsAcrossReadBoundaries) {
  Start();
  auto connection = Connect();
  std::string requests;
  for (int i = 0; i < 400; ++i) requests += Get("/inline" + std::to_string(i));
  ASSERT_TRUE(connection->Send(requests));
  for (int i = 0; i < 400; ++i) {
    auto response = connection->ReadResponse();
    ASSERT_TRUE(response) << i;
    ASSERT_EQ(response->body, "inline GET /inline" + std::to_string(i));
  }
}

// A refusal is followed by a close while the client is still sending: the answer must arrive,
// not be destroyed by a reset for the unread input (over TLS too).
TEST_P(ServerOverTransport, ARefusalReachesAClientThatIsStillSending) {
  ServerOptions options = DefaultOptions();
  options.max_header_bytes = 1024;
  Start(options);
  for (int attempt = 0; attempt < 10; ++attempt) {
    SCOPED_TRACE(attempt);
    auto connection = Connect();
    std::string fields;
    for (int i = 0; i < 2000; ++i) fields += "X-F" + std::to_string(i) + ": v\r\n";
    connection->Send(Get("/", fields));  // the server may close before all of it is sent
    auto response = connection->ReadResponse();
    ASSERT_TRUE(response) << "the 400 was lost";
    EXPECT_EQ(response->status, 400);
  }
}

INSTANTIATE_TEST_SUITE_P(Transports, ServerOverTransport,
                         ::testing::Values(Transport::kPlain, Transport::kTls12, Transport::kTls13),
                         TransportTestName);

}  // namespace
}  // namespace portrait::http::testing
