#pragma once
// Twitter's rules for screen names and profile fields. Every path that writes them checks them
// here and nowhere else: the store (CreateUser and UpdateProfile, on every backend, which refuse
// a violation and change nothing), hence the CLI, and the API's account/update_profile.
//
//  - screen_name: 1 to 15 characters of [A-Za-z0-9_], unique ignoring case (the store decides
//    uniqueness; SQLite's NOCASE and PostgreSQL's lower() agree on ASCII);
//  - name <= 50, location <= 30, description <= 160, url <= 100 characters, counted in Unicode
//    code points (not bytes: "café" is 4), and valid UTF-8 (a count of anything else means
//    nothing, and JSON cannot carry it).
// Empty location, description and url are fine (in a ProfileUpdate they clear the field);
// email is not a profile field and is not checked.
//
// Pure functions: thread-safe, never throw (except std::bad_alloc from Describe).
#include <optional>
#include <string>
#include <string_view>

#include "store/records.h"

namespace portrait::store {

enum class ProfileField { kScreenName, kName, kLocation, kDescription, kUrl, kLinkColor };

enum class ProfileProblem {
  kEmpty,              // a screen name with no characters
  kTooLong,            // more code points than MaxChars(field)
  kInvalidCharacters,  // a screen name with a character outside [A-Za-z0-9_]
  kNotUtf8,            // a text field that is not valid UTF-8
  kTaken,              // a screen name another user has, ignoring case: only the store says so
  kNotHexColour,       // a link colour that is not 3 or 6 hex digits
};

struct ProfileViolation {
  ProfileField field = ProfileField::kScreenName;
  ProfileProblem problem = ProfileProblem::kTooLong;
  bool operator==(const ProfileViolation&) const = default;
};

// The field's parameter name in Twitter's API: "screen_name", "name", "location",
// "description", "url", "profile_link_color".
std::string_view FieldName(ProfileField field);

// The field's maximum length in code points: 15, 50, 30, 160, 100, 6.
int MaxChars(ProfileField field);

// A sentence fragment naming the field, without a final period, for operators and clients:
//   "name is too long (maximum is 50 characters)"
//   "screen_name may only contain letters, digits and underscores"
//   "screen_name must not be empty", "location is not valid UTF-8",
//   "screen_name is already taken"
// account/update_profile answers a kTooLong as 403/120 "Account update failed: " + this + ".",
// which is Twitter's message.
std::string Describe(const ProfileViolation& violation);

// Each returns the first rule the value breaks, if any.
std::optional<ProfileViolation> CheckScreenName(std::string_view screen_name);
// For kName, kLocation, kDescription, kUrl: valid UTF-8 of at most MaxChars(field) code points.
std::optional<ProfileViolation> CheckProfileText(ProfileField field, std::string_view value);
// The screen name, then name, location, description and url, in that order.
std::optional<ProfileViolation> CheckNewUser(const NewUser& user);
// A link colour as a client sends it ("1DA1F2", "#1da1f2", "fff"), made the stored form: six
// upper-case hex digits; nothing when it is not one.
std::optional<std::string> NormalizeLinkColour(std::string_view colour);
// The fields the update sets, in the order name, location, description, url, link colour (which
// must be NormalizeLinkColour's form, or empty to clear it).
std::optional<ProfileViolation> CheckProfileUpdate(const ProfileUpdate& update);

}  // namespace portrait::store
