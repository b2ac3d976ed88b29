// oauth/authorize and oauth/authenticate (SPEC §8): the page that asks a person whether an app
// may use her account, and what her answer does.
#include "api/browser.h"
#include "api/endpoints.h"
#include "common/time_format.h"
#include "signin/callback_url.h"
#include "web/pages.h"

namespace portrait::api {
namespace {

constexpr int kBadRequest = 400;

web::AppView AppViewOf(const store::App& app, store::AccessLevel level) {
  return web::AppView{app.name, app.description, app.website,
                      level == store::AccessLevel::kReadWrite};
}

http::Response InvalidToken(const BrowserCall& browser) {
  return PageResponse(web::InvalidRequestTokenPage(FrameFor(browser, "Invalid request")),
                      kBadRequest);
}

// What the page shows for a pending request token.
struct AskOptions {
  bool force_login = false;
  std::string screen_name;
  std::string error;
  int status = 200;
};

http::Response Ask(const BrowserCall& browser, const signin::PendingAuthorization& pending,
                   const AskOptions& ask) {
  web::AuthorizeView view;
  view.app = AppViewOf(pending.app, pending.token.access_level);
  view.oauth_token = pending.token.token;
  view.csrf_token = browser.form_token;
  view.ask_credentials = !browser.user || ask.force_login;
  view.force_login = ask.force_login;
  view.screen_name = ask.screen_name;
  view.error = ask.error;
  view.switch_account_url =
      "/oauth/authorize?oauth_token=" + PercentEncode(pending.token.token) + "&force_login=true";
  return PageResponse(web::AuthorizePage(FrameFor(browser, "Authorize an app"), view), ask.status);
}

// Authorizes the request token for the signed-in person: back to the app's callback with the
// verifier, or the PIN page for "oob".
http::Response Grant(ApiContext& context, const BrowserCall& browser, std::string_view token) {
  auto authorized = context.flow.Authorize(token, browser.user->id, NowSeconds());
  if (!authorized.ok()) return InvalidToken(browser);
  if (authorized->redirect) return RedirectResponse(*authorized->redirect);
  return PageResponse(
      web::PinPage(FrameFor(browser, "Your PIN"), authorized->app.name, authorized->verifier));
}

// GET authorize and authenticate read oauth_token, force_login and screen_name, and ignore
// every other parameter (twurl's URL carries all the oauth_* values of a signed request).
http::Response Show(ApiContext& context, const http::Request& request, Call& call,
                    bool authenticate) {
  const BrowserCall& browser = *call.browser;
  const Params query = ParseUrlEncoded(request.query());
  const std::string_view token = FindParam(query, "oauth_token").value_or("");
  std::optional<signin::PendingAuthorization> pending =
      context.flow.FindPending(token, NowSeconds());
  if (!pending) return InvalidToken(browser);
  AskOptions ask;
  ask.force_login = IsTrueFlag(FindParam(query, "force_login"));
  ask.screen_name = std::string(FindParam(query, "screen_name").value_or(""));
  if (ask.screen_name.starts_with('@')) ask.screen_name.erase(0, 1);
  if (authenticate && browser.user && !ask.force_login &&
      context.flow.AlreadyAuthorized(browser.user->id, pending->app.id)) {
    return Grant(context, browser, token);
  }
  return Ask(browser, *pending, ask);
}

}  // namespace

http::Response AuthorizePage(ApiContext& context, const http::Request& request, Call& call) {
  return Show(context, request, call, /*authenticate=*/false);
}

http::Response AuthenticatePage(ApiContext& context, const http::Request& request, Call& call) {
  return Show(context, request, call, /*authenticate=*/true);
}

// The form: Cancel denies at once, signed in or not; Authorize signs in first when the form
// asked for credentials (nobody signed in, or force_login).
http::Response AuthorizeDecision(ApiContext& context, const http::Request& request, Call& call) {
  BrowserCall& browser = *call.browser;
  const std::string token(FindParam(browser.form, "oauth_token").value_or(""));
  const int64_t now = NowSeconds();
  if (FindParam(browser.form, "cancel")) {
    auto denied = context.flow.Deny(token, now);
    if (!denied.ok()) return InvalidToken(browser);
    if (denied->redirect) return RedirectResponse(*denied->redirect);
    return PageResponse(web::DeniedPage(FrameFor(browser, "Cancelled"), denied->app.name));
  }
  std::optional<signin::PendingAuthorization> pending = context.flow.FindPending(token, now);
  if (!pending) return InvalidToken(browser);
  AskOptions ask;
  ask.force_login = IsTrueFlag(FindParam(browser.form, "force_login"));
  ask.screen_name = std::string(FindParam(browser.form, "screen_name").value_or(""));
  std::optional<signin::Password> password = TakePassword(browser.form);
  if (!browser.user || ask.force_login) {
    if (ask.screen_name.empty() || !password) {
      ask.error = "Enter your screen name and password.";
      ask.status = kBadRequest;
      return Ask(browser, *pending, ask);
    }
    auto user = context.accounts.SignIn(ask.screen_name, *password, request.client_address, now);
    if (!user.ok()) {
      ask.error = std::string(SignInRefusalMessage(user.error()));
      ask.status = SignInRefusalStatus(user.error());
      return Ask(browser, *pending, ask);
    }
    StartSession(context, request, browser, *user, now);
  }
  call.log.user_id = browser.user->id;
  return Grant(context, browser, token);
}

}  // namespace portrait::api
