// Request tokens of the three-legged flow (create, authorize or deny, exchange once, prune): the
// contract every backend keeps.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <thread>
#include <vector>

#include "store/store_test_support.h"

namespace portrait::store {
namespace {

bool IsUnreserved(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
  });
}

TEST_P(StoreRequestTokensTest, NewTokenIsPendingWithUnreservedTokenAndSecret) {
  RequestToken token =
      store_->CreateRequestToken(NewRequestToken{app_.id, "https://client.example/cb?x=1",
                                                 AccessLevel::kRead, kNow + kLifetime},
                                 kNow);
  EXPECT_TRUE(IsUnreserved(token.token));
  EXPECT_TRUE(IsUnreserved(token.secret));
  EXPECT_GE(token.token.size(), 32u);
  EXPECT_NE(token.token, token.secret);
  std::optional<RequestToken> found = store_->FindRequestToken(token.token);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->secret, token.secret);
  EXPECT_EQ(found->app_id, app_.id);
  EXPECT_EQ(found->callback, "https://client.example/cb?x=1");
  EXPECT_EQ(found->access_level, AccessLevel::kRead);
  EXPECT_EQ(found->state, RequestTokenState::kPending);
  EXPECT_FALSE(found->user_id);
  EXPECT_FALSE(found->verifier);
  EXPECT_EQ(found->created_at, kNow);
  EXPECT_EQ(found->expires_at, kNow + kLifetime);
  EXPECT_FALSE(store_->FindRequestToken("unknown"));
  EXPECT_NE(Create().token, token.token);
}

TEST_P(StoreRequestTokensTest, AuthorizedTokenIsExchangedOnceForATokenOfItsLevel) {
  RequestToken token = Authorized(AccessLevel::kRead);
  std::optional<RequestToken> found = store_->FindRequestToken(token.token);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->state, RequestTokenState::kAuthorized);
  EXPECT_EQ(found->user_id, user_.id);
  EXPECT_EQ(found->verifier, kVerifier);

  Result<AccessToken, ExchangeRefusal> access = Exchange(token);
  ASSERT_TRUE(access.ok());
  EXPECT_EQ(access->user_id, user_.id);
  EXPECT_EQ(access->app_id, app_.id);
  EXPECT_EQ(access->access_level, AccessLevel::kRead);
  EXPECT_FALSE(access->revoked);
  EXPECT_EQ(store_->FindAccessToken(access->token)->secret, access->secret);
  EXPECT_EQ(store_->FindRequestToken(token.token)->state, RequestTokenState::kUsed);

  Result<AccessToken, ExchangeRefusal> replay = Exchange(token);
  ASSERT_FALSE(replay.ok());
  EXPECT_EQ(replay.error(), ExchangeRefusal::kAlreadyUsed);
  EXPECT_EQ(store_->ListAccessTokens().size(), 1u);
}

TEST_P(StoreRequestTokensTest, WrongVerifierIsRefusedAndBurnsTheToken) {
  RequestToken token = Authorized();
  Result<AccessToken, ExchangeRefusal> wrong = Exchange(token, "7654321");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error(), ExchangeRefusal::kWrongVerifier);
  Result<AccessToken, ExchangeRefusal> right_too_late = Exchange(token);
  ASSERT_FALSE(right_too_late.ok());
  EXPECT_EQ(right_too_late.error(), ExchangeRefusal::kAlreadyUsed);
  EXPECT_TRUE(store_->ListAccessTokens().empty());
}

TEST_P(StoreRequestTokensTest, VerifierThatIsAPrefixOrEmptyIsWrong) {
  RequestToken prefix = Authorized();
  EXPECT_EQ(Exchange(prefix, "123456").error(), ExchangeRefusal::kWrongVerifier);
  RequestToken empty = Authorized();
  EXPECT_EQ(Exchange(empty, "").error(), ExchangeRefusal::kWrongVerifier);
}

TEST_P(StoreRequestTokensTest, AnotherAppsConsumerCannotExchangeAndLeavesTheTokenUsable) {
  RequestToken token = Authorized();
  Result<AccessToken, ExchangeRefusal> stolen =
      store_->ExchangeRequestToken(token.token, other_app_.id, kVerifier, kNow + 20);
  ASSERT_FALSE(stolen.ok());
  EXPECT_EQ(stolen.error(), ExchangeRefusal::kWrongApp);
  EXPECT_EQ(store_->FindRequestToken(token.token)->state, RequestTokenState::kAuthorized);
  EXPECT_TRUE(Exchange(token).ok());
}

TEST_P(StoreRequestTokensTest, ExpiredTokenCanBeNeitherDecidedNorExchanged) {
  RequestToken pending = Create();
  RequestToken authorized = Authorized();
  const int64_t expired = kNow + kLifetime;
  Result<RequestToken, RequestTokenRefusal> late =
      store_->AuthorizeRequestToken(pending.token, user_.id, kVerifier, expired);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error(), RequestTokenRefusal::kExpired);
  EXPECT_EQ(store_->DenyRequestToken(pending.token, expired).error(),
            RequestTokenRefusal::kExpired);
  EXPECT_EQ(Exchange(authorized, kVerifier, expired).error(), ExchangeRefusal::kExpired);
  // One second earlier it still worked.
  EXPECT_TRUE(Exchange(authorized, kVerifier, expired - 1).ok());
}

TEST_P(StoreRequestTokensTest, PendingAndDeniedTokensAreNotExchanged) {
  RequestToken pending = Create();
  EXPECT_EQ(Exchange(pending).error(), ExchangeRefusal::kNotAuthorized);
  // Still pending: the person may yet authorize it.
  ASSERT_TRUE(store_->AuthorizeRequestToken(pending.token, user_.id, kVerifier, kNow + 30).ok());
  EXPECT_TRUE(Exchange(pending, kVerifier, kNow + 31).ok());

  RequestToken denied = Create();
  Result<RequestToken, RequestTokenRefusal> deny = store_->DenyRequestToken(denied.token, kNow + 5);
  ASSERT_TRUE(deny.ok());
  EXPECT_EQ(deny->state, RequestTokenState::kDenied);
  EXPECT_EQ(Exchange(denied).error(), ExchangeRefusal::kDenied);
  EXPECT_EQ(store_->ExchangeRequestToken("no-such-token", app_.id, kVerifier, kNow).error(),
            ExchangeRefusal::kUnknownToken);
}

TEST_P(StoreRequestTokensTest, TokenIsDecidedOnlyOnce) {
  RequestToken token = Authorized();
  EXPECT_EQ(store_->AuthorizeRequestToken(token.token, user_.id, "other", kNow + 11).error(),
            RequestTokenRefusal::kAlreadyDecided);
  EXPECT_EQ(store_->DenyRequestToken(token.token, kNow + 11).error(),
            RequestTokenRefusal::kAlreadyDecided);
  EXPECT_EQ(store_->FindRequestToken(token.token)->verifier, kVerifier);
  EXPECT_EQ(store_->AuthorizeRequestToken("no-such-token", user_.id, "v", kNow).error(),
            RequestTokenRefusal::kUnknown);
  EXPECT_EQ(store_->DenyRequestToken("no-such-token", kNow).error(), RequestTokenRefusal::kUnknown);
}

TEST_P(StoreRequestTokensTest, PruningDeletesExpiredTokensWhateverTheirState) {
  RequestToken used = Authorized();
  ASSERT_TRUE(Exchange(used).ok());
  RequestToken pending = Create();
  RequestToken later = store_->CreateRequestToken(
      NewRequestToken{app_.id, "oob", AccessLevel::kReadWrite, kNow + 2 * kLifetime}, kNow);
  EXPECT_EQ(store_->PruneRequestTokens(kNow + kLifetime), 2);
  EXPECT_FALSE(store_->FindRequestToken(used.token));
  EXPECT_FALSE(store_->FindRequestToken(pending.token));
  EXPECT_TRUE(store_->FindRequestToken(later.token));
}

TEST_P(StoreRequestTokensTest, NodesRacingToExchangeOneTokenIssueOneAccessToken) {
  constexpr int kRacers = 8;
  RequestToken token = Authorized();
  std::unique_ptr<MetadataStore> node_b = OpenStore();
  std::mutex mutex;
  std::vector<ExchangeRefusal> refusals;
  int successes = 0;
  std::vector<std::thread> racers;
  for (int r = 0; r < kRacers; ++r) {
    MetadataStore& node = r % 2 == 0 ? *store_ : *node_b;
    racers.emplace_back([&, &node = node] {
      Result<AccessToken, ExchangeRefusal> result =
          node.ExchangeRequestToken(token.token, app_.id, kVerifier, kNow + 20);
      std::lock_guard lock(mutex);
      if (result.ok()) {
        ++successes;
      } else {
        refusals.push_back(result.error());
      }
    });
  }
  for (auto& racer : racers) racer.join();
  EXPECT_EQ(successes, 1);
  EXPECT_EQ(refusals, std::vector<ExchangeRefusal>(kRacers - 1, ExchangeRefusal::kAlreadyUsed));
  EXPECT_EQ(store_->ListAccessTokens().size(), 1u);
}

TEST_P(StoreRequestTokensTest, FlowBegunOnOneNodeFinishesOnAnother) {
  std::unique_ptr<MetadataStore> node_b = OpenStore();
  RequestToken token = Create();
  ASSERT_TRUE(node_b->AuthorizeRequestToken(token.token, user_.id, kVerifier, kNow + 1).ok());
  Result<AccessToken, ExchangeRefusal> access = Exchange(token);
  ASSERT_TRUE(access.ok());
  EXPECT_EQ(node_b->FindAccessToken(access->token)->user_id, user_.id);
}

}  // namespace
}  // namespace portrait::store
