// App settings, access levels, connected apps, passwords, sign-in throttles and web sessions:
// the contract every backend keeps.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "store/store_test_support.h"

namespace portrait::store {
namespace {

NewApp FullApp() {
  NewApp app;
  app.name = "Tweetbot";
  app.description = "A client with a description";
  app.website = "https://tapbots.example";
  app.callback_urls = {"https://tapbots.example/callback", "http://127.0.0.1:8000/cb"};
  app.allow_xauth = true;
  app.access_level = AccessLevel::kRead;
  return app;
}

WebSession SessionOf(int64_t user_id, const std::string& id_hash, int64_t now, int64_t idle,
                     int64_t absolute) {
  return WebSession{id_hash, user_id, "csrf-" + id_hash, now, now, now + idle, now + absolute};
}

TEST_P(StoreSignInTest, CreatedAppKeepsEverySetting) {
  App created = store_->CreateApp(FullApp(), kNow);
  for (const std::optional<App>& found :
       {store_->FindAppByConsumerKey(created.consumer_key), store_->FindAppById(created.id)}) {
    ASSERT_TRUE(found);
    EXPECT_EQ(found->name, "Tweetbot");
    EXPECT_EQ(found->description, "A client with a description");
    EXPECT_EQ(found->website, "https://tapbots.example");
    EXPECT_EQ(found->callback_urls, FullApp().callback_urls);
    EXPECT_TRUE(found->allow_xauth);
    EXPECT_EQ(found->access_level, AccessLevel::kRead);
  }
  EXPECT_FALSE(store_->FindAppById(created.id + 100));
}

TEST_P(StoreSignInTest, NameOnlyAppIsReadWriteWithoutCallbacksOrXAuth) {
  App app = store_->CreateApp("plain", kNow);
  std::optional<App> found = store_->FindAppByConsumerKey(app.consumer_key);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->description, "");
  EXPECT_TRUE(found->callback_urls.empty());
  EXPECT_FALSE(found->allow_xauth);
  EXPECT_EQ(found->access_level, AccessLevel::kReadWrite);
}

TEST_P(StoreSignInTest, AppUpdateReplacesOnlyTheGivenSettings) {
  App app = store_->CreateApp(FullApp(), kNow);
  AppUpdate update;
  update.website = "https://new.example";
  update.allow_xauth = false;
  update.callback_urls = std::vector<std::string>{"https://new.example/cb"};
  std::optional<App> updated = store_->UpdateApp(app.consumer_key, update);
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->name, "Tweetbot");
  EXPECT_EQ(updated->description, "A client with a description");
  EXPECT_EQ(updated->website, "https://new.example");
  EXPECT_EQ(updated->callback_urls, std::vector<std::string>{"https://new.example/cb"});
  EXPECT_FALSE(updated->allow_xauth);
  EXPECT_EQ(updated->access_level, AccessLevel::kRead);
  EXPECT_EQ(updated->consumer_secret, app.consumer_secret);

  AppUpdate clear;
  clear.callback_urls = std::vector<std::string>{};
  clear.access_level = AccessLevel::kReadWrite;
  updated = store_->UpdateApp(app.consumer_key, clear);
  ASSERT_TRUE(updated);
  EXPECT_TRUE(updated->callback_urls.empty());
  EXPECT_EQ(updated->access_level, AccessLevel::kReadWrite);
  EXPECT_EQ(store_->FindAppById(app.id)->website, "https://new.example");
  EXPECT_FALSE(store_->UpdateApp("no-such-key", update));
}

TEST_P(StoreSignInTest, AccessTokensCarryTheirAccessLevel) {
  User user = CreateUser("leveled");
  App app = store_->CreateApp("client", kNow);
  AccessToken read = store_->CreateAccessToken(user.id, app.id, AccessLevel::kRead, kNow);
  AccessToken write = store_->CreateAccessToken(user.id, app.id, kNow);
  EXPECT_EQ(store_->FindAccessToken(read.token)->access_level, AccessLevel::kRead);
  EXPECT_EQ(store_->FindAccessToken(write.token)->access_level, AccessLevel::kReadWrite);
}

TEST_P(StoreSignInTest, LiveAccessTokenIsTheNewestUnrevokedOneOfThatUserAndApp) {
  User user = CreateUser("returning");
  User other = CreateUser("someone");
  App app = store_->CreateApp("client", kNow);
  EXPECT_FALSE(store_->FindLiveAccessToken(user.id, app.id));
  AccessToken older = store_->CreateAccessToken(user.id, app.id, kNow);
  AccessToken newer = store_->CreateAccessToken(user.id, app.id, kNow + 10);
  store_->CreateAccessToken(other.id, app.id, kNow + 20);
  EXPECT_EQ(store_->FindLiveAccessToken(user.id, app.id)->token, newer.token);
  ASSERT_TRUE(store_->RevokeAccessToken(newer.token));
  EXPECT_EQ(store_->FindLiveAccessToken(user.id, app.id)->token, older.token);
  ASSERT_TRUE(store_->RevokeAccessToken(older.token));
  EXPECT_FALSE(store_->FindLiveAccessToken(user.id, app.id));
}

TEST_P(StoreSignInTest, ConnectedAppsListLiveGrantsWithTheirHighestLevel) {
  User user = CreateUser("connected");
  User other = CreateUser("other");
  App reader = store_->CreateApp("reader", kNow);
  App writer = store_->CreateApp("writer", kNow);
  App revoked_app = store_->CreateApp("gone", kNow);
  App unused = store_->CreateApp("unused", kNow);
  store_->CreateAccessToken(user.id, writer.id, AccessLevel::kRead, kNow + 5);
  store_->CreateAccessToken(user.id, writer.id, AccessLevel::kReadWrite, kNow + 7);
  store_->CreateAccessToken(user.id, reader.id, AccessLevel::kRead, kNow + 1);
  AccessToken dead = store_->CreateAccessToken(user.id, reader.id, AccessLevel::kReadWrite, kNow);
  ASSERT_TRUE(store_->RevokeAccessToken(dead.token));
  store_->CreateAccessToken(user.id, revoked_app.id, kNow);
  ASSERT_TRUE(store_->RevokeApp(revoked_app.consumer_key));
  store_->CreateAccessToken(other.id, unused.id, kNow);

  std::vector<ConnectedApp> apps = store_->ListConnectedApps(user.id);
  ASSERT_EQ(apps.size(), 2u);
  EXPECT_EQ(apps[0].app.name, "reader");
  EXPECT_EQ(apps[0].access_level, AccessLevel::kRead);
  EXPECT_EQ(apps[0].live_tokens, 1);
  EXPECT_EQ(apps[0].first_authorized_at, kNow + 1);
  EXPECT_EQ(apps[1].app.name, "writer");
  EXPECT_EQ(apps[1].access_level, AccessLevel::kReadWrite);
  EXPECT_EQ(apps[1].live_tokens, 2);
  EXPECT_EQ(apps[1].first_authorized_at, kNow + 5);
  EXPECT_EQ(apps[1].last_authorized_at, kNow + 7);
}

TEST_P(StoreSignInTest, RevokingAnAppForAPersonRevokesOnlyHerTokensOfIt) {
  User user = CreateUser("revoker");
  User other = CreateUser("bystander");
  App app = store_->CreateApp("client", kNow);
  App kept = store_->CreateApp("kept", kNow);
  AccessToken first = store_->CreateAccessToken(user.id, app.id, kNow);
  AccessToken second = store_->CreateAccessToken(user.id, app.id, kNow);
  AccessToken other_users = store_->CreateAccessToken(other.id, app.id, kNow);
  AccessToken other_app = store_->CreateAccessToken(user.id, kept.id, kNow);
  EXPECT_EQ(store_->RevokeAppForUser(user.id, app.id), 2);
  EXPECT_TRUE(store_->FindAccessToken(first.token)->revoked);
  EXPECT_TRUE(store_->FindAccessToken(second.token)->revoked);
  EXPECT_FALSE(store_->FindAccessToken(other_users.token)->revoked);
  EXPECT_FALSE(store_->FindAccessToken(other_app.token)->revoked);
  EXPECT_EQ(store_->RevokeAppForUser(user.id, app.id), 0);
  ASSERT_EQ(store_->ListConnectedApps(user.id).size(), 1u);
}

TEST_P(StoreSignInTest, PasswordHashIsKeptPerUser) {
  User user = CreateUser("hashed");
  User other = CreateUser("nohash");
  EXPECT_FALSE(store_->FindPasswordHash(user.id));
  ASSERT_TRUE(store_->SetPasswordHash(user.id, "$argon2id$first", kNow));
  EXPECT_EQ(store_->FindPasswordHash(user.id), "$argon2id$first");
  ASSERT_TRUE(store_->SetPasswordHash(user.id, "$argon2id$second", kNow + 1));
  EXPECT_EQ(store_->FindPasswordHash(user.id), "$argon2id$second");
  EXPECT_FALSE(store_->FindPasswordHash(other.id));
  EXPECT_FALSE(store_->SetPasswordHash(user.id + other.id + 100, "$argon2id$x", kNow));
}

TEST_P(StoreSignInTest, RehashReplacesTheHashOnlyWhileItIsUnchanged) {
  User user = CreateUser("rehashed");
  ASSERT_TRUE(store_->SetPasswordHash(user.id, "$old-params", kNow));
  EXPECT_TRUE(store_->ReplacePasswordHash(user.id, "$old-params", "$new-params", kNow + 1));
  EXPECT_EQ(store_->FindPasswordHash(user.id), "$new-params");
  // A password change happened between the sign-in and its rehash: the rehash loses.
  ASSERT_TRUE(store_->SetPasswordHash(user.id, "$changed", kNow + 2));
  EXPECT_FALSE(store_->ReplacePasswordHash(user.id, "$new-params", "$rehash-of-old", kNow + 3));
  EXPECT_EQ(store_->FindPasswordHash(user.id), "$changed");
}

TEST_P(StoreSignInTest, SettingAPasswordEndsEverySessionOfThatUserOnly) {
  User user = CreateUser("changer");
  User other = CreateUser("untouched");
  store_->CreateWebSession(SessionOf(user.id, "a1", kNow, 600, 3600));
  store_->CreateWebSession(SessionOf(user.id, "a2", kNow, 600, 3600));
  store_->CreateWebSession(SessionOf(other.id, "b1", kNow, 600, 3600));
  ASSERT_TRUE(store_->SetPasswordHash(user.id, "$new", kNow + 1));
  EXPECT_FALSE(store_->TouchWebSession("a1", kNow + 2, 600));
  EXPECT_FALSE(store_->TouchWebSession("a2", kNow + 2, 600));
  EXPECT_TRUE(store_->TouchWebSession("b1", kNow + 2, 600));
  // A rehash is no password change: sessions stay.
  store_->CreateWebSession(SessionOf(user.id, "a3", kNow + 3, 600, 3600));
  ASSERT_TRUE(store_->ReplacePasswordHash(user.id, "$new", "$rehashed", kNow + 4));
  EXPECT_TRUE(store_->TouchWebSession("a3", kNow + 5, 600));
}

TEST_P(StoreSignInTest, AttemptPastTheMaximumLocksTheKeyAndIsNotCountedWhileLocked) {
  const ThrottlePolicy policy{3, 900, 600};
  for (int64_t attempt = 1; attempt <= 3; ++attempt) {
    ThrottleWindow window = store_->CountSignInAttempt("account:kim", kNow + attempt, policy);
    EXPECT_EQ(window.attempts, attempt);
    EXPECT_EQ(window.window_start, kNow + 1);
    EXPECT_EQ(window.window_end, kNow + 901);
    EXPECT_FALSE(window.locked(kNow + attempt));
  }
  ThrottleWindow locked = store_->CountSignInAttempt("account:kim", kNow + 10, policy);
  EXPECT_EQ(locked.attempts, 4);
  EXPECT_EQ(locked.locked_until, kNow + 610);
  EXPECT_TRUE(locked.locked(kNow + 10));
  ThrottleWindow still = store_->CountSignInAttempt("account:kim", kNow + 609, policy);
  EXPECT_EQ(still.attempts, 4);
  EXPECT_TRUE(still.locked(kNow + 609));
  // Another key is not affected.
  EXPECT_EQ(store_->CountSignInAttempt("account:lee", kNow + 11, policy).attempts, 1);
}

TEST_P(StoreSignInTest, LockOutlivingItsWindowEndsInAFreshWindow) {
  const ThrottlePolicy policy{1, 100, 300};
  store_->CountSignInAttempt("address:10.0.0.1", kNow, policy);
  EXPECT_TRUE(store_->CountSignInAttempt("address:10.0.0.1", kNow + 1, policy).locked(kNow + 1));
  EXPECT_TRUE(
      store_->CountSignInAttempt("address:10.0.0.1", kNow + 200, policy).locked(kNow + 200));
  ThrottleWindow fresh = store_->CountSignInAttempt("address:10.0.0.1", kNow + 301, policy);
  EXPECT_FALSE(fresh.locked(kNow + 301));
  EXPECT_EQ(fresh.attempts, 1);
  EXPECT_EQ(fresh.window_start, kNow + 301);
  EXPECT_EQ(fresh.window_end, kNow + 401);
}

TEST_P(StoreSignInTest, LockShorterThanItsWindowLocksAgainAtTheNextAttemptInTheWindow) {
  const ThrottlePolicy policy{1, 900, 60};
  store_->CountSignInAttempt("account:kim", kNow, policy);
  EXPECT_TRUE(store_->CountSignInAttempt("account:kim", kNow + 1, policy).locked(kNow + 1));
  ThrottleWindow again = store_->CountSignInAttempt("account:kim", kNow + 62, policy);
  EXPECT_TRUE(again.locked(kNow + 62));
  EXPECT_EQ(again.locked_until, kNow + 122);
}

TEST_P(StoreSignInTest, RefundTakesOneAttemptBackAndClearForgetsTheKey) {
  const ThrottlePolicy policy{5, 900, 900};
  store_->CountSignInAttempt("address:10.0.0.2", kNow, policy);
  store_->CountSignInAttempt("address:10.0.0.2", kNow, policy);
  store_->RefundSignInAttempt("address:10.0.0.2", kNow + 1);
  EXPECT_EQ(store_->CountSignInAttempt("address:10.0.0.2", kNow + 2, policy).attempts, 2);
  for (int i = 0; i < 4; ++i) store_->RefundSignInAttempt("address:10.0.0.2", kNow + 3);
  EXPECT_EQ(store_->CountSignInAttempt("address:10.0.0.2", kNow + 4, policy).attempts, 1);
  store_->RefundSignInAttempt("address:never-seen", kNow);
  store_->ClearSignInAttempts("address:10.0.0.2");
  ThrottleWindow fresh = store_->CountSignInAttempt("address:10.0.0.2", kNow + 5, policy);
  EXPECT_EQ(fresh.attempts, 1);
  EXPECT_EQ(fresh.window_start, kNow + 5);
}

TEST_P(StoreSignInTest, PruningDeletesClosedWindowsThatAreNotLocked) {
  const ThrottlePolicy policy{1, 100, 1000};
  store_->CountSignInAttempt("closed", kNow, policy);
  store_->CountSignInAttempt("locked", kNow, policy);
  store_->CountSignInAttempt("locked", kNow, policy);  // locked until kNow + 1000
  store_->CountSignInAttempt("open", kNow + 150, policy);
  EXPECT_EQ(store_->PruneSignInThrottles(kNow + 200), 1);
  // The lock survived the pruning; the pruned key starts afresh.
  EXPECT_TRUE(store_->CountSignInAttempt("locked", kNow + 201, policy).locked(kNow + 201));
  EXPECT_EQ(store_->CountSignInAttempt("open", kNow + 201, policy).attempts, 2);
  EXPECT_EQ(store_->PruneSignInThrottles(kNow + 2000), 2);
}

TEST_P(StoreSignInTest, NodesCountIntoOneThrottleAndLetExactlyTheMaximumThrough) {
  constexpr int kThreads = 4;
  constexpr int kEach = 10;
  const ThrottlePolicy policy{7, 900, 900};
  std::unique_ptr<MetadataStore> node_b = OpenStore();
  std::atomic<int> unlocked = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    MetadataStore& node = t % 2 == 0 ? *store_ : *node_b;
    threads.emplace_back([&node, &unlocked, policy] {
      for (int i = 0; i < kEach; ++i) {
        if (!node.CountSignInAttempt("account:target", kNow, policy).locked(kNow)) ++unlocked;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(unlocked.load(), 7);
}

TEST_P(StoreSignInTest, TouchingASessionMovesItsIdleExpiryButNeverPastTheAbsoluteOne) {
  User user = CreateUser("browsing");
  store_->CreateWebSession(SessionOf(user.id, "h1", kNow, 100, 250));
  std::optional<WebSession> touched = store_->TouchWebSession("h1", kNow + 90, 100);
  ASSERT_TRUE(touched);
  EXPECT_EQ(touched->user_id, user.id);
  EXPECT_EQ(touched->csrf_token, "csrf-h1");
  EXPECT_EQ(touched->last_seen_at, kNow + 90);
  EXPECT_EQ(touched->idle_expires_at, kNow + 190);
  touched = store_->TouchWebSession("h1", kNow + 180, 100);
  ASSERT_TRUE(touched);
  EXPECT_EQ(touched->idle_expires_at, kNow + 250);
  EXPECT_FALSE(store_->TouchWebSession("h1", kNow + 250, 100));
  EXPECT_FALSE(store_->TouchWebSession("unknown", kNow, 100));
}

TEST_P(StoreSignInTest, IdleSessionExpires) {
  User user = CreateUser("idle");
  store_->CreateWebSession(SessionOf(user.id, "h2", kNow, 100, 3600));
  EXPECT_FALSE(store_->TouchWebSession("h2", kNow + 100, 100));
}

TEST_P(StoreSignInTest, DeletedSessionsAreGone) {
  User user = CreateUser("leaving");
  store_->CreateWebSession(SessionOf(user.id, "h3", kNow, 100, 3600));
  store_->CreateWebSession(SessionOf(user.id, "h4", kNow, 100, 3600));
  store_->CreateWebSession(SessionOf(user.id, "h5", kNow, 100, 3600));
  EXPECT_TRUE(store_->DeleteWebSession("h3"));
  EXPECT_FALSE(store_->DeleteWebSession("h3"));
  EXPECT_FALSE(store_->TouchWebSession("h3", kNow + 1, 100));
  EXPECT_EQ(store_->DeleteWebSessionsOfUser(user.id), 2);
  EXPECT_FALSE(store_->TouchWebSession("h4", kNow + 1, 100));
}

TEST_P(StoreSignInTest, PruningDeletesExpiredSessionsOnly) {
  User user = CreateUser("pruned");
  store_->CreateWebSession(SessionOf(user.id, "old", kNow, 100, 3600));
  store_->CreateWebSession(SessionOf(user.id, "live", kNow + 50, 100, 3600));
  EXPECT_EQ(store_->PruneWebSessions(kNow + 120), 1);
  EXPECT_TRUE(store_->TouchWebSession("live", kNow + 121, 100));
  EXPECT_FALSE(store_->TouchWebSession("old", kNow + 121, 100));
}

TEST_P(StoreSignInTest, SessionCreatedOnOneNodeIsServedByAnother) {
  User user = CreateUser("roaming");
  std::unique_ptr<MetadataStore> node_b = OpenStore();
  store_->CreateWebSession(SessionOf(user.id, "roam", kNow, 100, 3600));
  std::optional<WebSession> found = node_b->TouchWebSession("roam", kNow + 1, 100);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->user_id, user.id);
  EXPECT_TRUE(node_b->DeleteWebSession("roam"));
  EXPECT_FALSE(store_->TouchWebSession("roam", kNow + 2, 100));
}

}  // namespace
}  // namespace portrait::store
