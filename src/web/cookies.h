#pragma once
// Cookies as Portrait's pages use them (RFC 6265): reading one from a request's Cookie header,
// and writing the Set-Cookie value of a cookie the browser must not show to scripts.
#include <optional>
#include <string>
#include <string_view>

namespace portrait::web {

// The value of the first cookie called name in a Cookie header ("a=1; b=2"); nothing when it
// is absent. Values are returned as sent (Portrait's own cookies are [A-Za-z0-9]).
std::optional<std::string_view> FindCookie(std::string_view cookie_header, std::string_view name);

struct CookieOptions {
  bool secure = false;  // only over https: set for requests the client made over https
  bool expire = false;  // delete the cookie (Max-Age=0); otherwise a browser-session cookie
};

// "name=value; Path=/; HttpOnly; SameSite=Lax" and "; Secure" / "; Max-Age=0" as asked: never
// readable from scripts; sent with top-level navigations from other sites (an app sending its
// user to /oauth/authorize) but not with their POSTs, images or frames.
std::string SetCookieValue(std::string_view name, std::string_view value,
                           const CookieOptions& options);

}  // namespace portrait::web
