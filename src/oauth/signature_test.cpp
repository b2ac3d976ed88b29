#include "oauth/signature.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "oauth/authorization_header.h"

namespace portrait::oauth {
namespace {

// Twitter's published example ("Creating a signature", developer.twitter.com), SPEC §4.
constexpr std::string_view kTwitterBaseString =
    "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26"
    "oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgm"
    "ZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26oauth_token"
    "%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello"
    "%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521";
constexpr std::string_view kTwitterConsumerSecret = "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw";
constexpr std::string_view kTwitterTokenSecret = "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE";
constexpr std::string_view kTwitterSignature = "hCtSmYh+iHYCEqBWrE7C7hYmtUk=";

Params TwitterExampleParams() {
  Params params = ParseUrlEncoded("include_entities=true");
  Params body = ParseUrlEncoded(
      "status=Hello%20Ladies%20%2b%20Gentlemen%2c%20a%20signed%20OAuth%20request%21");
  params.insert(params.end(), body.begin(), body.end());
  Params oauth = {{"oauth_consumer_key", "xvz1evFS4wEEPTGEFPHBog"},
                  {"oauth_nonce", "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"},
                  {"oauth_signature_method", "HMAC-SHA1"},
                  {"oauth_timestamp", "1318622958"},
                  {"oauth_token", "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"},
                  {"oauth_version", "1.0"}};
  params.insert(params.end(), oauth.begin(), oauth.end());
  return params;
}

TEST(Signature, BuildsTwitterExampleBaseString) {
  std::string uri = BaseStringUri("https", "api.twitter.com", "/1.1/statuses/update.json");
  EXPECT_EQ(SignatureBaseString("POST", uri, TwitterExampleParams()), kTwitterBaseString);
}

TEST(Signature, SignsTwitterExampleWithHmacSha1) {
  EXPECT_EQ(ComputeSignature(SignatureMethod::kHmacSha1, kTwitterBaseString, kTwitterConsumerSecret,
                             kTwitterTokenSecret),
            kTwitterSignature);
}

TEST(Signature, BuildsRfc5849ExampleBaseString) {
  // RFC 5849 §3.4.1.1: query, form body and header parameters together, realm and
  // oauth_signature left out, '+' in the body a space, "c2" and "c@=" with empty values.
  Params params = ParseUrlEncoded("b5=%3D%253D&a3=a&c%40=&a2=r%20b");
  Params body = ParseUrlEncoded("c2&a3=2+q");
  params.insert(params.end(), body.begin(), body.end());
  auto header = ParseAuthorizationHeader(
      R"(OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", )"
      R"(oauth_token="kkk9d7dh3k39sjv7", oauth_signature_method="HMAC-SHA1", )"
      R"(oauth_timestamp="137131201", oauth_nonce="7d8f3e4a")");
  ASSERT_TRUE(header.ok());
  params.insert(params.end(), header->begin(), header->end());
  EXPECT_EQ(SignatureBaseString("post", BaseStringUri("http", "example.com", "/request"), params),
            "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%"
            "253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%"
            "3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_"
            "token%3Dkkk9d7dh3k39sjv7");
}

TEST(Signature, SortsByEncodedNameThenEncodedValue) {
  Params params = {{"b", "2"}, {"a", "z"}, {"a", "y"}, {"a b", "1"}, {"A", "1"}};
  EXPECT_EQ(NormalizedParameters(params), "A=1&a=y&a=z&a%20b=1&b=2");
}

TEST(Signature, BaseStringUriLowerCasesSchemeAndHostButNotPath) {
  EXPECT_EQ(BaseStringUri("HTTPS", "Api.Example.COM", "/1.1/Users/Show.json"),
            "https://api.example.com/1.1/Users/Show.json");
}

TEST(Signature, BaseStringUriKeepsOnlyNonDefaultPorts) {
  EXPECT_EQ(BaseStringUri("http", "example.com:80", "/r"), "http://example.com/r");
  EXPECT_EQ(BaseStringUri("http", "example.com:8080", "/r"), "http://example.com:8080/r");
  EXPECT_EQ(BaseStringUri("https", "example.com:443", "/r"), "https://example.com/r");
  EXPECT_EQ(BaseStringUri("https", "example.com:80", "/r"), "https://example.com:80/r");
  EXPECT_EQ(BaseStringUri("http", "example.com:443", "/r"), "http://example.com:443/r");
  EXPECT_EQ(BaseStringUri("http", "example.com:", "/r"), "http://example.com/r");
  EXPECT_EQ(BaseStringUri("http", "[::1]:8080", "/r"), "http://[::1]:8080/r");
  EXPECT_EQ(BaseStringUri("https", "[::1]:443", "/r"), "https://[::1]/r");
}

TEST(Signature, BaseStringUriUsesPathAsSent) {
  EXPECT_EQ(BaseStringUri("http", "example.com", ""), "http://example.com/");
  std::string uri = BaseStringUri("http", "example.com", "/a%20b/c");
  EXPECT_EQ(uri, "http://example.com/a%20b/c");
  EXPECT_EQ(SignatureBaseString("GET", uri, {}), "GET&http%3A%2F%2Fexample.com%2Fa%2520b%2Fc&");
}

TEST(Signature, SignsWithHmacSha256) {
  // Reference: printf '...' | openssl dgst -sha256 -hmac 'c%2Fs&t%20s' -binary | base64
  EXPECT_EQ(ComputeSignature(SignatureMethod::kHmacSha256, "GET&http%3A%2F%2Fexample.com%2Fr&a%3D1",
                             "c/s", "t s"),
            "MwpkJxDDYG1SqIqsQU+5u+Yfc0DOnALRRej+S27j474=");
}

TEST(Signature, NamesSignatureMethodsExactly) {
  EXPECT_EQ(ParseSignatureMethod("HMAC-SHA1"), SignatureMethod::kHmacSha1);
  EXPECT_EQ(ParseSignatureMethod("HMAC-SHA256"), SignatureMethod::kHmacSha256);
  EXPECT_EQ(ParseSignatureMethod("PLAINTEXT"), std::nullopt);
  EXPECT_EQ(ParseSignatureMethod("RSA-SHA1"), std::nullopt);
  EXPECT_EQ(SignatureMethodName(SignatureMethod::kHmacSha256), "HMAC-SHA256");
}

TEST(Signature, HashesBodiesAsOAuthBodyHashSpecifies) {
  EXPECT_EQ(BodyHash("Hello World!"), "Lve95gjOVATpfV8EL5X4nxwjKHE=");
  EXPECT_EQ(BodyHash(""), "2jmj7l5rSw0yVb/vlWAYkK/YBwk=");
}

TEST(Signature, ComparesInConstantTimeButCorrectly) {
  EXPECT_TRUE(ConstantTimeEquals("abc=", "abc="));
  EXPECT_FALSE(ConstantTimeEquals("abc=", "abd="));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abc="));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
}

TEST(Signature, RecognisesFormUrlEncodedContentTypes) {
  EXPECT_TRUE(IsFormUrlEncoded("application/x-www-form-urlencoded"));
  EXPECT_TRUE(IsFormUrlEncoded("Application/X-WWW-Form-URLEncoded ; charset=utf-8"));
  EXPECT_FALSE(IsFormUrlEncoded("multipart/form-data; boundary=x"));
  EXPECT_FALSE(IsFormUrlEncoded(""));
  EXPECT_FALSE(IsFormUrlEncoded("application/x-www-form-urlencodedx"));
}

ClientCredentials TwitterCredentials() {
  return {"xvz1evFS4wEEPTGEFPHBog", std::string(kTwitterConsumerSecret),
          "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", std::string(kTwitterTokenSecret)};
}

TEST(Signer, ProducesTwitterExampleHeader) {
  SigningOptions options;
  options.nonce = "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg";
  options.timestamp = 1318622958;
  std::string header = AuthorizationHeader(
      TwitterCredentials(), "POST",
      "https://api.twitter.com/1.1/statuses/update.json?include_entities=true",
      {{"status", "Hello Ladies + Gentlemen, a signed OAuth request!"}}, options);
  EXPECT_EQ(header,
            "OAuth oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\", "
            "oauth_nonce=\"kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg\", "
            "oauth_signature=\"hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D\", "
            "oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"1318622958\", "
            "oauth_token=\"370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb\", "
            "oauth_version=\"1.0\"");
}

TEST(Signer, LeavesOutAnEmptyTokenAndAddsBodyHashOnRequest) {
  ClientCredentials consumer_only = {"key", "secret", "", ""};
  SigningOptions options;
  options.hashed_body = "Hello World!";
  auto params = ParseAuthorizationHeader(
      AuthorizationHeader(consumer_only, "POST", "http://localhost:8080/x", {}, options));
  ASSERT_TRUE(params.ok());
  EXPECT_FALSE(FindParam(*params, "oauth_token"));
  EXPECT_EQ(FindParam(*params, "oauth_body_hash"), "Lve95gjOVATpfV8EL5X4nxwjKHE=");
}

TEST(Signer, DrawsAFreshNonceForEachRequest) {
  ClientCredentials credentials = TwitterCredentials();
  auto first = ParseAuthorizationHeader(AuthorizationHeader(credentials, "GET", "https://h/", {}));
  auto second = ParseAuthorizationHeader(AuthorizationHeader(credentials, "GET", "https://h/", {}));
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(FindParam(*first, "oauth_nonce")->size(), 32u);
  EXPECT_NE(FindParam(*first, "oauth_nonce"), FindParam(*second, "oauth_nonce"));
}

TEST(Signer, RefusesRelativeUrls) {
  EXPECT_THROW(AuthorizationHeader(TwitterCredentials(), "GET", "/1.1/users/show.json", {}),
               std::invalid_argument);
}

}  // namespace
}  // namespace portrait::oauth
