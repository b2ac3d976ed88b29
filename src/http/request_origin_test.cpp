#include "http/request_origin.h"

#include <gtest/gtest.h>

#include "http/access_log.h"

namespace portrait::http {
namespace {

TEST(RequestIdFrom, KeepsAWellFormedClientId) {
  EXPECT_EQ(RequestIdFrom("req-1.A_b"), "req-1.A_b");
  EXPECT_EQ(RequestIdFrom(std::string(kMaxRequestIdLength, 'a')),
            std::string(kMaxRequestIdLength, 'a'));
}

TEST(RequestIdFrom, GeneratesAnIdForMissingOrUnsafeOnes) {
  for (std::optional<std::string_view> id :
       {std::optional<std::string_view>(), std::optional<std::string_view>(""),
        std::optional<std::string_view>("a b"), std::optional<std::string_view>("x\"y"),
        std::optional<std::string_view>(std::string(kMaxRequestIdLength + 1, 'a'))}) {
    std::string generated = RequestIdFrom(id);
    EXPECT_EQ(generated.size(), 16u);
    EXPECT_NE(std::optional<std::string_view>(generated), id);
  }
}

TEST(ForwardedProto, ReadsForwardedBeforeXForwardedProto) {
  EXPECT_EQ(
      ForwardedProto({{"X-Forwarded-Proto", "http"}, {"Forwarded", "for=1.2.3.4;Proto=HTTPS"}}),
      "https");
  EXPECT_EQ(ForwardedProto({{"forwarded", "proto=\"https\", proto=http"}}), "https");
  EXPECT_EQ(ForwardedProto({{"x-forwarded-proto", " https , http"}}), "https");
}

TEST(ForwardedProto, IgnoresUnknownOrAbsentProtos) {
  EXPECT_EQ(ForwardedProto({}), std::nullopt);
  EXPECT_EQ(ForwardedProto({{"X-Forwarded-Proto", "gopher"}}), std::nullopt);
  EXPECT_EQ(ForwardedProto({{"Forwarded", "for=1.2.3.4"}}), std::nullopt);
}

TEST(ClientScheme, TrustsForwardingHeadersOnlyFromTrustedProxies) {
  Headers headers = {{"X-Forwarded-Proto", "https"}};
  EXPECT_EQ(ClientScheme("http", "10.0.0.1", headers, {"10.0.0.1"}), "https");
  EXPECT_EQ(ClientScheme("http", "10.0.0.2", headers, {"10.0.0.1"}), "http");
  EXPECT_EQ(ClientScheme("https", "10.0.0.1", {}, {"10.0.0.1"}), "https");
}

TEST(ClientAddress, IsThePeerWhenThePeerIsNotATrustedProxy) {
  Headers headers = {{"X-Forwarded-For", "203.0.113.9"}, {"Forwarded", "for=203.0.113.8"}};
  EXPECT_EQ(ClientAddress("198.51.100.4", headers, {"10.0.0.1"}), "198.51.100.4");
  EXPECT_EQ(ClientAddress("198.51.100.4", headers, {}), "198.51.100.4");
}

TEST(ClientAddress, IsTheNearestUntrustedHopOfXForwardedFor) {
  const std::vector<std::string> proxies = {"10.0.0.1", "10.0.0.2"};
  // What the client wrote itself (the spoofed 1.1.1.1) is left of what the proxy appended.
  EXPECT_EQ(ClientAddress("10.0.0.1", {{"X-Forwarded-For", "1.1.1.1, 203.0.113.9"}}, proxies),
            "203.0.113.9");
  EXPECT_EQ(ClientAddress("10.0.0.1", {{"X-Forwarded-For", "203.0.113.9, 10.0.0.2"}}, proxies),
            "203.0.113.9");
  EXPECT_EQ(
      ClientAddress("10.0.0.1",
                    {{"X-Forwarded-For", "1.1.1.1"}, {"x-forwarded-for", "203.0.113.9"}}, proxies),
      "203.0.113.9");
  EXPECT_EQ(ClientAddress("10.0.0.1", {{"X-Forwarded-For", "10.0.0.2"}}, proxies), "10.0.0.2");
  EXPECT_EQ(ClientAddress("10.0.0.1", {}, proxies), "10.0.0.1");
}

TEST(ClientAddress, ReadsForwardedForBeforeXForwardedForWithoutPortsOrBrackets) {
  const std::vector<std::string> proxies = {"10.0.0.1"};
  Headers headers = {{"X-Forwarded-For", "198.51.100.1"},
                     {"Forwarded", "for=192.0.2.60;proto=https, for=\"[2001:DB8::1]:4711\""}};
  EXPECT_EQ(ClientAddress("10.0.0.1", headers, proxies), "2001:db8::1");
  EXPECT_EQ(ClientAddress("10.0.0.1", {{"Forwarded", "for=192.0.2.60:8080"}}, proxies),
            "192.0.2.60");
  // A Forwarded line that tells only the proto leaves the addresses to X-Forwarded-For.
  EXPECT_EQ(
      ClientAddress("10.0.0.1", {{"Forwarded", "proto=https"}, {"X-Forwarded-For", "198.51.100.1"}},
                    proxies),
      "198.51.100.1");
}

TEST(ClientAddress, StopsAtAHopThatIsNotAnAddress) {
  const std::vector<std::string> proxies = {"10.0.0.1", "10.0.0.2"};
  EXPECT_EQ(ClientAddress("10.0.0.1", {{"Forwarded", "for=unknown, for=10.0.0.2"}}, proxies),
            "10.0.0.2");
  EXPECT_EQ(ClientAddress("10.0.0.1", {{"X-Forwarded-For", "203.0.113.9, <script>"}}, proxies),
            "10.0.0.1");
}

TEST(AccessLog, FormatsOneJsonLineWithoutUnescapedInput) {
  AccessLogEntry entry{"GET", "/a\"b\n\xff", 200, 123, 7, "rid", 42};
  EXPECT_EQ(FormatAccessLogLine(entry, 1000),
            R"({"ts":1000,"level":"info","event":"request","request_id":"rid","method":"GET",)"
            R"("path":"/a\"b\n\u00ff","status":200,"bytes":123,"duration_ms":7,"user_id":42})");
  entry.user_id.reset();
  EXPECT_EQ(FormatAccessLogLine(entry, 1000).find("user_id"), std::string::npos);
}

}  // namespace
}  // namespace portrait::http
