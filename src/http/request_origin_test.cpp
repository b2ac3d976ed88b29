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
