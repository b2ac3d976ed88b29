#pragma once
// What Portrait's pages (the page rows of routes.h) share beyond their HTML (web/pages.h): the
// browser's session from its cookies, whether a posted form came from Portrait's own page, the
// cookies of signing in and out, and the headers every page carries.
//
// Cookies (HttpOnly, SameSite=Lax, Path=/, Secure when the client used https, no expiry):
//  - kSessionCookie: the session id (signin::WebSessions), set at sign-in and never before;
//  - kFormTokenCookie: a random token of a browser nobody signed in to, which its sign-in and
//    sign-up forms carry (OWASP's double-submit cookie against login CSRF; the browser has no
//    session whose token they could carry).
// A POST form is genuine when its Origin header, if sent, is this server as the client used it
// (scheme://host), and its csrf_token equals, in constant time, the session's token when the
// browser is signed in, or else its form-token cookie.
//
// Page headers: text/html;charset=utf-8, Content-Security-Policy default-src 'self' (images
// also from the configured image base URL), frame-ancestors 'none', X-Frame-Options DENY,
// X-Content-Type-Options nosniff, Referrer-Policy same-origin, Cache-Control no-store.
#include <optional>
#include <string>
#include <string_view>

#include "api/api_context.h"
#include "api/endpoints.h"
#include "http/message.h"
#include "signin/accounts.h"
#include "signin/password.h"
#include "web/html.h"
#include "web/pages.h"

namespace portrait::api {

inline constexpr std::string_view kSessionCookie = "portrait_session";
inline constexpr std::string_view kFormTokenCookie = "portrait_csrf";
inline constexpr std::string_view kHtmlContentType = "text/html;charset=utf-8";

// The browser as its cookies say: its live session and person (the session's idle expiry moved
// on), and the token its forms carry.
BrowserCall ResumeBrowser(ApiContext& context, const http::Request& request, int64_t now);

// The fields of a posted form: an application/x-www-form-urlencoded body, or the parts of a
// multipart/form-data body that are not files (at most kMaxFormFieldBytes each; longer ones are
// left out). Nothing for other bodies.
inline constexpr size_t kMaxFormFieldBytes = 8192;
Params FormFields(const http::Request& request);

// Whether a POST came from one of Portrait's forms in this browser (see above).
bool FormIsGenuine(const http::Request& request, const BrowserCall& browser);

// Signs user in in this browser: ends the session it held, if any, starts a new one (a new id
// and a new CSRF token) and sets its cookie; browser then describes the new session.
void StartSession(ApiContext& context, const http::Request& request, BrowserCall& browser,
                  const store::User& user, int64_t now);
// Signs the browser out: deletes its session and clears the cookie.
void EndSession(ApiContext& context, const http::Request& request, BrowserCall& browser);

// The frame of a page for this browser (its person and the token of her sign-out button).
web::Frame FrameFor(const BrowserCall& browser, std::string title);

// A page (the page headers are added by the dispatcher).
http::Response PageResponse(const web::Html& page, int status = 200);
// 303 See Other to location (a local path, or an app's approved callback).
http::Response RedirectResponse(std::string_view location);
// An error page with a title and a sentence.
http::Response ErrorPageResponse(const BrowserCall* browser, int status, std::string title,
                                 std::string_view message);

// Adds the page headers and, when browser is given, the cookies it set (and the form-token
// cookie when one was made for this response).
void FinishPage(const ApiContext& context, const http::Request& request, const BrowserCall* browser,
                http::Response& response);

// next when it is a path on this server ("/settings/profile?x=1", never "//elsewhere" nor
// "/\\elsewhere" nor a full URL), fallback otherwise: where a sign-in may send the browser.
std::string LocalPathOr(std::optional<std::string_view> next, std::string_view fallback);

// What a sign-in form says to a refused sign-in, with its status: 403 for wrong credentials
// (one answer for an unknown name and a wrong password), 429 for a throttled name or address.
std::string_view SignInRefusalMessage(signin::SignInRefusal refusal);
int SignInRefusalStatus(signin::SignInRefusal refusal);

// The form's "password" field as a Password, its copy in the form wiped; nothing when it is
// absent or empty.
std::optional<signin::Password> TakePassword(Params& form);

}  // namespace portrait::api
