#include "api/browser.h"

#include <openssl/crypto.h>
#include <strings.h>

#include "common/random.h"
#include "upload/multipart_parser.h"
#include "web/cookies.h"

namespace portrait::api {
namespace {

constexpr size_t kFormTokenLength = 43;  // as a session's CSRF token: 256 bits
constexpr std::string_view kFormContentType = "application/x-www-form-urlencoded";
constexpr size_t kMaxLocalPathBytes = 2048;
constexpr std::string_view kBadCredentials =
    "The screen name and password you entered did not match our records. Check them and try "
    "again.";
constexpr std::string_view kThrottled =
    "Too many sign-in attempts. Wait a few minutes and try again.";
constexpr int kForbidden = 403;
constexpr int kTooManyRequests = 429;

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         strncasecmp(text.data(), prefix.data(), prefix.size()) == 0;
}

bool IsToken(std::string_view value) {
  return value.size() == kFormTokenLength &&
         std::all_of(value.begin(), value.end(), [](char c) { return std::isalnum(c) != 0; });
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  return !a.empty() && a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

web::CookieOptions CookieOptionsFor(const http::Request& request) {
  return web::CookieOptions{.secure = request.scheme == "https"};
}

std::optional<std::string_view> RequestCookie(const http::Request& request, std::string_view name) {
  // A browser sends one Cookie line; should there be several, each is searched in turn.
  for (const auto& [field, value] : request.headers) {
    if (strcasecmp(field.c_str(), "Cookie") != 0) continue;
    if (auto found = web::FindCookie(value, name)) return found;
  }
  return std::nullopt;
}

// Collects the multipart parts that are not files.
class TextParts final : public upload::MultipartHandler {
 public:
  void OnPartBegin(const upload::PartHeaders& headers) override {
    keep_ = !headers.filename;
    name_ = headers.name;
    value_.clear();
  }
  void OnPartData(std::string_view bytes) override {
    if (!keep_) return;
    if (value_.size() + bytes.size() > kMaxFormFieldBytes) {
      keep_ = false;
      return;
    }
    value_.append(bytes);
  }
  void OnPartEnd() override {
    if (keep_) fields_.emplace_back(std::move(name_), std::move(value_));
  }
  Params Take() { return std::move(fields_); }

 private:
  bool keep_ = false;
  std::string name_;
  std::string value_;
  Params fields_;
};

// scheme://authority of an absolute URL; "" for anything else.
std::string OriginOf(std::string_view url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return "";
  const size_t path = url.find('/', scheme_end + 3);
  return std::string(url.substr(0, path));
}

std::string ContentSecurityPolicy(const ApiContext& context) {
  std::string images;
  for (const std::string& base :
       {context.options.image_base_url, context.options.image_base_url_https}) {
    if (std::string origin = OriginOf(base); !origin.empty()) images += " " + origin;
  }
  std::string policy = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'";
  if (!images.empty()) policy += "; img-src 'self'" + images;
  return policy;
}

}  // namespace

BrowserCall ResumeBrowser(ApiContext& context, const http::Request& request, int64_t now) {
  BrowserCall browser;
  if (auto cookie = RequestCookie(request, kSessionCookie)) {
    browser.session_cookie = std::string(*cookie);
    browser.session = context.sessions.Resume(*cookie, now);
    if (browser.session) browser.user = context.store.FindUserById(browser.session->user_id);
    if (!browser.user) browser.session.reset();
  }
  if (browser.session) {
    browser.form_token = browser.session->csrf_token;
  } else if (auto token = RequestCookie(request, kFormTokenCookie); token && IsToken(*token)) {
    browser.form_token = std::string(*token);
  } else {
    browser.form_token = RandomAlphanumeric(kFormTokenLength);
    browser.form_token_is_new = true;
  }
  return browser;
}

Params FormFields(const http::Request& request) {
  const std::string_view content_type = request.header("Content-Type").value_or("");
  if (StartsWithNoCase(content_type, kFormContentType)) return ParseUrlEncoded(request.body);
  std::optional<std::string> boundary = upload::BoundaryFromContentType(content_type);
  if (!boundary) return {};
  TextParts parts;
  upload::MultipartParser parser(*boundary, parts);
  if (!parser.Feed(request.body) || !parser.Finish()) return {};
  return parts.Take();
}

bool FormIsGenuine(const http::Request& request, const BrowserCall& browser) {
  if (auto origin = request.header("Origin")) {
    if (*origin != request.scheme + "://" + request.host) return false;
  }
  // A token made for this very response was never in any form.
  if (browser.form_token_is_new) return false;
  std::optional<std::string_view> submitted = FindParam(browser.form, "csrf_token");
  return submitted && ConstantTimeEquals(*submitted, browser.form_token);
}

void StartSession(ApiContext& context, const http::Request& request, BrowserCall& browser,
                  const store::User& user, int64_t now) {
  if (!browser.session_cookie.empty()) context.sessions.End(browser.session_cookie);
  signin::StartedSession started = context.sessions.Start(user.id, now);
  browser.set_cookies.push_back(
      web::SetCookieValue(kSessionCookie, started.cookie_value, CookieOptionsFor(request)));
  browser.session_cookie = std::move(started.cookie_value);
  browser.session = std::move(started.session);
  browser.user = user;
  browser.form_token = browser.session->csrf_token;
  browser.form_token_is_new = false;
}

void EndSession(ApiContext& context, const http::Request& request, BrowserCall& browser) {
  if (!browser.session_cookie.empty()) context.sessions.End(browser.session_cookie);
  web::CookieOptions options = CookieOptionsFor(request);
  options.expire = true;
  browser.set_cookies.push_back(web::SetCookieValue(kSessionCookie, "", options));
  browser.session_cookie.clear();
  browser.session.reset();
  browser.user.reset();
}

web::Frame FrameFor(const BrowserCall& browser, std::string title) {
  web::Frame frame;
  frame.title = std::move(title);
  if (browser.user) {
    frame.signed_in_as = browser.user->screen_name;
    frame.csrf_token = browser.form_token;
  }
  return frame;
}

http::Response PageResponse(const web::Html& page, int status) {
  http::Response response;
  response.status = status;
  response.set("Content-Type", std::string(kHtmlContentType));
  response.body = page.str();
  return response;
}

http::Response RedirectResponse(std::string_view location) {
  http::Response response;
  response.status = 303;
  response.set("Location", std::string(location));
  response.set("Content-Type", std::string(kHtmlContentType));
  return response;
}

http::Response ErrorPageResponse(const BrowserCall* browser, int status, std::string title,
                                 std::string_view message) {
  web::Frame frame;
  frame.title = std::move(title);
  if (browser) frame = FrameFor(*browser, std::move(frame.title));
  return PageResponse(web::ErrorPage(frame, message), status);
}

void FinishPage(const ApiContext& context, const http::Request& request, const BrowserCall* browser,
                http::Response& response) {
  if (browser) {
    for (const std::string& cookie : browser->set_cookies) response.set("Set-Cookie", cookie);
    if (browser->form_token_is_new) {
      response.set("Set-Cookie", web::SetCookieValue(kFormTokenCookie, browser->form_token,
                                                     CookieOptionsFor(request)));
    }
  }
  response.set("Content-Security-Policy", ContentSecurityPolicy(context));
  response.set("X-Frame-Options", "DENY");
  response.set("X-Content-Type-Options", "nosniff");
  response.set("Referrer-Policy", "same-origin");
  response.set("Cache-Control", "no-store");
}

std::string LocalPathOr(std::optional<std::string_view> next, std::string_view fallback) {
  if (!next || next->empty() || next->size() > kMaxLocalPathBytes || next->front() != '/' ||
      (next->size() > 1 && ((*next)[1] == '/' || (*next)[1] == '\\'))) {
    return std::string(fallback);
  }
  const bool printable = std::all_of(next->begin(), next->end(),
                                     [](char c) { return c > ' ' && c < 0x7f && c != '\\'; });
  return printable ? std::string(*next) : std::string(fallback);
}

std::string_view SignInRefusalMessage(signin::SignInRefusal refusal) {
  return refusal == signin::SignInRefusal::kThrottled ? kThrottled : kBadCredentials;
}

int SignInRefusalStatus(signin::SignInRefusal refusal) {
  return refusal == signin::SignInRefusal::kThrottled ? kTooManyRequests : kForbidden;
}

std::optional<signin::Password> TakePassword(Params& form) {
  for (auto& [name, value] : form) {
    if (name != "password") continue;
    if (value.empty()) return std::nullopt;
    signin::Password password(value);
    OPENSSL_cleanse(value.data(), value.size());
    value.clear();
    return password;
  }
  return std::nullopt;
}

}  // namespace portrait::api
