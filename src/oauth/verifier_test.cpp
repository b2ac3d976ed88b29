#include "oauth/verifier.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <tuple>

#include "oauth/authorization_header.h"
#include "oauth/signature.h"

namespace portrait::oauth {
namespace {

constexpr int64_t kTwitterTimestamp = 1318622958;
constexpr std::string_view kTwitterConsumerKey = "xvz1evFS4wEEPTGEFPHBog";
constexpr std::string_view kTwitterToken = "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb";
constexpr std::string_view kFormUrlEncoded = "application/x-www-form-urlencoded";
constexpr std::string_view kTwitterBody =
    "status=Hello%20Ladies%20%2b%20Gentlemen%2c%20a%20signed%20OAuth%20request%21";
constexpr std::string_view kTwitterHeader =
    R"(OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog", )"
    R"(oauth_nonce="kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", )"
    R"(oauth_signature="hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D", oauth_signature_method="HMAC-SHA1", )"
    R"(oauth_timestamp="1318622958", )"
    R"(oauth_token="370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", oauth_version="1.0")";

// Joins params into a form/query string.
std::string Encode(const Params& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    out += (out.empty() ? "" : "&") + PercentEncode(name) + "=" + PercentEncode(value);
  }
  return out;
}

SigningOptions AtTimestamp(int64_t timestamp) {
  SigningOptions options;
  options.timestamp = timestamp;
  return options;
}

SigningOptions WithNonce(std::string nonce) {
  SigningOptions options;
  options.nonce = std::move(nonce);
  return options;
}

SigningOptions HashingBody(std::string_view body) {
  SigningOptions options;
  options.hashed_body = body;
  return options;
}

SigningOptions WithMethod(SignatureMethod method) {
  SigningOptions options;
  options.method = method;
  return options;
}

class VerifierTest : public ::testing::Test {
 protected:
  VerifierTest() {
    consumers_["xvz1evFS4wEEPTGEFPHBog"] = "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw";
    tokens_[{"xvz1evFS4wEEPTGEFPHBog", std::string(kTwitterToken)}] =
        "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE";
    consumers_["9djdj82h48djs9d2"] = "j49sk3j29djd";
    tokens_[{"9djdj82h48djs9d2", "kkk9d7dh3k39sjv7"}] = "dh893hdasih9";
    options_.now = kTwitterTimestamp;

    lookups_.consumer_secret = [this](std::string_view key) -> std::optional<std::string> {
      auto found = consumers_.find(std::string(key));
      if (found == consumers_.end()) return std::nullopt;
      return found->second;
    };
    lookups_.token_secret = [this](std::string_view key,
                                   std::string_view token) -> std::optional<std::string> {
      auto found = tokens_.find({std::string(key), std::string(token)});
      if (found == tokens_.end()) return std::nullopt;
      return found->second;
    };
    lookups_.record_nonce = [this](std::string_view key, std::string_view token,
                                   std::string_view nonce, int64_t expires_at) {
      last_nonce_expires_at_ = expires_at;
      return nonces_.emplace(std::string(key), std::string(token), std::string(nonce)).second;
    };
  }

  // Twitter's published example request, SPEC §4.
  static SignedRequest TwitterRequest() {
    SignedRequest request;
    request.method = "POST";
    request.scheme = "https";
    request.host = "api.twitter.com";
    request.path = "/1.1/statuses/update.json";
    request.query = "include_entities=true";
    request.content_type = kFormUrlEncoded;
    request.body = kTwitterBody;
    request.authorization = std::string(kTwitterHeader);
    return request;
  }

  ClientCredentials Credentials() const {
    return {std::string(kTwitterConsumerKey), consumers_.at(std::string(kTwitterConsumerKey)),
            std::string(kTwitterToken),
            tokens_.at({std::string(kTwitterConsumerKey), std::string(kTwitterToken)})};
  }

  // A request signed by the client side (AuthorizationHeader) for http://localhost:8080/1.1/x.
  SignedRequest SignedByClient(const Params& query, const SigningOptions& extra = {}) {
    SigningOptions options = extra;
    if (!options.timestamp) options.timestamp = options_.now;
    SignedRequest request;
    request.method = "GET";
    request.scheme = "http";
    request.host = "localhost:8080";
    request.path = "/1.1/x";
    request.query = Encode(query);
    request.authorization =
        AuthorizationHeader(Credentials(), "GET", "http://localhost:8080/1.1/x", query, options);
    return request;
  }

  Result<Verified, Failure> Verify(const SignedRequest& request) {
    return oauth::Verify(request, lookups_, options_);
  }

  void ExpectFailure(const SignedRequest& request, Failure expected) {
    auto result = Verify(request);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error(), expected);
  }

  std::map<std::string, std::string> consumers_;
  std::map<std::pair<std::string, std::string>, std::string> tokens_;
  std::set<std::tuple<std::string, std::string, std::string>> nonces_;
  int64_t last_nonce_expires_at_ = 0;
  Lookups lookups_;
  VerifyOptions options_;
};

TEST_F(VerifierTest, AcceptsTwitterPublishedExample) {
  auto result = Verify(TwitterRequest());
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->consumer_key, kTwitterConsumerKey);
  EXPECT_EQ(result->token, kTwitterToken);
  EXPECT_EQ(last_nonce_expires_at_, kTwitterTimestamp + options_.timestamp_window_seconds + 1);
}

TEST_F(VerifierTest, AcceptsHeaderWithoutSpacesAfterCommas) {
  SignedRequest request = TwitterRequest();
  std::string compact(kTwitterHeader);
  for (size_t at; (at = compact.find("\", ")) != std::string::npos;) compact.erase(at + 2, 1);
  ASSERT_EQ(compact.find(", "), std::string::npos);
  request.authorization = compact;
  EXPECT_TRUE(Verify(request).ok());
}

TEST_F(VerifierTest, RefusesTamperedBody) {
  SignedRequest request = TwitterRequest();
  request.body = "status=Hello%20Ladies";
  ExpectFailure(request, Failure::kBadSignature);
}

TEST_F(VerifierTest, AcceptsRfc5849ExampleRequest) {
  const std::string base_string =
      "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%"
      "253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%"
      "3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_"
      "token%3Dkkk9d7dh3k39sjv7";
  std::string signature =
      ComputeSignature(SignatureMethod::kHmacSha1, base_string, "j49sk3j29djd", "dh893hdasih9");
  SignedRequest request;
  request.method = "POST";
  request.scheme = "http";
  request.host = "example.com";
  request.path = "/request";
  request.query = "b5=%3D%253D&a3=a&c%40=&a2=r%20b";
  request.content_type = kFormUrlEncoded;
  request.body = "c2&a3=2+q";
  request.authorization =
      R"(OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", )"
      R"(oauth_token="kkk9d7dh3k39sjv7", oauth_signature_method="HMAC-SHA1", )"
      R"(oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", oauth_signature=")" +
      PercentEncode(signature) + "\"";
  options_.now = 137131201;
  EXPECT_TRUE(Verify(request).ok());
}

TEST_F(VerifierTest, AcceptsCredentialsInTheQuery) {
  SignedRequest request = TwitterRequest();
  auto header = ParseAuthorizationHeader(*request.authorization);
  ASSERT_TRUE(header.ok());
  request.query += "&" + Encode(*header);
  request.authorization.reset();
  EXPECT_TRUE(Verify(request).ok());
}

TEST_F(VerifierTest, AcceptsCredentialsInAFormBody) {
  SignedRequest request = TwitterRequest();
  auto header = ParseAuthorizationHeader(*request.authorization);
  ASSERT_TRUE(header.ok());
  std::string body = std::string(kTwitterBody) + "&" + Encode(*header);
  request.body = body;
  request.authorization = "Basic dXNlcjpwYXNz";  // another scheme is not ours: ignored
  EXPECT_TRUE(Verify(request).ok());
}

TEST_F(VerifierTest, LeavesMultipartBodiesUnsigned) {
  SignedRequest request = SignedByClient({});
  request.method = "POST";
  request.authorization = AuthorizationHeader(Credentials(), "POST", "http://localhost:8080/1.1/x",
                                              {}, AtTimestamp(options_.now));
  request.content_type = "multipart/form-data; boundary=b";
  request.body = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--\r\n";
  EXPECT_TRUE(Verify(request).ok());

  // A client that signed the multipart fields as parameters is refused.
  request.authorization = AuthorizationHeader(Credentials(), "POST", "http://localhost:8080/1.1/x",
                                              {{"a", "1"}}, AtTimestamp(options_.now));
  ExpectFailure(request, Failure::kBadSignature);
}

TEST_F(VerifierTest, ChecksBodyHash) {
  const std::string body = "\x89PNG raw bytes";
  SignedRequest request = SignedByClient({}, HashingBody(body));
  request.content_type = "image/png";
  request.body = body;
  EXPECT_TRUE(Verify(request).ok());

  SignedRequest other = SignedByClient({}, HashingBody("different bytes"));
  other.content_type = "image/png";
  other.body = body;
  ExpectFailure(other, Failure::kBadSignature);
}

TEST_F(VerifierTest, AcceptsHmacSha256) {
  EXPECT_TRUE(Verify(SignedByClient({{"a", "1"}}, WithMethod(SignatureMethod::kHmacSha256))).ok());
}

TEST_F(VerifierTest, SignerRoundTripsThroughVerify) {
  SignedRequest request = SignedByClient({{"screen_name", "ünïcode & more"}, {"a", ""}});
  auto result = Verify(request);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->token, kTwitterToken);
}

TEST_F(VerifierTest, SignsTheNonDefaultPortOnly) {
  SignedRequest on_8080 = SignedByClient({});
  EXPECT_TRUE(Verify(on_8080).ok());
  on_8080 = SignedByClient({});
  on_8080.host = "localhost";  // the client signed :8080, the server saw the default port
  ExpectFailure(on_8080, Failure::kBadSignature);

  for (auto [url, scheme, host] :
       {std::tuple{"http://localhost/1.1/x", "http", "LOCALHOST:80"},
        std::tuple{"https://localhost/1.1/x", "https", "localhost:443"},
        std::tuple{"https://localhost:443/1.1/x", "https", "localhost"}}) {
    SignedRequest request = SignedByClient({});
    request.scheme = scheme;
    request.host = host;
    request.authorization =
        AuthorizationHeader(Credentials(), "GET", url, {}, AtTimestamp(options_.now));
    EXPECT_TRUE(Verify(request).ok()) << url << " as " << host;
  }
}

TEST_F(VerifierTest, RefusesTimestampsOutsideTheWindowBeforeTheSignature) {
  const int64_t window = options_.timestamp_window_seconds;
  ExpectFailure(SignedByClient({}, AtTimestamp(options_.now - window - 1)),
                Failure::kTimestampOutOfBounds);
  ExpectFailure(SignedByClient({}, AtTimestamp(options_.now + window + 1)),
                Failure::kTimestampOutOfBounds);
  EXPECT_TRUE(Verify(SignedByClient({}, AtTimestamp(options_.now - window))).ok());
  EXPECT_TRUE(Verify(SignedByClient({}, AtTimestamp(options_.now + window))).ok());

  SignedRequest stale_and_forged = TwitterRequest();
  stale_and_forged.body = "status=forged";
  options_.now = kTwitterTimestamp + window + 1;
  ExpectFailure(stale_and_forged, Failure::kTimestampOutOfBounds);
}

TEST_F(VerifierTest, RefusesReplayedNonce) {
  EXPECT_TRUE(Verify(TwitterRequest()).ok());
  ExpectFailure(TwitterRequest(), Failure::kBadSignature);
}

TEST_F(VerifierTest, KeepsNonceUntilItsRequestCanNoLongerBeAccepted) {
  options_.now = kTwitterTimestamp - 100;  // the client's clock runs ahead
  EXPECT_TRUE(Verify(TwitterRequest()).ok());
  EXPECT_EQ(last_nonce_expires_at_, kTwitterTimestamp + options_.timestamp_window_seconds + 1);
  options_.now = kTwitterTimestamp + 100;  // the server's clock runs ahead
  nonces_.clear();
  EXPECT_TRUE(Verify(TwitterRequest()).ok());
  EXPECT_EQ(last_nonce_expires_at_, options_.now + options_.timestamp_window_seconds + 1);
}

TEST_F(VerifierTest, RecordsNonceOnlyForAuthenticRequests) {
  SignedRequest forged = TwitterRequest();
  forged.body = "status=forged";
  ExpectFailure(forged, Failure::kBadSignature);
  EXPECT_TRUE(nonces_.empty());
  EXPECT_TRUE(Verify(TwitterRequest()).ok());
}

TEST_F(VerifierTest, RefusesUnknownTokenAsInvalidToken) {
  tokens_.clear();
  ExpectFailure(TwitterRequest(), Failure::kInvalidToken);
}

TEST_F(VerifierTest, RefusesUnknownConsumerAsBadSignature) {
  consumers_.clear();
  ExpectFailure(TwitterRequest(), Failure::kBadSignature);
}

TEST_F(VerifierTest, AcceptsConsumerOnlyRequestWithEmptyToken) {
  ClientCredentials consumer_only = Credentials();
  consumer_only.token.clear();
  consumer_only.token_secret.clear();
  SignedRequest request = SignedByClient({});
  request.authorization = AuthorizationHeader(consumer_only, "GET", "http://localhost:8080/1.1/x",
                                              {}, AtTimestamp(options_.now));
  auto result = Verify(request);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->consumer_key, kTwitterConsumerKey);
  EXPECT_TRUE(result->token.empty());
}

TEST_F(VerifierTest, AcceptsTwitter4JNegativeIntegerNonce) {
  EXPECT_TRUE(Verify(SignedByClient({}, WithNonce("-8364752937467324"))).ok());
}

TEST_F(VerifierTest, RefusesNoncesThatAreTooLongOrUnprintable) {
  EXPECT_TRUE(Verify(SignedByClient({}, WithNonce(std::string(64, 'n')))).ok());
  ExpectFailure(SignedByClient({}, WithNonce(std::string(65, 'n'))), Failure::kBadSignature);
  ExpectFailure(SignedByClient({}, WithNonce("abc\ndef")), Failure::kBadSignature);
  ExpectFailure(SignedByClient({}, WithNonce("caf\xc3\xa9")), Failure::kBadSignature);
}

TEST_F(VerifierTest, ReportsMissingRequiredParametersAsMissingCredentials) {
  for (std::string_view name : {"oauth_consumer_key", "oauth_signature", "oauth_signature_method",
                                "oauth_timestamp", "oauth_nonce"}) {
    auto header = ParseAuthorizationHeader(kTwitterHeader);
    ASSERT_TRUE(header.ok());
    std::erase_if(*header, [&](const Param& param) { return param.first == name; });
    SignedRequest request = TwitterRequest();
    request.authorization = "OAuth " + Encode(*header);
    ExpectFailure(request, Failure::kMissingCredentials);
  }
  SignedRequest bare = TwitterRequest();
  bare.authorization.reset();
  ExpectFailure(bare, Failure::kMissingCredentials);
}

TEST_F(VerifierTest, ReportsMalformedOrUnsupportedCredentialsAsMissingCredentials) {
  auto with = [](std::string_view from, std::string_view to) {
    SignedRequest request = TwitterRequest();
    std::string header(kTwitterHeader);
    header.replace(header.find(from), from.size(), to);
    request.authorization = header;
    return request;
  };
  ExpectFailure(with("HMAC-SHA1", "PLAINTEXT"), Failure::kMissingCredentials);
  ExpectFailure(with("\"1.0\"", "\"2.0\""), Failure::kMissingCredentials);
  ExpectFailure(with("\"1318622958\"", "\"1318622958.5\""), Failure::kMissingCredentials);
  ExpectFailure(with("\"1318622958\"", "\"-1318622958\""), Failure::kMissingCredentials);
  ExpectFailure(with("\"1318622958\"", "\"99999999999999999999\""), Failure::kMissingCredentials);
  ExpectFailure(with("oauth_version=\"1.0\"", "oauth_version=\"1.0"), Failure::kMissingCredentials);
}

TEST_F(VerifierTest, RefusesProtocolParametersSentTwice) {
  SignedRequest request = TwitterRequest();
  auto header = ParseAuthorizationHeader(*request.authorization);
  ASSERT_TRUE(header.ok());
  request.query += "&" + Encode(*header);
  std::string body = std::string(kTwitterBody) + "&oauth_nonce=another";
  request.body = body;
  request.authorization.reset();
  ExpectFailure(request, Failure::kMissingCredentials);
}

TEST_F(VerifierTest, RefusesANonceInTheHeaderAndAnotherInTheQueryEitherWayRound) {
  // Signed over both nonces, the base string is the same whichever one the header carries:
  // if one copy were checked and the other merely signed, the swapped request would replay.
  SignedRequest first = SignedByClient({{"oauth_nonce", "nonce-two"}}, WithNonce("nonce-one"));
  SignedRequest swapped = SignedByClient({{"oauth_nonce", "nonce-one"}}, WithNonce("nonce-two"));
  ExpectFailure(first, Failure::kMissingCredentials);
  ExpectFailure(swapped, Failure::kMissingCredentials);
  EXPECT_TRUE(nonces_.empty());
}

TEST_F(VerifierTest, RefusesAProtocolParameterInTheHeaderAndInAFormBody) {
  SignedRequest request = TwitterRequest();
  std::string body = std::string(kTwitterBody) + "&oauth_token=" + std::string(kTwitterToken);
  request.body = body;
  ExpectFailure(request, Failure::kMissingCredentials);
  EXPECT_TRUE(nonces_.empty());
}

TEST_F(VerifierTest, RefusesASignatureInTheHeaderAndAnotherInTheQuery) {
  SignedRequest request = SignedByClient({});
  request.query = "oauth_signature=" + PercentEncode("hCtSmYh+iHYCEqBWrE7C7hYmtUk=");
  ExpectFailure(request, Failure::kMissingCredentials);
}

TEST_F(VerifierTest, RefusesAProtocolParameterTwiceInTheQueryBesideAHeader) {
  SignedRequest request =
      SignedByClient({{"oauth_callback", "oob"}, {"oauth_callback", "https://elsewhere.example/"}});
  ExpectFailure(request, Failure::kMissingCredentials);
}

TEST_F(VerifierTest, RefusesAProtocolParameterTwiceInTheHeader) {
  SignedRequest request = TwitterRequest();
  request.authorization = std::string(kTwitterHeader) + R"(, oauth_nonce="another")";
  ExpectFailure(request, Failure::kMissingCredentials);
}

TEST_F(VerifierTest, TakesProtocolParametersSplitBetweenTheHeaderAndTheQuery) {
  ClientCredentials signer = Credentials();
  signer.token.clear();  // left out of the header: the signed query carries it
  Params query = {{"oauth_token", std::string(kTwitterToken)}};
  SignedRequest request = SignedByClient(query);
  SigningOptions options = AtTimestamp(options_.now);
  options.nonce = "split-nonce";
  request.authorization =
      AuthorizationHeader(signer, "GET", "http://localhost:8080/1.1/x", query, options);
  auto result = Verify(request);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->token, kTwitterToken);
  EXPECT_EQ(
      nonces_.count({std::string(kTwitterConsumerKey), std::string(kTwitterToken), "split-nonce"}),
      1u);
}

TEST_F(VerifierTest, RefusesARequestWithoutATokenWhenOneIsRequiredBeforeAnyLookup) {
  int lookups = 0;
  auto consumer_secret = lookups_.consumer_secret;
  lookups_.consumer_secret = [&](std::string_view key) {
    ++lookups;
    return consumer_secret(key);
  };
  ClientCredentials consumer_only = Credentials();
  consumer_only.token.clear();
  consumer_only.token_secret.clear();
  SignedRequest request = SignedByClient({});
  request.authorization = AuthorizationHeader(consumer_only, "GET", "http://localhost:8080/1.1/x",
                                              {}, AtTimestamp(options_.now));
  options_.require_token = true;
  ExpectFailure(request, Failure::kMissingCredentials);
  EXPECT_EQ(lookups, 0);
  EXPECT_TRUE(nonces_.empty());

  options_.require_token = false;
  EXPECT_TRUE(Verify(request).ok());
  EXPECT_EQ(lookups, 1);
}

// The same tables answered by one lookup of both keys, as a store that joins them does.
class VerifierWithOneLookupTest : public VerifierTest {
 protected:
  VerifierWithOneLookupTest() {
    lookups_.keys_secrets = [this](std::string_view key, std::string_view token) {
      ++keys_lookups_;
      FoundSecrets found;
      if (auto consumer = consumers_.find(std::string(key)); consumer != consumers_.end()) {
        found.consumer_secret = consumer->second;
      }
      if (auto held = tokens_.find({std::string(key), std::string(token)}); held != tokens_.end()) {
        found.token_secret = held->second;
      }
      return found;
    };
    lookups_.consumer_secret = nullptr;
    lookups_.token_secret = nullptr;
  }
  int keys_lookups_ = 0;
};

TEST_F(VerifierWithOneLookupTest, AcceptsTwitterPublishedExampleWithOneLookup) {
  EXPECT_TRUE(Verify(TwitterRequest()).ok());
  EXPECT_EQ(keys_lookups_, 1);
}

TEST_F(VerifierWithOneLookupTest, RefusesAnUnknownConsumerAsBadSignatureEvenWithAKnownToken) {
  consumers_.erase(std::string(kTwitterConsumerKey));
  ExpectFailure(TwitterRequest(), Failure::kBadSignature);
}

TEST_F(VerifierWithOneLookupTest, RefusesAnUnknownTokenOfAKnownConsumerAsInvalidToken) {
  tokens_.clear();
  ExpectFailure(TwitterRequest(), Failure::kInvalidToken);
}

}  // namespace
}  // namespace portrait::oauth
