#include "signin/web_sessions.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "signin/accounts.h"
#include "signin/signin_test_fixture.h"

namespace portrait::signin {
namespace {

class WebSessionsTest : public SignInTest {
 protected:
  WebSessionsTest() {
    store::NewUser profile;
    profile.screen_name = profile.name = "browser";
    user_ = *accounts_.CreateAccount(profile, Password("a good password"), kNow);
    options_.sessions.idle_seconds = 100;
    options_.sessions.absolute_seconds = 250;
  }

  Accounts accounts_{*store_, options_};
  store::User user_;
  WebSessions sessions_{*store_, SessionOptions{100, 250}};
};

TEST_F(WebSessionsTest, StartedSessionIsResumedByItsCookie) {
  StartedSession started = sessions_.Start(user_.id, kNow);
  EXPECT_EQ(started.cookie_value.size(), 43u);
  EXPECT_TRUE(std::all_of(started.cookie_value.begin(), started.cookie_value.end(),
                          [](unsigned char c) { return std::isalnum(c); }));
  EXPECT_EQ(started.session.expires_at, kNow + 250);
  EXPECT_EQ(started.session.idle_expires_at, kNow + 100);
  std::optional<store::WebSession> resumed = sessions_.Resume(started.cookie_value, kNow + 50);
  ASSERT_TRUE(resumed);
  EXPECT_EQ(resumed->user_id, user_.id);
  EXPECT_EQ(resumed->csrf_token, started.session.csrf_token);
  EXPECT_NE(sessions_.Start(user_.id, kNow).cookie_value, started.cookie_value);
}

TEST_F(WebSessionsTest, StoreKeepsOnlyAHashOfTheCookie) {
  StartedSession started = sessions_.Start(user_.id, kNow);
  EXPECT_EQ(started.session.id_hash, SessionIdHash(started.cookie_value));
  EXPECT_EQ(started.session.id_hash.size(), 64u);
  EXPECT_FALSE(store_->TouchWebSession(started.cookie_value, kNow + 1, 100));
  EXPECT_TRUE(store_->TouchWebSession(started.session.id_hash, kNow + 1, 100));
}

TEST_F(WebSessionsTest, IdleAndAbsoluteExpiryEndTheSession) {
  StartedSession idle = sessions_.Start(user_.id, kNow);
  EXPECT_FALSE(sessions_.Resume(idle.cookie_value, kNow + 100));
  StartedSession busy = sessions_.Start(user_.id, kNow);
  for (int64_t t = 90; t < 250; t += 90) EXPECT_TRUE(sessions_.Resume(busy.cookie_value, kNow + t));
  EXPECT_FALSE(sessions_.Resume(busy.cookie_value, kNow + 250));
}

TEST_F(WebSessionsTest, CookieFromBeforeSignOutFindsNothing) {
  StartedSession started = sessions_.Start(user_.id, kNow);
  EXPECT_TRUE(sessions_.End(started.cookie_value));
  EXPECT_FALSE(sessions_.Resume(started.cookie_value, kNow + 1));
  EXPECT_FALSE(sessions_.End(started.cookie_value));
}

TEST_F(WebSessionsTest, PasswordChangeEndsEverySessionOfThePerson) {
  StartedSession phone = sessions_.Start(user_.id, kNow);
  StartedSession laptop = sessions_.Start(user_.id, kNow);
  ASSERT_TRUE(accounts_.SetPassword(user_.id, Password("another good one"), kNow + 1).ok());
  EXPECT_FALSE(sessions_.Resume(phone.cookie_value, kNow + 2));
  EXPECT_FALSE(sessions_.Resume(laptop.cookie_value, kNow + 2));
}

TEST_F(WebSessionsTest, MalformedCookiesFindNothing) {
  // Strings, not views: a view of a temporary string would dangle inside the list.
  for (const std::string& cookie : {std::string(""), std::string("short"),
                                    std::string("../../etc/passwd"), std::string(43, '%')}) {
    EXPECT_FALSE(sessions_.Resume(cookie, kNow));
    EXPECT_FALSE(sessions_.End(cookie));
  }
}

TEST_F(WebSessionsTest, CsrfTokenMustMatchExactly) {
  StartedSession started = sessions_.Start(user_.id, kNow);
  const std::string& token = started.session.csrf_token;
  EXPECT_EQ(token.size(), 43u);
  EXPECT_TRUE(WebSessions::CsrfTokenMatches(started.session, token));
  EXPECT_FALSE(WebSessions::CsrfTokenMatches(started.session, ""));
  EXPECT_FALSE(WebSessions::CsrfTokenMatches(started.session, token.substr(1)));
  std::string flipped = token;
  flipped.back() = flipped.back() == 'a' ? 'b' : 'a';
  EXPECT_FALSE(WebSessions::CsrfTokenMatches(started.session, flipped));
  EXPECT_NE(sessions_.Start(user_.id, kNow).session.csrf_token, token);
}

}  // namespace
}  // namespace portrait::signin
