#pragma once
// Portrait's web pages (SPEC §8) as HTML, from plain values: what each page shows, never how
// it was asked for. Every value goes through Fill (html.h), so every one is escaped. The pages
// work without JavaScript and carry none; the only style is the stylesheet below, served by
// Portrait at kStylesheetPath. Forms post back to Portrait and carry the csrf_token given.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "web/html.h"

namespace portrait::web {

inline constexpr std::string_view kStylesheetPath = "/static/portrait.css";
// The stylesheet itself (text/css).
std::string_view Stylesheet();

// What every page shares: its title and the header, which offers sign-out to a signed-in
// person (a form, so it needs her session's CSRF token).
struct Frame {
  std::string title;
  std::optional<std::string> signed_in_as;  // the screen name
  std::string csrf_token;                   // the session's, when signed in
  bool refresh = false;                     // reload every few seconds (an image processing)
  // Whether the header names the signed-in person (not on the PIN page: a screen name may hold
  // seven digits, and the PIN must be the page's only 7-digit number).
  bool name_in_header = true;
};

// An app as the authorize and connected-apps pages describe it.
struct AppView {
  std::string name;
  std::string description;
  std::string website;  // linked only when it is an http(s) URL
  bool read_write = false;
};

// The fields of a sign-in form.
struct SignInForm {
  std::string csrf_token;
  std::string screen_name;  // pre-filled
  std::string error;        // shown above the fields; "" for none
};

// /login: the sign-in form; next is where a successful sign-in goes.
Html SignInPage(const Frame& frame, const SignInForm& form, std::string_view next,
                bool sign_up_open);
// /signup (when the operator opened sign-up).
Html SignUpPage(const Frame& frame, const SignInForm& form);
// /logout when signed in: a button that signs out.
Html SignOutPage(const Frame& frame);
// After signing out.
Html SignedOutPage(const Frame& frame);

struct AuthorizeView {
  AppView app;
  std::string oauth_token;
  std::string csrf_token;
  // The sign-in fields are shown when nobody is signed in, or force_login asked for them.
  bool ask_credentials = true;
  bool force_login = false;
  std::string screen_name;         // pre-filled (the screen_name parameter)
  std::string error;               // a failed sign-in
  std::string switch_account_url;  // this page with force_login=true, for "not you?"
};

// /oauth/authorize and /oauth/authenticate: who asks, for what, Authorize and Cancel.
Html AuthorizePage(const Frame& frame, const AuthorizeView& view);
// After Authorize for an "oob" request token: the 7-digit PIN, the only 7-digit number shown.
Html PinPage(const Frame& frame, std::string_view app_name, std::string_view pin);
// After Cancel for an "oob" request token.
Html DeniedPage(const Frame& frame, std::string_view app_name);
// A request token that is unknown, expired or already used.
Html InvalidRequestTokenPage(const Frame& frame);

struct ConnectedAppView {
  int64_t app_id = 0;
  AppView app;
  std::string authorized_on;  // "2 March 2025"
};

// /settings/applications: the apps the person authorized, each with a Revoke button.
Html ConnectedAppsPage(const Frame& frame, const std::vector<ConnectedAppView>& apps,
                       std::string_view notice);

struct ImageVariantView {
  std::string name;  // "400x400"
  std::string url;
  int width = 0;
  int height = 0;  // 0: as tall as the aspect makes it
};

struct ProfileView {
  std::string screen_name;
  std::string name;
  std::vector<ImageVariantView> variants;  // the current image, every variant
  std::string notice;                      // "Your new image is being processed."
  std::string error;                       // the API's message for a refused upload
  std::string csrf_token;
};

// /settings/profile: the current image in every variant and a form to upload a new one.
Html ProfilePage(const Frame& frame, const ProfileView& view);

// A page that says what went wrong (a refused form, an unknown page, a fault).
Html ErrorPage(const Frame& frame, std::string_view message);

}  // namespace portrait::web
