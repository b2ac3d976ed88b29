// The pages of signing in and out, and of open sign-up (SPEC §8).
#include <cctype>

#include "api/browser.h"
#include "api/endpoints.h"
#include "common/time_format.h"
#include "signin/accounts.h"
#include "web/pages.h"

namespace portrait::api {
namespace {

constexpr std::string_view kAfterSignIn = "/settings/profile";

// "a password takes at least 8 characters" -> "A password takes at least 8 characters."
std::string Sentence(std::string text) {
  if (!text.empty()) text.front() = static_cast<char>(std::toupper(text.front()));
  return text + ".";
}

http::Response SignInPageResponse(const BrowserCall& browser, const ApiContext& context,
                                  std::string_view screen_name, std::string_view next,
                                  std::string error, int status) {
  web::SignInForm form{browser.form_token, std::string(screen_name), std::move(error)};
  return PageResponse(web::SignInPage(FrameFor(browser, "Sign in"), form, next,
                                      context.options.signin.open_sign_up),
                      status);
}

}  // namespace

http::Response Home(ApiContext& context, const http::Request& request, Call& call) {
  return RedirectResponse(call.browser->user ? kAfterSignIn : "/login");
}

http::Response SignInForm(ApiContext& context, const http::Request& request, Call& call) {
  const Params query = ParseUrlEncoded(request.query());
  const std::string next = LocalPathOr(FindParam(query, "next"), kAfterSignIn);
  return SignInPageResponse(*call.browser, context, FindParam(query, "screen_name").value_or(""),
                            next, "", 200);
}

http::Response SignIn(ApiContext& context, const http::Request& request, Call& call) {
  BrowserCall& browser = *call.browser;
  const std::string screen_name(FindParam(browser.form, "screen_name").value_or(""));
  const std::string next = LocalPathOr(FindParam(browser.form, "next"), kAfterSignIn);
  std::optional<signin::Password> password = TakePassword(browser.form);
  if (screen_name.empty() || !password) {
    return SignInPageResponse(browser, context, screen_name, next,
                              "Enter your screen name and password.", 400);
  }
  const int64_t now = NowSeconds();
  auto user = context.accounts.SignIn(screen_name, *password, request.client_address, now);
  if (!user.ok()) {
    return SignInPageResponse(browser, context, screen_name, next,
                              std::string(SignInRefusalMessage(user.error())),
                              SignInRefusalStatus(user.error()));
  }
  StartSession(context, request, browser, *user, now);
  call.log.user_id = user->id;
  return RedirectResponse(next);
}

http::Response SignOutForm(ApiContext& context, const http::Request& request, Call& call) {
  const BrowserCall& browser = *call.browser;
  if (!browser.user) return PageResponse(web::SignedOutPage(FrameFor(browser, "Signed out")));
  return PageResponse(web::SignOutPage(FrameFor(browser, "Sign out")));
}

http::Response SignOut(ApiContext& context, const http::Request& request, Call& call) {
  EndSession(context, request, *call.browser);
  return PageResponse(web::SignedOutPage(FrameFor(*call.browser, "Signed out")));
}

http::Response SignUpForm(ApiContext& context, const http::Request& request, Call& call) {
  const BrowserCall& browser = *call.browser;
  if (!context.options.signin.open_sign_up) {
    return ErrorPageResponse(&browser, 404, "Sign-up is closed",
                             "Accounts on this Portrait are made by its operator.");
  }
  if (browser.user) return RedirectResponse(kAfterSignIn);
  return PageResponse(
      web::SignUpPage(FrameFor(browser, "Sign up"), web::SignInForm{browser.form_token, "", ""}));
}

http::Response SignUp(ApiContext& context, const http::Request& request, Call& call) {
  BrowserCall& browser = *call.browser;
  if (!context.options.signin.open_sign_up) {
    return ErrorPageResponse(&browser, 404, "Sign-up is closed",
                             "Accounts on this Portrait are made by its operator.");
  }
  const std::string screen_name(FindParam(browser.form, "screen_name").value_or(""));
  std::optional<signin::Password> password = TakePassword(browser.form);
  if (!password) password.emplace();  // refused by the policy, as too short
  const int64_t now = NowSeconds();
  auto created = context.accounts.SignUp(screen_name, *password, now);
  if (!created.ok()) {
    std::string error = Sentence(
        signin::DescribeAccountProblem(created.error(), context.options.signin.password_policy));
    return PageResponse(
        web::SignUpPage(FrameFor(browser, "Sign up"),
                        web::SignInForm{browser.form_token, screen_name, std::move(error)}),
        400);
  }
  StartSession(context, request, browser, *created, now);
  call.log.user_id = created->id;
  return RedirectResponse(kAfterSignIn);
}

}  // namespace portrait::api
