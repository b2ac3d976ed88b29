// The exact wire formats of the clients in /work/shared/reference/clients.md, which Portrait must
// accept unchanged.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/url_encoding.h"
#include "upload/base64.h"
#include "upload/intake.h"

namespace portrait::upload {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

// PNG-like bytes with what breaks naive parsers: NULs, CRLFs, dashes, a near-boundary.
std::string ImageBytes() {
  static constexpr char kBytes[] =
      "\x89PNG\r\n\x1A\n\0\0\0\rIHDR\r\n--\r\n--00Twurl\r\n------Twitter4J\xFF\xD8\r\n";
  std::string bytes(kBytes, sizeof(kBytes) - 1);
  for (int i = 0; i < 256; ++i) {
    bytes.push_back(static_cast<char>(i));
  }
  return bytes;
}

IntakeResult ExpectImage(std::string_view content_type, std::string_view body,
                         std::string_view query = "") {
  auto result = ExtractImage(content_type, body, query, IntakeLimits{});
  EXPECT_TRUE(result.ok()) << (result.ok() ? 0 : static_cast<int>(result.error()));
  if (!result.ok()) {
    return {};
  }
  EXPECT_EQ(result->image, ImageBytes());
  return std::move(result).value();
}

TEST(ClientWireFormats, Tweepy) {
  std::string body =
      "--8d5f5e7a0c3b4e1f9a2b6c7d8e9f0a1b\r\n"
      "Content-Disposition: form-data; name=\"image\"; filename=\"avatar.png\"\r\n"
      "\r\n" +
      ImageBytes() + "\r\n--8d5f5e7a0c3b4e1f9a2b6c7d8e9f0a1b--\r\n";
  IntakeResult result =
      ExpectImage("multipart/form-data; boundary=8d5f5e7a0c3b4e1f9a2b6c7d8e9f0a1b", body,
                  "include_entities=false&skip_status=true");
  EXPECT_THAT(result.form, IsEmpty());
}

TEST(ClientWireFormats, TwitterApiV2) {
  std::string body =
      "------formdata-twitter-api-v2-9f8e7d6c\r\n"
      "Content-Disposition: form-data; name=\"image\"\r\n"
      "Content-Type: application/octet-stream\r\n"
      "\r\n" +
      ImageBytes() +
      "\r\n------formdata-twitter-api-v2-9f8e7d6c\r\n"
      "Content-Disposition: form-data; name=\"tweet_mode\"\r\n"
      "\r\n"
      "extended\r\n"
      "------formdata-twitter-api-v2-9f8e7d6c--\r\n";
  IntakeResult result =
      ExpectImage("multipart/form-data; boundary=----formdata-twitter-api-v2-9f8e7d6c", body);
  EXPECT_THAT(result.form, ElementsAre(Pair("tweet_mode", "extended")));
}

TEST(ClientWireFormats, RubyTwitterGem) {
  std::string boundary = "-----------RubyHTTPFormData-4c5b0e7f2a9d8e1c";
  std::string body = "--" + boundary +
                     "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"me.png\""
                     "\r\nContent-Type: image/png\r\n\r\n" +
                     ImageBytes() + "\r\n--" + boundary +
                     "\r\nContent-Disposition: form-data; name=\"skip_status\"\r\n\r\ntrue\r\n--" +
                     boundary +
                     "\r\nContent-Disposition: form-data; name=\"include_entities\"\r\n\r\n"
                     "false\r\n--" +
                     boundary + "--\r\n";
  IntakeResult result = ExpectImage("multipart/form-data; boundary=" + boundary, body);
  EXPECT_THAT(result.form,
              ElementsAre(Pair("skip_status", "true"), Pair("include_entities", "false")));
}

TEST(ClientWireFormats, Twitter4JWithCharsetTextParts) {
  std::string text_part_headers = "Content-Type: text/plain; charset=UTF-8\r\n\r\n";
  std::string body;
  for (auto [name, value] : {std::pair{"include_entities", "true"},
                             {"include_ext_alt_text", "true"},
                             {"tweet_mode", "extended"}}) {
    body += "------Twitter4J-upload1234\r\nContent-Disposition: form-data; name=\"" +
            std::string(name) + "\"\r\n" + text_part_headers + value + "\r\n";
  }
  body +=
      "------Twitter4J-upload1234\r\n"
      "Content-Disposition: form-data; name=\"image\"; filename=\"icon.png\"\r\n"
      "Content-Type: image/png\r\n\r\n" +
      ImageBytes() + "\r\n------Twitter4J-upload1234--\r\n";
  IntakeResult result =
      ExpectImage("multipart/form-data; charset=UTF-8; boundary=----Twitter4J-upload1234", body);
  EXPECT_THAT(result.form,
              ElementsAre(Pair("include_entities", "true"), Pair("include_ext_alt_text", "true"),
                          Pair("tweet_mode", "extended")));
}

std::string TwurlBody(std::string_view extra_headers, std::string_view content) {
  return "--00Twurl817237845239480123lruwT99\r\n"
         "Content-Disposition: form-data; name=\"image\"; filename=\"avatar.png\"\r\n"
         "Content-Type: application/octet-stream\r\n" +
         std::string(extra_headers) + "\r\n" + std::string(content) +
         "\r\n--00Twurl817237845239480123lruwT99--\r\n";
}

constexpr std::string_view kTwurlType =
    "multipart/form-data, boundary=\"00Twurl817237845239480123lruwT99\"";

TEST(ClientWireFormats, TwurlRawFile) { ExpectImage(kTwurlType, TwurlBody("", ImageBytes())); }

TEST(ClientWireFormats, TwurlBase64PartWithContentTransferEncoding) {
  // Ruby's Base64.encode64 wraps lines at 60 characters with LF.
  std::string encoded = EncodeBase64(ImageBytes());
  std::string wrapped;
  for (size_t i = 0; i < encoded.size(); i += 60) {
    wrapped += encoded.substr(i, 60) + "\n";
  }
  ExpectImage(kTwurlType, TwurlBody("Content-Transfer-Encoding: base64\r\n", wrapped));
}

TEST(ClientWireFormats, PythonTwitterUrlencodedBody) {
  std::string body = "image=" + PercentEncode(EncodeBase64(ImageBytes())) + "&tweet_mode=compat";
  IntakeResult result = ExpectImage("application/x-www-form-urlencoded", body);
  EXPECT_THAT(result.form, ElementsAre(Pair("tweet_mode", "compat")));
}

TEST(ClientWireFormats, TwitUrlencodedBodyWithRawBase64Characters) {
  // The request library encodes with querystring.stringify-like rules; some keep '/' and '+'.
  std::string encoded = EncodeBase64(ImageBytes());
  ASSERT_NE(encoded.find('+'), std::string::npos);
  ExpectImage("application/x-www-form-urlencoded; charset=utf-8", "image=" + encoded);
}

TEST(ClientWireFormats, QueryStringBase64) {
  ExpectImage("", "", "image=" + PercentEncode(EncodeBase64(ImageBytes())));
}

}  // namespace
}  // namespace portrait::upload
