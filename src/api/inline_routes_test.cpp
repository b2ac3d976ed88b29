// Which requests ApiHandler answers inline (on the I/O thread) and that those answers are the
// ones Handle gives: over a real SQLite file and a real file blob store.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "api/api_context.h"
#include "api/api_handler.h"
#include "blob/blob_store.h"
#include "common/time_format.h"
#include "jobs/jobs_test_fixture.h"
#include "store/metadata_store.h"
#include "store/metadata_store_wrapper.h"

namespace portrait::api {
namespace {

constexpr std::string_view kImageKey = "profile_images/7/abcdef_normal.jpeg";
constexpr std::string_view kImagePath = "/profile_images/7/abcdef_normal.jpeg";

// A store that reads over a network, as PostgreSQL does.
class RemoteStore final : public store::MetadataStoreWrapper {
 public:
  using MetadataStoreWrapper::MetadataStoreWrapper;
  bool ReadsAreLocal() const override { return false; }
};

http::Request Get(std::string target, std::string authorization = "") {
  http::Request request;
  request.method = "GET";
  request.target = std::move(target);
  request.scheme = "http";
  request.host = "portrait.test";
  request.request_id = "test";
  if (!authorization.empty()) request.headers.emplace_back("Authorization", authorization);
  return request;
}

std::optional<std::string_view> HeaderOf(const http::Response& response, std::string_view name) {
  return http::FindHeader(response.headers, name);
}

// The jobs tests' SQLite store, file blob store and user "alice", plus a bearer token.
class InlineRoutesTest : public jobs::testing::JobRunnerFixture {
 protected:
  InlineRoutesTest() {
    store::App app = store_->CreateApp("inline", NowSeconds());
    bearer_ = "Bearer " + store_->IssueBearerToken(app.id, NowSeconds()).token;
  }

  ApiHandler& Handler(store::MetadataStore& store, int64_t users_show_limit = 900) {
    ApiOptions options;
    options.rate_limits.limits["rate-limit-users-show"] = users_show_limit;
    context_ = std::make_unique<ApiContext>(store, *blobs_, options, [] {});
    handler_ = std::make_unique<ApiHandler>(*context_);
    return *handler_;
  }
  ApiHandler& Handler() { return Handler(*store_); }

  std::string UsersShowTarget() const {
    return "/1.1/users/show.json?user_id=" + std::to_string(user_id_);
  }

  std::unique_ptr<ApiContext> context_;
  std::unique_ptr<ApiHandler> handler_;
  std::string bearer_;
};

TEST_F(InlineRoutesTest, BearerUsersShowIsAnsweredInlineAsHandleAnswersIt) {
  ApiHandler& handler = Handler();
  http::LogFields log;
  http::Request request = Get(UsersShowTarget(), bearer_);
  std::optional<http::Response> inline_answer = handler.HandleInline(request, log);
  ASSERT_TRUE(inline_answer);
  EXPECT_EQ(inline_answer->status, 200);
  EXPECT_NE(inline_answer->body.find("\"screen_name\":\"alice\""), std::string::npos);

  http::Request again = Get(UsersShowTarget(), bearer_);
  http::Response pooled = handler.Handle(again, log);
  EXPECT_EQ(pooled.body, inline_answer->body);
  // Both count against the same window.
  EXPECT_EQ(HeaderOf(*inline_answer, "x-rate-limit-remaining"), "899");
  EXPECT_EQ(HeaderOf(pooled, "x-rate-limit-remaining"), "898");
}

TEST_F(InlineRoutesTest, InlineUsersShowKeepsErrorsAndRateLimits) {
  ApiHandler& handler = Handler(*store_, /*users_show_limit=*/1);
  http::LogFields log;
  http::Request unknown_user = Get("/1.1/users/show.json?user_id=999999", bearer_);
  auto not_found = handler.HandleInline(unknown_user, log);
  ASSERT_TRUE(not_found);
  EXPECT_EQ(not_found->status, 404);
  EXPECT_NE(not_found->body.find("\"code\":50"), std::string::npos);

  http::Request over_limit = Get(UsersShowTarget(), bearer_);
  auto limited = handler.HandleInline(over_limit, log);
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->status, 429);

  http::Request bad_token = Get(UsersShowTarget(), "Bearer AAAAnotatoken");
  auto refused = handler.HandleInline(bad_token, log);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
}

TEST_F(InlineRoutesTest, WhatMayWaitGoesToThePool) {
  ApiHandler& handler = Handler();
  http::LogFields log;
  // OAuth 1.0a records its nonce (a durable write); uploads decode images; tokens are written.
  http::Request oauth = Get(UsersShowTarget(), "OAuth oauth_consumer_key=\"k\"");
  EXPECT_FALSE(handler.HandleInline(oauth, log));
  http::Request verify = Get("/1.1/account/verify_credentials.json", bearer_);
  EXPECT_FALSE(handler.HandleInline(verify, log));
  http::Request upload = Get("/1.1/account/update_profile_image.json", bearer_);
  upload.method = "POST";
  EXPECT_FALSE(handler.HandleInline(upload, log));
  http::Request readiness = Get("/readyz");
  EXPECT_FALSE(handler.HandleInline(readiness, log));
}

TEST_F(InlineRoutesTest, UsersShowGoesToThePoolWhenTheStoreReadsOverTheNetwork) {
  RemoteStore remote(*store_);
  ApiHandler& handler = Handler(remote);
  http::LogFields log;
  http::Request request = Get(UsersShowTarget(), bearer_);
  EXPECT_FALSE(handler.HandleInline(request, log));
  EXPECT_EQ(handler.Handle(request, log).status, 200);
}

TEST_F(InlineRoutesTest, AnImageIsAnsweredInlineOnceItIsInTheServingCache) {
  ApiHandler& handler = Handler();
  ASSERT_TRUE(blobs_->Put(kImageKey, "jpeg bytes").ok());
  http::LogFields log;
  http::Request first = Get(std::string(kImagePath));
  EXPECT_FALSE(handler.HandleInline(first, log)) << "not in memory yet: read on the pool";
  http::Response served = handler.Handle(first, log);
  ASSERT_EQ(served.status, 200);

  http::Request second = Get(std::string(kImagePath));
  second.headers.emplace_back("If-None-Match", "\"nothing\"");
  std::optional<http::Response> cached = handler.HandleInline(second, log);
  ASSERT_TRUE(cached);
  EXPECT_EQ(cached->status, 200);
  EXPECT_EQ(cached->body, "jpeg bytes");
  EXPECT_EQ(HeaderOf(*cached, "ETag"), HeaderOf(served, "ETag"));
  EXPECT_EQ(HeaderOf(*cached, "Content-Type"), "image/jpeg");

  http::Request revalidate = Get(std::string(kImagePath));
  revalidate.headers.emplace_back("If-None-Match", std::string(*HeaderOf(served, "ETag")));
  std::optional<http::Response> not_modified = handler.HandleInline(revalidate, log);
  ASSERT_TRUE(not_modified);
  EXPECT_EQ(not_modified->status, 304);

  // Deleted: gone from memory at once, so the pool answers (404).
  ASSERT_TRUE(blobs_->Delete(kImageKey).ok());
  http::Request after_delete = Get(std::string(kImagePath));
  EXPECT_FALSE(handler.HandleInline(after_delete, log));
  EXPECT_EQ(handler.Handle(after_delete, log).status, 404);
}

TEST_F(InlineRoutesTest, DefaultImagesAndHealthAreAnsweredInline) {
  ApiHandler& handler = Handler();
  http::LogFields log;
  http::Request health = Get("/healthz");
  auto healthy = handler.HandleInline(health, log);
  ASSERT_TRUE(healthy);
  EXPECT_EQ(healthy->status, 200);
  http::Request unknown = Get("/sticky/default_profile_images/nothing.png");
  auto missing = handler.HandleInline(unknown, log);
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
}

}  // namespace
}  // namespace portrait::api
