#include "signin/authorization_flow.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "signin/pruning.h"
#include "signin/signin_test_fixture.h"

namespace portrait::signin {
namespace {

constexpr const char* kAddress = "203.0.113.20";

bool IsDigits(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

class AuthorizationFlowTest : public SignInTest {
 protected:
  AuthorizationFlowTest() {
    store::NewUser profile;
    profile.screen_name = profile.name = "alice";
    user_ = *accounts_.CreateAccount(profile, Password("alice's password"), kNow);
    store::NewApp app;
    app.name = "Good Client";
    app.description = "Posts your photos";
    app.website = "https://good.example";
    app.callback_urls = {"https://good.example/callback"};
    app_ = store_->CreateApp(app, kNow);
    open_app_ = store_->CreateApp("Open Client", kNow);
    store::NewApp xauth;
    xauth.name = "Trusted Client";
    xauth.allow_xauth = true;
    xauth_app_ = store_->CreateApp(xauth, kNow);
  }

  store::RequestToken Issue(const store::App& app, std::string_view callback,
                            std::optional<std::string_view> access_type = std::nullopt) {
    Result<store::RequestToken, RequestTokenProblem> token =
        flow_.IssueRequestToken(app, callback, access_type, kNow);
    EXPECT_TRUE(token.ok());
    return token.ok() ? *token : store::RequestToken{};
  }

  Accounts accounts_{*store_, options_};
  AuthorizationFlow flow_{*store_, accounts_, options_.flow};
  store::User user_;
  store::App app_;
  store::App open_app_;
  store::App xauth_app_;
};

TEST_F(AuthorizationFlowTest, UrlCallbackFlowRedirectsWithTokenAndVerifierAndExchangesOnce) {
  store::RequestToken request = Issue(app_, "https://good.example/callback?state=s1");
  EXPECT_EQ(request.expires_at, kNow + 900);
  std::optional<PendingAuthorization> pending = flow_.FindPending(request.token, kNow + 1);
  ASSERT_TRUE(pending);
  EXPECT_EQ(pending->app.name, "Good Client");
  EXPECT_EQ(pending->app.description, "Posts your photos");
  EXPECT_EQ(pending->token.access_level, store::AccessLevel::kReadWrite);

  Result<Authorization, AuthorizeProblem> authorized =
      flow_.Authorize(request.token, user_.id, kNow + 2);
  ASSERT_TRUE(authorized.ok());
  EXPECT_EQ(authorized->verifier.size(), 32u);
  EXPECT_EQ(*authorized->redirect, "https://good.example/callback?state=s1&oauth_token=" +
                                       request.token + "&oauth_verifier=" + authorized->verifier);
  EXPECT_FALSE(flow_.FindPending(request.token, kNow + 3));

  Result<Grant, store::ExchangeRefusal> grant =
      flow_.Exchange(app_, request.token, authorized->verifier, kNow + 3);
  ASSERT_TRUE(grant.ok());
  EXPECT_EQ(grant->user.screen_name, "alice");
  EXPECT_EQ(grant->token.user_id, user_.id);
  EXPECT_EQ(grant->token.app_id, app_.id);
  EXPECT_TRUE(grant->token.token.starts_with(std::to_string(user_.id) + "-"));
  EXPECT_EQ(flow_.Exchange(app_, request.token, authorized->verifier, kNow + 4).error(),
            store::ExchangeRefusal::kAlreadyUsed);
  EXPECT_TRUE(flow_.AlreadyAuthorized(user_.id, app_.id));
}

TEST_F(AuthorizationFlowTest, OutOfBandFlowGivesASevenDigitPinAndNoRedirect) {
  store::RequestToken request = Issue(open_app_, "oob");
  Result<Authorization, AuthorizeProblem> authorized =
      flow_.Authorize(request.token, user_.id, kNow + 1);
  ASSERT_TRUE(authorized.ok());
  EXPECT_EQ(authorized->verifier.size(), 7u);
  EXPECT_TRUE(IsDigits(authorized->verifier)) << authorized->verifier;
  EXPECT_FALSE(authorized->redirect);
  EXPECT_TRUE(flow_.Exchange(open_app_, request.token, authorized->verifier, kNow + 2).ok());
}

TEST_F(AuthorizationFlowTest, CallbackOutsideTheRegisteredOnesIsRefused) {
  for (std::string_view hostile :
       {"https://evil.example", "//evil", "https://good.example.evil.example/callback",
        "https://good.example@evil/callback", "javascript:alert(1)", "data:text/html,x",
        "https://good.example/other"}) {
    Result<store::RequestToken, RequestTokenProblem> token =
        flow_.IssueRequestToken(app_, hostile, std::nullopt, kNow);
    ASSERT_FALSE(token.ok()) << hostile;
    EXPECT_TRUE(token.error() == RequestTokenProblem::kCallbackNotApproved ||
                token.error() == RequestTokenProblem::kBadCallback)
        << hostile;
  }
  EXPECT_EQ(flow_.IssueRequestToken(app_, "https://evil.example/", std::nullopt, kNow).error(),
            RequestTokenProblem::kCallbackNotApproved);
  EXPECT_EQ(flow_.IssueRequestToken(app_, "", std::nullopt, kNow).error(),
            RequestTokenProblem::kBadCallback);
  EXPECT_EQ(flow_.IssueRequestToken(open_app_, "javascript:alert(1)", std::nullopt, kNow).error(),
            RequestTokenProblem::kBadCallback);
  EXPECT_TRUE(flow_.IssueRequestToken(open_app_, "https://any.example/", std::nullopt, kNow).ok());
}

TEST_F(AuthorizationFlowTest, AccessTypeAsksForReadOrTheAppsLevel) {
  EXPECT_EQ(Issue(open_app_, "oob", "read").access_level, store::AccessLevel::kRead);
  EXPECT_EQ(Issue(open_app_, "oob", "write").access_level, store::AccessLevel::kReadWrite);
  EXPECT_EQ(flow_.IssueRequestToken(open_app_, "oob", "admin", kNow).error(),
            RequestTokenProblem::kBadAccessType);
  store::AppUpdate read_only;
  read_only.access_level = store::AccessLevel::kRead;
  store::App reader = *store_->UpdateApp(open_app_.consumer_key, read_only);
  EXPECT_EQ(Issue(reader, "oob", "write").access_level, store::AccessLevel::kRead);
  EXPECT_EQ(Issue(reader, "oob").access_level, store::AccessLevel::kRead);

  store::RequestToken read = Issue(open_app_, "oob", "read");
  std::string pin = flow_.Authorize(read.token, user_.id, kNow + 1)->verifier;
  EXPECT_EQ(flow_.Exchange(open_app_, read.token, pin, kNow + 2)->token.access_level,
            store::AccessLevel::kRead);
}

TEST_F(AuthorizationFlowTest, ExpiredRequestTokenCannotBeAuthorizedOrExchanged) {
  store::RequestToken late = Issue(open_app_, "oob");
  EXPECT_FALSE(flow_.FindPending(late.token, kNow + 900));
  EXPECT_EQ(flow_.Authorize(late.token, user_.id, kNow + 900).error(), AuthorizeProblem::kExpired);

  store::RequestToken slow = Issue(open_app_, "oob");
  std::string pin = flow_.Authorize(slow.token, user_.id, kNow + 899)->verifier;
  EXPECT_EQ(flow_.Exchange(open_app_, slow.token, pin, kNow + 900).error(),
            store::ExchangeRefusal::kExpired);
}

TEST_F(AuthorizationFlowTest, VerifierUsedWithAnotherAppsConsumerKeyIsRefused) {
  store::RequestToken request = Issue(open_app_, "oob");
  std::string pin = flow_.Authorize(request.token, user_.id, kNow + 1)->verifier;
  EXPECT_EQ(flow_.Exchange(xauth_app_, request.token, pin, kNow + 2).error(),
            store::ExchangeRefusal::kWrongApp);
  EXPECT_TRUE(flow_.Exchange(open_app_, request.token, pin, kNow + 3).ok());
}

TEST_F(AuthorizationFlowTest, WrongOrReplayedVerifierIsRefused) {
  store::RequestToken request = Issue(open_app_, "oob");
  std::string pin = flow_.Authorize(request.token, user_.id, kNow + 1)->verifier;
  std::string wrong = pin;
  wrong[0] = wrong[0] == '9' ? '0' : static_cast<char>(wrong[0] + 1);
  EXPECT_EQ(flow_.Exchange(open_app_, request.token, wrong, kNow + 2).error(),
            store::ExchangeRefusal::kWrongVerifier);
  EXPECT_EQ(flow_.Exchange(open_app_, request.token, pin, kNow + 3).error(),
            store::ExchangeRefusal::kAlreadyUsed);
  EXPECT_EQ(flow_.Exchange(open_app_, "unknown-token", pin, kNow + 3).error(),
            store::ExchangeRefusal::kUnknownToken);
  EXPECT_FALSE(flow_.AlreadyAuthorized(user_.id, open_app_.id));
}

TEST_F(AuthorizationFlowTest, RequestTokenIsDecidedOnce) {
  store::RequestToken request = Issue(open_app_, "oob");
  ASSERT_TRUE(flow_.Authorize(request.token, user_.id, kNow + 1).ok());
  EXPECT_EQ(flow_.Authorize(request.token, user_.id, kNow + 2).error(),
            AuthorizeProblem::kAlreadyDecided);
  EXPECT_EQ(flow_.Deny(request.token, kNow + 2).error(), AuthorizeProblem::kAlreadyDecided);
  EXPECT_EQ(flow_.Authorize("unknown-token", user_.id, kNow).error(),
            AuthorizeProblem::kUnknownToken);
}

TEST_F(AuthorizationFlowTest, CancelRedirectsWithDeniedAndTheTokenIsDead) {
  store::RequestToken request = Issue(app_, "https://good.example/callback");
  Result<Denial, AuthorizeProblem> denied = flow_.Deny(request.token, kNow + 1);
  ASSERT_TRUE(denied.ok());
  EXPECT_EQ(*denied->redirect, "https://good.example/callback?denied=" + request.token);
  EXPECT_EQ(flow_.Exchange(app_, request.token, "anything", kNow + 2).error(),
            store::ExchangeRefusal::kDenied);
  store::RequestToken oob = Issue(open_app_, "oob");
  EXPECT_FALSE(flow_.Deny(oob.token, kNow + 1)->redirect);
}

TEST_F(AuthorizationFlowTest, RevokedAppGetsNoRequestTokenAuthorizationOrExchange) {
  store::RequestToken request = Issue(open_app_, "oob");
  ASSERT_TRUE(store_->RevokeApp(open_app_.consumer_key));
  store::App revoked = *store_->FindAppById(open_app_.id);
  EXPECT_EQ(flow_.IssueRequestToken(revoked, "oob", std::nullopt, kNow).error(),
            RequestTokenProblem::kAppRevoked);
  EXPECT_FALSE(flow_.FindPending(request.token, kNow + 1));
  EXPECT_EQ(flow_.Authorize(request.token, user_.id, kNow + 1).error(),
            AuthorizeProblem::kAppRevoked);
  EXPECT_EQ(flow_.Exchange(revoked, request.token, "1234567", kNow + 2).error(),
            store::ExchangeRefusal::kAppRevoked);
}

TEST_F(AuthorizationFlowTest, XAuthOnlyForAllowedAppsThroughTheSignInCheck) {
  Result<Grant, XAuthRefusal> grant =
      flow_.XAuth(xauth_app_, "alice", Password("alice's password"), kAddress, "read", kNow);
  ASSERT_TRUE(grant.ok());
  EXPECT_EQ(grant->user.id, user_.id);
  EXPECT_EQ(grant->token.access_level, store::AccessLevel::kRead);
  EXPECT_EQ(
      flow_.XAuth(open_app_, "alice", Password("alice's password"), kAddress, {}, kNow).error(),
      XAuthRefusal::kNotAllowed);
  EXPECT_EQ(
      flow_.XAuth(xauth_app_, "alice", Password("wrong password"), kAddress, {}, kNow).error(),
      XAuthRefusal::kBadCredentials);
  EXPECT_EQ(
      flow_.XAuth(xauth_app_, "nobody", Password("wrong password"), kAddress, {}, kNow).error(),
      XAuthRefusal::kBadCredentials);
}

TEST_F(AuthorizationFlowTest, XAuthIsThrottledLikeTheSignInPage) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(flow_
                  .XAuth(xauth_app_, "alice", Password("guess " + std::to_string(i)),
                         "198.51.100." + std::to_string(i), {}, kNow)
                  .error(),
              XAuthRefusal::kBadCredentials);
  }
  EXPECT_EQ(
      flow_.XAuth(xauth_app_, "alice", Password("alice's password"), kAddress, {}, kNow).error(),
      XAuthRefusal::kThrottled);
  // The page's sign-in shares the lock.
  EXPECT_EQ(accounts_.SignIn("alice", Password("alice's password"), kAddress, kNow).error(),
            SignInRefusal::kThrottled);
}

TEST_F(AuthorizationFlowTest, ConnectedAppsAreListedAndDisconnected) {
  store::RequestToken request = Issue(open_app_, "oob");
  std::string pin = flow_.Authorize(request.token, user_.id, kNow + 1)->verifier;
  store::AccessToken token = flow_.Exchange(open_app_, request.token, pin, kNow + 2)->token;
  ASSERT_TRUE(
      flow_.XAuth(xauth_app_, "alice", Password("alice's password"), kAddress, "read", kNow).ok());
  std::vector<store::ConnectedApp> connected = flow_.ConnectedApps(user_.id);
  ASSERT_EQ(connected.size(), 2u);
  EXPECT_EQ(flow_.Disconnect(user_.id, open_app_.id), 1);
  EXPECT_TRUE(store_->FindAccessToken(token.token)->revoked);
  ASSERT_EQ(flow_.ConnectedApps(user_.id).size(), 1u);
  EXPECT_EQ(flow_.ConnectedApps(user_.id)[0].app.name, "Trusted Client");
  EXPECT_FALSE(flow_.AlreadyAuthorized(user_.id, open_app_.id));
}

TEST_F(AuthorizationFlowTest, BearerTokenIsInvalidatedOnlyByItsOwnApp) {
  store::BearerToken bearer = store_->IssueBearerToken(open_app_.id, kNow);
  EXPECT_EQ(flow_.InvalidateBearerToken(xauth_app_, bearer.token).error(),
            RevocationRefusal::kOtherApp);
  EXPECT_FALSE(store_->FindBearerToken(bearer.token)->revoked);
  Result<store::BearerToken, RevocationRefusal> invalidated =
      flow_.InvalidateBearerToken(open_app_, bearer.token);
  ASSERT_TRUE(invalidated.ok());
  EXPECT_EQ(invalidated->token, bearer.token);
  EXPECT_TRUE(store_->FindBearerToken(bearer.token)->revoked);
  EXPECT_EQ(flow_.InvalidateBearerToken(open_app_, bearer.token).error(),
            RevocationRefusal::kUnknownToken);
  EXPECT_EQ(flow_.InvalidateBearerToken(open_app_, "AAAA-unknown").error(),
            RevocationRefusal::kUnknownToken);
}

TEST_F(AuthorizationFlowTest, PruningDeletesExpiredRequestTokensSessionsAndThrottles) {
  store::RequestToken request = Issue(open_app_, "oob");
  store_->CreateWebSession(
      store::WebSession{"h", user_.id, "c", kNow, kNow, kNow + 100, kNow + 1000});
  EXPECT_FALSE(accounts_.SignIn("alice", Password("wrong password"), kAddress, kNow).ok());
  store::PrunedSignInState early = PruneSignInState(*store_, kNow + 10);
  EXPECT_EQ(early.request_tokens + early.web_sessions + early.throttles, 0);
  store::PrunedSignInState late = PruneSignInState(*store_, kNow + 2000);
  EXPECT_EQ(late.request_tokens, 1);
  EXPECT_EQ(late.web_sessions, 1);
  EXPECT_EQ(late.throttles, 2);  // the account's and the address's
  EXPECT_FALSE(store_->FindRequestToken(request.token));
}

}  // namespace
}  // namespace portrait::signin
