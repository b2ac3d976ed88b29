#include "store/profile_rules.h"

#include <gtest/gtest.h>

namespace portrait::store {
namespace {

std::string Repeated(std::string_view character, int n) {
  std::string text;
  for (int i = 0; i < n; ++i) text += character;
  return text;
}

TEST(ProfileRules, NamesEachFieldAsTheApiDoesWithTwitterMaxima) {
  EXPECT_EQ(FieldName(ProfileField::kScreenName), "screen_name");
  EXPECT_EQ(FieldName(ProfileField::kDescription), "description");
  EXPECT_EQ(MaxChars(ProfileField::kScreenName), 15);
  EXPECT_EQ(MaxChars(ProfileField::kName), 50);
  EXPECT_EQ(MaxChars(ProfileField::kLocation), 30);
  EXPECT_EQ(MaxChars(ProfileField::kDescription), 160);
  EXPECT_EQ(MaxChars(ProfileField::kUrl), 100);
}

TEST(ProfileRules, DescribesEachViolationInTwitterWords) {
  EXPECT_EQ(Describe({ProfileField::kName, ProfileProblem::kTooLong}),
            "name is too long (maximum is 50 characters)");
  EXPECT_EQ(Describe({ProfileField::kScreenName, ProfileProblem::kInvalidCharacters}),
            "screen_name may only contain letters, digits and underscores");
  EXPECT_EQ(Describe({ProfileField::kScreenName, ProfileProblem::kTaken}),
            "screen_name is already taken");
  EXPECT_EQ(Describe({ProfileField::kLocation, ProfileProblem::kNotUtf8}),
            "location is not valid UTF-8");
}

TEST(ProfileRules, AcceptsScreenNamesOfOneToFifteenLettersDigitsAndUnderscores) {
  for (std::string_view name :
       {"a", "_", "Z9", "jack_dorsey", "ABCDEFGHIJKLMNO", "123456789012345"}) {
    EXPECT_EQ(CheckScreenName(name), std::nullopt) << name;
  }
}

TEST(ProfileRules, RefusesOtherScreenNamesWithTheBrokenRule) {
  auto problem = [](std::string_view name) { return CheckScreenName(name)->problem; };
  EXPECT_EQ(problem(""), ProfileProblem::kEmpty);
  EXPECT_EQ(problem("ABCDEFGHIJKLMNOP"), ProfileProblem::kTooLong);
  for (std::string_view name : {"a b", "a-b", "a.b", "@a", "caf\xc3\xa9", "\xef\xbc\xa1", "a\n"}) {
    EXPECT_EQ(problem(name), ProfileProblem::kInvalidCharacters) << name;
  }
}

TEST(ProfileRules, CountsProfileTextInCodePoints) {
  EXPECT_EQ(CheckProfileText(ProfileField::kLocation, Repeated("\xf0\x9f\x98\x80", 30)),
            std::nullopt);  // 120 bytes
  EXPECT_EQ(CheckProfileText(ProfileField::kLocation, Repeated("\xf0\x9f\x98\x80", 31)),
            (ProfileViolation{ProfileField::kLocation, ProfileProblem::kTooLong}));
  EXPECT_EQ(CheckProfileText(ProfileField::kUrl, ""), std::nullopt);
}

TEST(ProfileRules, RefusesTextThatIsNotUtf8) {
  for (std::string_view text : {"\xe9", "\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                                "ok\xff"}) {  // Latin-1, truncated, overlong, surrogate, > U+10FFFF
    EXPECT_EQ(CheckProfileText(ProfileField::kName, text),
              (ProfileViolation{ProfileField::kName, ProfileProblem::kNotUtf8}))
        << text;
  }
}

TEST(ProfileRules, ChecksANewUserScreenNameFirstThenEachField) {
  NewUser user{"bad name",   std::string(51, 'n'), std::nullopt,
               std::nullopt, std::nullopt,         std::nullopt};
  EXPECT_EQ(CheckNewUser(user)->field, ProfileField::kScreenName);
  user.screen_name = "good";
  EXPECT_EQ(CheckNewUser(user)->field, ProfileField::kName);
  user.name = "Good";
  user.url = std::string(101, 'u');
  EXPECT_EQ(CheckNewUser(user), (ProfileViolation{ProfileField::kUrl, ProfileProblem::kTooLong}));
  user.url = std::string(100, 'u');
  EXPECT_EQ(CheckNewUser(user), std::nullopt);
}

TEST(ProfileRules, ChecksOnlyTheFieldsAnUpdateSets) {
  ProfileUpdate update;
  EXPECT_EQ(CheckProfileUpdate(update), std::nullopt);
  update.email = std::string(500, 'e');  // not a profile field
  EXPECT_EQ(CheckProfileUpdate(update), std::nullopt);
  update.location = "";  // clears
  EXPECT_EQ(CheckProfileUpdate(update), std::nullopt);
  update.description = std::string(161, 'd');
  EXPECT_EQ(CheckProfileUpdate(update),
            (ProfileViolation{ProfileField::kDescription, ProfileProblem::kTooLong}));
}

TEST(ProfileRules, LinkColoursAreThreeOrSixHexDigitsStoredAsSixUpperCase) {
  EXPECT_EQ(NormalizeLinkColour("1da1f2"), "1DA1F2");
  EXPECT_EQ(NormalizeLinkColour("#1DA1F2"), "1DA1F2");
  EXPECT_EQ(NormalizeLinkColour("f0a"), "FF00AA");
  for (std::string_view bad : {"", "#", "1da1f", "1da1f2f", "ggg", "12345g", "#12 345", "red"}) {
    EXPECT_EQ(NormalizeLinkColour(bad), std::nullopt) << bad;
  }
  ProfileUpdate update;
  update.profile_link_color = "1DA1F2";
  EXPECT_EQ(CheckProfileUpdate(update), std::nullopt);
  update.profile_link_color = "";  // clears
  EXPECT_EQ(CheckProfileUpdate(update), std::nullopt);
  update.profile_link_color = "1da1f2";  // not the stored form
  EXPECT_EQ(CheckProfileUpdate(update),
            (ProfileViolation{ProfileField::kLinkColor, ProfileProblem::kNotHexColour}));
  EXPECT_EQ(Describe(*CheckProfileUpdate(update)),
            "profile_link_color must be a hex colour (3 or 6 hex digits)");
}

}  // namespace
}  // namespace portrait::store
