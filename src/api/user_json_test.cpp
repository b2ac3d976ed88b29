#include "api/user_json.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace portrait::api {
namespace {

namespace json = boost::json;

store::User SampleUser() {
  store::User user;
  user.id = 776627022;
  user.screen_name = "s0c1alm3dia";
  user.name = "Sean Test";
  user.description = "Keep calm and test https://example.com";
  user.url = "http://twitter.com";
  user.created_at = 1345751107;
  return user;
}

const ImageBase kBase{"http://h:8080", "https://h:8443"};

TEST(UserJson, HasSeedFieldsInAlphabeticalOrder) {
  json::object o = json::parse(UserJson(SampleUser(), kBase, {})).as_object();
  std::string previous;
  for (const auto& entry : o) {
    EXPECT_LT(previous, std::string(entry.key())) << "out of order: " << entry.key();
    previous = std::string(entry.key());
  }
  EXPECT_EQ(o.at("id").as_int64(), 776627022);
  EXPECT_EQ(o.at("id_str").as_string(), "776627022");
  EXPECT_EQ(o.at("created_at").as_string(), "Thu Aug 23 19:45:07 +0000 2012");
  EXPECT_TRUE(o.at("location").is_null());
  EXPECT_FALSE(o.contains("email"));
  EXPECT_FALSE(o.contains("status"));
}

TEST(UserJson, DefaultImageUntilUploaded) {
  store::User user = SampleUser();
  json::object o = json::parse(UserJson(user, kBase, {})).as_object();
  EXPECT_TRUE(o.at("default_profile_image").as_bool());
  EXPECT_EQ(o.at("profile_image_url").as_string(),
            "http://h:8080/sticky/default_profile_images/default_profile_normal.png");
  user.image = store::ProfileImage{42, "abc123", "jpeg"};
  o = json::parse(UserJson(user, kBase, {})).as_object();
  EXPECT_FALSE(o.at("default_profile_image").as_bool());
  EXPECT_EQ(o.at("profile_image_url").as_string(),
            "http://h:8080/profile_images/42/abc123_normal.jpeg");
  EXPECT_EQ(o.at("profile_image_url_https").as_string(),
            "https://h:8443/profile_images/42/abc123_normal.jpeg");
}

TEST(UserJson, EntitiesAndEmailFollowOptions) {
  UserJsonOptions options;
  options.include_entities = false;
  options.include_email = true;
  store::User user = SampleUser();
  user.email = "sean@example.com";
  json::object o = json::parse(UserJson(user, kBase, options)).as_object();
  EXPECT_FALSE(o.contains("entities"));
  EXPECT_EQ(o.at("email").as_string(), "sean@example.com");

  o = json::parse(UserJson(user, kBase, {})).as_object();
  const json::array& url_urls = o.at("entities").at("url").at("urls").as_array();
  ASSERT_EQ(url_urls.size(), 1u);
  EXPECT_EQ(url_urls[0].at("indices").as_array()[1].as_int64(), 18);
  const json::array& description_urls = o.at("entities").at("description").at("urls").as_array();
  ASSERT_EQ(description_urls.size(), 1u);
  EXPECT_EQ(description_urls[0].at("indices").as_array()[0].as_int64(), 19);
}

}  // namespace
}  // namespace portrait::api
