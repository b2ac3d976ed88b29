#include "signin/app_settings.h"

#include <gtest/gtest.h>

#include <string>

namespace portrait::signin {
namespace {

store::NewApp Valid() {
  store::NewApp app;
  app.name = "Photo Client";
  app.description = "Changes your profile image";
  app.website = "https://photos.example";
  app.callback_urls = {"https://photos.example/cb", "http://127.0.0.1:8000/cb"};
  return app;
}

TEST(AppSettingsTest, AcceptsAWellFormedApp) {
  EXPECT_TRUE(CheckNewApp(Valid()).ok());
  store::NewApp minimal;
  minimal.name = "x";
  EXPECT_TRUE(CheckNewApp(minimal).ok());
}

TEST(AppSettingsTest, RefusesBadNamesDescriptionsAndWebsites) {
  store::NewApp app = Valid();
  app.name = "";
  EXPECT_FALSE(CheckNewApp(app).ok());
  app.name = std::string(33, 'n');
  EXPECT_FALSE(CheckNewApp(app).ok());
  app.name = "line\nbreak";
  EXPECT_FALSE(CheckNewApp(app).ok());
  app = Valid();
  app.description = std::string(201, 'd');
  EXPECT_FALSE(CheckNewApp(app).ok());
  app = Valid();
  app.website = "javascript:alert(1)";
  EXPECT_FALSE(CheckNewApp(app).ok());
  app.website = "oob";
  EXPECT_FALSE(CheckNewApp(app).ok());
}

TEST(AppSettingsTest, RefusesBadTooManyOrRepeatedCallbacks) {
  store::NewApp app = Valid();
  app.callback_urls = {"https://photos.example/cb?state=1"};
  EXPECT_FALSE(CheckNewApp(app).ok());
  app.callback_urls = {"https://photos.example/cb\nhttps://evil.example/"};
  EXPECT_FALSE(CheckNewApp(app).ok());
  app.callback_urls = {"https://a.example/", "https://a.example/"};
  EXPECT_FALSE(CheckNewApp(app).ok());
  app.callback_urls.clear();
  for (int i = 0; i < 11; ++i)
    app.callback_urls.push_back("https://a.example/" + std::to_string(i));
  Status eleven = CheckNewApp(app);
  ASSERT_FALSE(eleven.ok());
  EXPECT_NE(eleven.message().find("at most 10"), std::string::npos) << eleven.message();
}

TEST(AppSettingsTest, UpdateIsCheckedOnlyForWhatItSets) {
  store::AppUpdate update;
  EXPECT_TRUE(CheckAppUpdate(update).ok());
  update.website = "https://new.example";
  EXPECT_TRUE(CheckAppUpdate(update).ok());
  update.callback_urls = std::vector<std::string>{"ftp://x.example/"};
  EXPECT_FALSE(CheckAppUpdate(update).ok());
  update.callback_urls = std::vector<std::string>{};
  update.name = "";
  EXPECT_FALSE(CheckAppUpdate(update).ok());
}

}  // namespace
}  // namespace portrait::signin
