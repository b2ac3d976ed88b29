// Users, apps, tokens, nonces and rate-limit windows: the contract every backend keeps.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <thread>

#include "store/rate_window_contract.h"
#include "store/store_test_support.h"

namespace portrait::store {
namespace {

bool IsAlphanumeric(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isalnum(c); });
}

TEST_P(StoreUsersTest, CreatedUserIsFoundByIdAndScreenName) {
  NewUser new_user{
      "jack", "Jack", "San Francisco", std::nullopt, "https://example.com", "jack@example.com"};
  Result<User, ProfileViolation> created = store_->CreateUser(new_user, kNow);
  ASSERT_TRUE(created.ok());
  EXPECT_GT(created->id, 0);
  EXPECT_EQ(created->created_at, kNow);
  EXPECT_FALSE(created->image);

  std::optional<User> by_id = store_->FindUserById(created->id);
  ASSERT_TRUE(by_id);
  EXPECT_EQ(by_id->screen_name, "jack");
  EXPECT_EQ(by_id->location, "San Francisco");
  EXPECT_EQ(by_id->description, std::nullopt);
  EXPECT_EQ(by_id->email, "jack@example.com");
  EXPECT_EQ(store_->FindUserByScreenName("jack")->id, created->id);
  EXPECT_FALSE(store_->FindUserById(created->id + 100));
  EXPECT_FALSE(store_->FindUserByScreenName("nobody"));
}

TEST_P(StoreUsersTest, ScreenNamesAreUniqueAndFoundCaseInsensitively) {
  User jack = CreateUser("Jack");
  Result<User, ProfileViolation> again = store_->CreateUser(NamedUser("jACK"), kNow);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error(), (ProfileViolation{ProfileField::kScreenName, ProfileProblem::kTaken}));
  std::optional<User> found = store_->FindUserByScreenName("JACK");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, jack.id);
  EXPECT_EQ(found->screen_name, "Jack");  // stored as created
}

TEST_P(StoreUsersTest, FindsManyUsersByIdsAndScreenNamesInOneCallEachOnce) {
  User ann = CreateUser("ann");
  User bob = CreateUser("Bob");
  User cid = CreateUser("cid");
  CreateUser("dee");
  const std::vector<int64_t> ids = {ann.id, bob.id, bob.id, 999999};
  const std::vector<std::string> names = {"BOB", "cid", "nobody", "\"quoted\\name", "ann'--"};
  std::vector<User> found = store_->FindUsers(ids, names);
  std::vector<int64_t> found_ids;
  for (const User& user : found) found_ids.push_back(user.id);
  std::sort(found_ids.begin(), found_ids.end());
  EXPECT_EQ(found_ids, (std::vector<int64_t>{ann.id, bob.id, cid.id}));
  EXPECT_TRUE(store_->FindUsers({}, {}).empty());
  EXPECT_TRUE(store_->FindUsers({}, std::vector<std::string>{"dee%"}).empty()) << "no patterns";
  std::vector<int64_t> many(150);
  for (size_t i = 0; i < many.size(); ++i) many[i] = static_cast<int64_t>(i) + 1;
  EXPECT_EQ(store_->FindUsers(many, {}).size(), 4u);
}

TEST_P(StoreUsersTest, ListsUsersInCreationOrder) {
  CreateUser("first");
  CreateUser("second");
  std::vector<User> users = store_->ListUsers();
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0].screen_name, "first");
  EXPECT_EQ(users[1].screen_name, "second");
}

TEST_P(StoreUsersTest, ProfileUpdateReplacesGivenFieldsAndEmptyStringClears) {
  Result<User, ProfileViolation> created = store_->CreateUser(
      NewUser{"kim", "Kim", "Seoul", "hello", "https://kim.example", "kim@example.com"}, kNow);
  ASSERT_TRUE(created.ok());
  ProfileUpdate update;
  update.name = "Kim K";
  update.location = "";
  update.url = "https://new.example";
  auto result = store_->UpdateProfile(created->id, update);
  ASSERT_TRUE(result.ok());
  std::optional<User> updated = *result;
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->name, "Kim K");
  EXPECT_EQ(updated->location, std::nullopt);
  EXPECT_EQ(updated->description, "hello");
  EXPECT_EQ(updated->url, "https://new.example");
  EXPECT_EQ(updated->email, "kim@example.com");
  EXPECT_EQ(store_->FindUserById(created->id)->location, std::nullopt);
}

TEST_P(StoreUsersTest, ProfileUpdateOfUnknownUserReturnsNothing) {
  ProfileUpdate update;
  update.name = "Ghost";
  auto result = store_->UpdateProfile(12345, update);
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(*result);
}

// n copies of a character (UTF-8 text), for lengths counted in code points.
std::string Repeated(std::string_view character, int n) {
  std::string text;
  for (int i = 0; i < n; ++i) text += character;
  return text;
}

TEST_P(StoreUsersTest, ScreenNamesOutsideTwitterRulesAreRefusedAndNothingIsStored) {
  const ProfileViolation kInvalid{ProfileField::kScreenName, ProfileProblem::kInvalidCharacters};
  const std::string with_nul("nul\0x", 5);
  for (const std::string& name :
       {std::string("has space"), std::string("caf\xc3\xa9"), std::string("dash-name"),
        std::string("@jack"), std::string("dot.name"), std::string("tab\t"), with_nul}) {
    Result<User, ProfileViolation> created = store_->CreateUser(NamedUser(name), kNow);
    ASSERT_FALSE(created.ok()) << name;
    EXPECT_EQ(created.error(), kInvalid) << name;
  }
  Result<User, ProfileViolation> empty = store_->CreateUser(NamedUser(""), kNow);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error(), (ProfileViolation{ProfileField::kScreenName, ProfileProblem::kEmpty}));
  Result<User, ProfileViolation> sixteen = store_->CreateUser(NamedUser("abcdefghij_12345"), kNow);
  ASSERT_FALSE(sixteen.ok());
  EXPECT_EQ(sixteen.error(),
            (ProfileViolation{ProfileField::kScreenName, ProfileProblem::kTooLong}));
  EXPECT_TRUE(store_->ListUsers().empty());

  EXPECT_TRUE(store_->CreateUser(NamedUser("abcdefghij_1234"), kNow).ok());  // 15
  EXPECT_TRUE(store_->CreateUser(NamedUser("_"), kNow).ok());
  EXPECT_TRUE(store_->CreateUser(NamedUser("X9"), kNow).ok());
}

TEST_P(StoreUsersTest, ProfileFieldsAreLimitedInCodePointsNotBytes) {
  struct Case {
    ProfileField field;
    int max;
  };
  for (Case limit : {Case{ProfileField::kName, 50}, Case{ProfileField::kLocation, 30},
                     Case{ProfileField::kDescription, 160}, Case{ProfileField::kUrl, 100}}) {
    for (std::string_view character : {"a", "\xc3\xa9", "\xe2\x98\x95", "\xf0\x9f\x98\x80"}) {
      auto with = [&](int length) {
        NewUser user = NamedUser("u" + std::to_string(static_cast<int>(limit.field)) +
                                 std::to_string(character.size()) + std::to_string(length));
        const std::string text = Repeated(character, length);
        switch (limit.field) {
          case ProfileField::kName:
            user.name = text;
            break;
          case ProfileField::kLocation:
            user.location = text;
            break;
          case ProfileField::kDescription:
            user.description = text;
            break;
          default:
            user.url = text;
            break;
        }
        return store_->CreateUser(user, kNow);
      };
      EXPECT_TRUE(with(limit.max).ok()) << FieldName(limit.field) << " " << character;
      Result<User, ProfileViolation> over = with(limit.max + 1);
      ASSERT_FALSE(over.ok()) << FieldName(limit.field) << " " << character;
      EXPECT_EQ(over.error(), (ProfileViolation{limit.field, ProfileProblem::kTooLong}));
    }
  }
}

TEST_P(StoreUsersTest, ProfileTextThatIsNotUtf8IsRefused) {
  NewUser user = NamedUser("bytes");
  user.name = "caf\xe9";  // Latin-1
  Result<User, ProfileViolation> created = store_->CreateUser(user, kNow);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error(), (ProfileViolation{ProfileField::kName, ProfileProblem::kNotUtf8}));
  EXPECT_FALSE(store_->FindUserByScreenName("bytes"));
}

TEST_P(StoreUsersTest, AProfileUpdateBreakingARuleChangesNothing) {
  Result<User, ProfileViolation> created = store_->CreateUser(
      NewUser{"lee", "Lee", "Busan", "hi", "https://lee.example", std::nullopt}, kNow);
  ASSERT_TRUE(created.ok());
  ProfileUpdate update;
  update.name = "Lee L";
  update.description = Repeated("\xe2\x98\x95", 161);
  auto result = store_->UpdateProfile(created->id, update);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(),
            (ProfileViolation{ProfileField::kDescription, ProfileProblem::kTooLong}));
  std::optional<User> stored = store_->FindUserById(created->id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->name, "Lee");
  EXPECT_EQ(stored->description, "hi");

  update.description = Repeated("\xe2\x98\x95", 160);
  result = store_->UpdateProfile(created->id, update);
  ASSERT_TRUE(result.ok());
  ASSERT_TRUE(*result);
  EXPECT_EQ((*result)->name, "Lee L");
}

TEST_P(StoreAppsTest, CreatedAppHasTwitterShapedCredentials) {
  App app = store_->CreateApp("tweetdeck", kNow);
  EXPECT_EQ(app.name, "tweetdeck");
  EXPECT_EQ(app.consumer_key.size(), 25u);
  EXPECT_EQ(app.consumer_secret.size(), 50u);
  EXPECT_TRUE(IsAlphanumeric(app.consumer_key));
  EXPECT_TRUE(IsAlphanumeric(app.consumer_secret));
  EXPECT_FALSE(app.revoked);
  std::optional<App> found = store_->FindAppByConsumerKey(app.consumer_key);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, app.id);
  EXPECT_EQ(found->consumer_secret, app.consumer_secret);
  EXPECT_EQ(store_->ListApps().size(), 1u);
  EXPECT_FALSE(store_->FindAppByConsumerKey("unknown"));
}

TEST_P(StoreAppsTest, AccessTokenStartsWithUserIdAndIsFound) {
  User user = CreateUser("alice");
  App app = store_->CreateApp("client", kNow);
  AccessToken token = store_->CreateAccessToken(user.id, app.id, kNow);
  const std::string prefix = std::to_string(user.id) + "-";
  ASSERT_EQ(token.token.substr(0, prefix.size()), prefix);
  EXPECT_EQ(token.token.size(), prefix.size() + 40);
  EXPECT_TRUE(IsAlphanumeric(token.token.substr(prefix.size())));
  EXPECT_EQ(token.secret.size(), 45u);
  std::optional<AccessToken> found = store_->FindAccessToken(token.token);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->user_id, user.id);
  EXPECT_EQ(found->app_id, app.id);
  EXPECT_EQ(store_->ListAccessTokens().size(), 1u);
}

TEST_P(StoreAppsTest, RevokingAccessTokenMarksItRevoked) {
  User user = CreateUser("bob");
  App app = store_->CreateApp("client", kNow);
  AccessToken token = store_->CreateAccessToken(user.id, app.id, kNow);
  EXPECT_TRUE(store_->RevokeAccessToken(token.token));
  EXPECT_TRUE(store_->FindAccessToken(token.token)->revoked);
  EXPECT_FALSE(store_->RevokeAccessToken("1-unknown"));
}

TEST_P(StoreAppsTest, BearerTokenIsIssuedOnceAndReissuedAfterRevocation) {
  App app = store_->CreateApp("client", kNow);
  BearerToken first = store_->IssueBearerToken(app.id, kNow);
  EXPECT_EQ(first.token.substr(0, 21), std::string(21, 'A'));
  EXPECT_EQ(first.token.size(), 101u);
  BearerToken second = store_->IssueBearerToken(app.id, kNow + 10);
  EXPECT_EQ(second.token, first.token);
  EXPECT_TRUE(store_->RevokeBearerToken(first.token));
  EXPECT_TRUE(store_->FindBearerToken(first.token)->revoked);
  BearerToken third = store_->IssueBearerToken(app.id, kNow + 20);
  EXPECT_NE(third.token, first.token);
  EXPECT_FALSE(third.revoked);
}

TEST_P(StoreAppsTest, RevokingAppRevokesItsTokensOnly) {
  User user = CreateUser("carol");
  App app = store_->CreateApp("revoked", kNow);
  App other = store_->CreateApp("kept", kNow);
  AccessToken token = store_->CreateAccessToken(user.id, app.id, kNow);
  BearerToken bearer = store_->IssueBearerToken(app.id, kNow);
  AccessToken other_token = store_->CreateAccessToken(user.id, other.id, kNow);
  BearerToken other_bearer = store_->IssueBearerToken(other.id, kNow);

  EXPECT_TRUE(store_->RevokeApp(app.consumer_key));

  EXPECT_TRUE(store_->FindAppByConsumerKey(app.consumer_key)->revoked);
  EXPECT_TRUE(store_->FindAccessToken(token.token)->revoked);
  EXPECT_TRUE(store_->FindBearerToken(bearer.token)->revoked);
  EXPECT_FALSE(store_->FindAppByConsumerKey(other.consumer_key)->revoked);
  EXPECT_FALSE(store_->FindAccessToken(other_token.token)->revoked);
  EXPECT_FALSE(store_->FindBearerToken(other_bearer.token)->revoked);
  EXPECT_FALSE(store_->RevokeApp("no-such-key"));
}

TEST_P(StoreAppsTest, AppIsFoundByItsId) {
  App app = store_->CreateApp("by-id", kNow);
  std::optional<App> found = store_->FindAppById(app.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->consumer_key, app.consumer_key);
  EXPECT_FALSE(store_->FindAppById(app.id + 1000));
}

TEST_P(StoreRateWindowsTest, ListsOnlyTheOpenWindowsUnderAPrefixWithoutCountingThem) {
  store_->CountRequest("user:1|/users/show/:id", kNow, 900);
  store_->CountRequest("user:1|/users/show/:id", kNow + 1, 900);
  store_->CountRequest("user:1|/account/verify_credentials", kNow, 900);
  store_->CountRequest("user:1|/users/lookup", kNow - 1000, 900);  // closed by kNow
  store_->CountRequest("user:10|/users/show/:id", kNow, 900);
  store_->CountRequest("user:1}", kNow, 900);
  auto windows = store_->ListRateWindows("user:1|", kNow + 2);
  ASSERT_EQ(windows.size(), 2u);
  EXPECT_EQ(windows[0].first, "user:1|/account/verify_credentials");
  EXPECT_EQ(windows[0].second.count, 1);
  EXPECT_EQ(windows[1].first, "user:1|/users/show/:id");
  EXPECT_EQ(windows[1].second.count, 2);
  EXPECT_EQ(windows[1].second.end, kNow + 900);
  EXPECT_EQ(store_->ListRateWindows("user:1|", kNow + 3)[1].second.count, 2)
      << "listing counts none";
  EXPECT_TRUE(store_->ListRateWindows("user:2|", kNow).empty());
}

TEST_P(StoreRateWindowsTest, WindowCountsRequestsUntilItCloses) {
  contract::WindowCountsRequestsUntilItCloses(*store_, kNow);
}

TEST_P(StoreNoncesTest, SecondUseOfANonceIsAReplay) {
  EXPECT_TRUE(store_->RecordNonce("ck", "tok", "abc", kNow + 600, kNow));
  EXPECT_FALSE(store_->RecordNonce("ck", "tok", "abc", kNow + 610, kNow + 10));
}

TEST_P(StoreNoncesTest, SameNonceWithOtherConsumerOrTokenIsNotAReplay) {
  EXPECT_TRUE(store_->RecordNonce("ck", "tok", "abc", kNow + 600, kNow));
  EXPECT_TRUE(store_->RecordNonce("ck2", "tok", "abc", kNow + 600, kNow));
  EXPECT_TRUE(store_->RecordNonce("ck", "", "abc", kNow + 600, kNow));
}

TEST_P(StoreNoncesTest, ANonceWithoutATokenIsRecordedUnderTheEmptyToken) {
  // A consumer-only request (three-legged OAuth's request_token) has an empty token, which may
  // arrive as a default string_view whose data() is null: it is the empty string, not NULL.
  EXPECT_TRUE(store_->RecordNonce("ck", std::string_view(), "abc", kNow + 600, kNow));
  EXPECT_FALSE(store_->RecordNonce("ck", std::string_view(), "abc", kNow + 600, kNow + 1));
  EXPECT_FALSE(store_->RecordNonce("ck", std::string(), "abc", kNow + 600, kNow + 1));
  EXPECT_TRUE(store_->RecordNonce("ck", "tok", "abc", kNow + 600, kNow + 1));
}

TEST_P(StoreAppsTest, AnEmptyNameIsStoredAndReadBackAsTheEmptyString) {
  App app = store_->CreateApp(std::string_view(), kNow);  // apps.name is NOT NULL
  EXPECT_EQ(app.name, "");
  std::optional<App> found = store_->FindAppByConsumerKey(app.consumer_key);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->name, "");
}

TEST_P(StoreNoncesTest, ExpiredNonceMayBeUsedAgain) {
  EXPECT_TRUE(store_->RecordNonce("ck", "tok", "abc", kNow + 600, kNow));
  EXPECT_TRUE(store_->RecordNonce("ck", "tok", "abc", kNow + 1300, kNow + 600));
  EXPECT_FALSE(store_->RecordNonce("ck", "tok", "abc", kNow + 1400, kNow + 700));
}

TEST_P(StoreNoncesTest, NonceAcceptedOnOneNodeIsAReplayOnAnother) {
  std::unique_ptr<MetadataStore> node_b = OpenStore();
  EXPECT_TRUE(store_->RecordNonce("ck", "tok", "abc", kNow + 600, kNow));
  EXPECT_FALSE(node_b->RecordNonce("ck", "tok", "abc", kNow + 600, kNow + 1));
  EXPECT_TRUE(node_b->RecordNonce("ck", "tok", "def", kNow + 600, kNow + 1));
  EXPECT_FALSE(store_->RecordNonce("ck", "tok", "def", kNow + 600, kNow + 2));
}

TEST_P(StoreRateWindowsTest, NodesShareWindows) {
  std::unique_ptr<MetadataStore> node_b = OpenStore();
  contract::NodesShareWindows(*store_, *node_b, kNow);
}

TEST_P(StoreAppsTest, NodesIssuingABearerTokenAtOnceAgreeOnOne) {
  App app = store_->CreateApp("client", kNow);
  std::unique_ptr<MetadataStore> node_b = OpenStore();
  std::string first;
  std::string second;
  std::thread a([&] { first = store_->IssueBearerToken(app.id, kNow).token; });
  std::thread b([&] { second = node_b->IssueBearerToken(app.id, kNow).token; });
  a.join();
  b.join();
  EXPECT_EQ(first, second);
}

TEST_P(StoreAppsTest, AppAndAccessTokenAreFoundInOneRead) {
  User user = CreateUser("signer");
  App app = store_->CreateApp("client", kNow);
  App other = store_->CreateApp("other", kNow);
  AccessToken token = store_->CreateAccessToken(user.id, app.id, kNow);
  AccessToken others = store_->CreateAccessToken(user.id, other.id, kNow);

  std::optional<AppAndAccessToken> found =
      store_->FindAppAndAccessToken(app.consumer_key, token.token);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->app.id, app.id);
  EXPECT_EQ(found->app.consumer_secret, app.consumer_secret);
  ASSERT_TRUE(found->token);
  EXPECT_EQ(found->token->secret, token.secret);
  EXPECT_EQ(found->token->user_id, user.id);
  EXPECT_EQ(found->token->app_id, app.id);

  found = store_->FindAppAndAccessToken(app.consumer_key, others.token);
  ASSERT_TRUE(found && found->token);
  EXPECT_EQ(found->token->app_id, other.id) << "the caller sees whose token it is";
  found = store_->FindAppAndAccessToken(app.consumer_key, "no-such-token");
  ASSERT_TRUE(found);
  EXPECT_FALSE(found->token);
  EXPECT_FALSE(store_->FindAppAndAccessToken(app.consumer_key, "")->token);
  EXPECT_FALSE(store_->FindAppAndAccessToken("no-such-key", token.token));

  ASSERT_TRUE(store_->RevokeAccessToken(token.token));
  EXPECT_TRUE(store_->FindAppAndAccessToken(app.consumer_key, token.token)->token->revoked);
}

}  // namespace
}  // namespace portrait::store
