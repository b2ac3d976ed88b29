#include "store/profile_rules.h"

#include <boost/locale/utf.hpp>
#include <cctype>

namespace portrait::store {
namespace {

namespace utf = boost::locale::utf;

constexpr int kMaxScreenNameChars = 15;
constexpr int kMaxNameChars = 50;
constexpr int kMaxLocationChars = 30;
constexpr int kMaxDescriptionChars = 160;
constexpr int kMaxUrlChars = 100;
constexpr int kLinkColourChars = 6;

bool IsScreenNameChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

// The number of code points in text, or nothing when it is not valid UTF-8 (overlong forms,
// surrogates and truncated sequences included: Boost.Locale's decoder refuses them).
std::optional<size_t> CountCodePoints(std::string_view text) {
  size_t count = 0;
  const char* position = text.data();
  const char* const end = text.data() + text.size();
  while (position != end) {
    const utf::code_point decoded = utf::utf_traits<char>::decode(position, end);
    if (decoded == utf::illegal || decoded == utf::incomplete) return std::nullopt;
    ++count;
  }
  return count;
}

std::optional<ProfileViolation> CheckOptionalText(ProfileField field,
                                                  const std::optional<std::string>& value) {
  if (!value) return std::nullopt;
  return CheckProfileText(field, *value);
}

}  // namespace

std::string_view FieldName(ProfileField field) {
  switch (field) {
    case ProfileField::kScreenName:
      return "screen_name";
    case ProfileField::kName:
      return "name";
    case ProfileField::kLocation:
      return "location";
    case ProfileField::kDescription:
      return "description";
    case ProfileField::kUrl:
      return "url";
    case ProfileField::kLinkColor:
      return "profile_link_color";
  }
  return "field";
}

int MaxChars(ProfileField field) {
  switch (field) {
    case ProfileField::kScreenName:
      return kMaxScreenNameChars;
    case ProfileField::kName:
      return kMaxNameChars;
    case ProfileField::kLocation:
      return kMaxLocationChars;
    case ProfileField::kDescription:
      return kMaxDescriptionChars;
    case ProfileField::kUrl:
      return kMaxUrlChars;
    case ProfileField::kLinkColor:
      return kLinkColourChars;
  }
  return 0;
}

std::string Describe(const ProfileViolation& violation) {
  const std::string field(FieldName(violation.field));
  switch (violation.problem) {
    case ProfileProblem::kEmpty:
      return field + " must not be empty";
    case ProfileProblem::kTooLong:
      return field + " is too long (maximum is " + std::to_string(MaxChars(violation.field)) +
             " characters)";
    case ProfileProblem::kInvalidCharacters:
      return field + " may only contain letters, digits and underscores";
    case ProfileProblem::kNotUtf8:
      return field + " is not valid UTF-8";
    case ProfileProblem::kTaken:
      return field + " is already taken";
    case ProfileProblem::kNotHexColour:
      return field + " must be a hex colour (3 or 6 hex digits)";
  }
  return field + " is invalid";
}

std::optional<ProfileViolation> CheckScreenName(std::string_view screen_name) {
  constexpr ProfileField kField = ProfileField::kScreenName;
  if (screen_name.empty()) return ProfileViolation{kField, ProfileProblem::kEmpty};
  for (char c : screen_name) {
    if (!IsScreenNameChar(c)) return ProfileViolation{kField, ProfileProblem::kInvalidCharacters};
  }
  if (screen_name.size() > static_cast<size_t>(kMaxScreenNameChars)) {
    return ProfileViolation{kField, ProfileProblem::kTooLong};
  }
  return std::nullopt;
}

std::optional<ProfileViolation> CheckProfileText(ProfileField field, std::string_view value) {
  std::optional<size_t> code_points = CountCodePoints(value);
  if (!code_points) return ProfileViolation{field, ProfileProblem::kNotUtf8};
  if (*code_points > static_cast<size_t>(MaxChars(field))) {
    return ProfileViolation{field, ProfileProblem::kTooLong};
  }
  return std::nullopt;
}

std::optional<ProfileViolation> CheckNewUser(const NewUser& user) {
  if (auto violation = CheckScreenName(user.screen_name)) return violation;
  if (auto violation = CheckProfileText(ProfileField::kName, user.name)) return violation;
  if (auto violation = CheckOptionalText(ProfileField::kLocation, user.location)) return violation;
  if (auto violation = CheckOptionalText(ProfileField::kDescription, user.description)) {
    return violation;
  }
  return CheckOptionalText(ProfileField::kUrl, user.url);
}

std::optional<std::string> NormalizeLinkColour(std::string_view colour) {
  if (!colour.empty() && colour.front() == '#') colour.remove_prefix(1);
  if (colour.size() != 3 && colour.size() != 6) return std::nullopt;
  std::string normal;
  for (char c : colour) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
    const char upper = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    normal.append(colour.size() == 3 ? 2 : 1, upper);  // "fff" is "FFFFFF", as in CSS
  }
  return normal;
}

std::optional<ProfileViolation> CheckProfileUpdate(const ProfileUpdate& update) {
  if (auto violation = CheckOptionalText(ProfileField::kName, update.name)) return violation;
  if (auto violation = CheckOptionalText(ProfileField::kLocation, update.location)) {
    return violation;
  }
  if (auto violation = CheckOptionalText(ProfileField::kDescription, update.description)) {
    return violation;
  }
  if (auto violation = CheckOptionalText(ProfileField::kUrl, update.url)) return violation;
  if (update.profile_link_color && !update.profile_link_color->empty() &&
      NormalizeLinkColour(*update.profile_link_color) != update.profile_link_color) {
    return ProfileViolation{ProfileField::kLinkColor, ProfileProblem::kNotHexColour};
  }
  return std::nullopt;
}

}  // namespace portrait::store
