#pragma once
// The route table: every path Portrait answers, one row each, and what the dispatcher
// (ApiHandler) applies from the row before calling its handler: the authentication, the rate
// limit, the body limit, whether the I/O thread may answer, and the metrics label. The 404/34 for
// anything else, /metrics' endpoint labels, rate_limit_status and the serve command's settings
// all read this table. Adding an endpoint is adding a row (and its handler).
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "api/endpoints.h"

namespace portrait::api {

struct Route;

enum class Method {
  kGet,  // GET and HEAD (HEAD answers GET's headers without its body)
  kPost,
};

enum class PathMatch {
  kApi,     // the path, or the path followed by ".json" (SPEC §1)
  kExact,   // exactly the path
  kPrefix,  // any path starting with it (served files)
};

// What the dispatcher checks before the handler runs. A failure answers with the SPEC §5 error
// (a page, for the page kinds) and the handler is not called.
enum class Auth {
  kNone,       // anyone; the handler checks what it needs (oauth2/token's Basic credentials)
  kUser,       // OAuth 1.0a with an access token (call.principal is a user); bearer: 403/220
  kUserWrite,  // kUser with a token that may write; a read-only token: 403/261
  kUserOrApp,  // kUser, or an app-only bearer token
  kConsumer,   // OAuth 1.0a signed by an app, perhaps with a request token (call.consumer)
  // The page kinds: an HTML page for a browser (call.browser), answered with the page headers
  // of browser.h. A POST is acted on only when it comes from Portrait's own form: same Origin
  // (when sent) and the form's csrf_token; otherwise 403 with a page.
  kBrowser,   // anyone; call.browser->user is the signed-in person, if any
  kSignedIn,  // a signed-in person; otherwise a GET is sent to /login, a POST gets 403
};

// Whether the row answers a browser with HTML pages (its Auth is a page kind).
bool IsPage(const Route& route);

// Where a request may be answered.
enum class Inline {
  kNever,            // on a handler thread
  kAlways,           // on the I/O thread: the handler never blocks (memory only)
  kFromMemory,       // on the I/O thread when route.from_memory answers; else a handler thread
  kBearerWhenLocal,  // on the I/O thread for a bearer token when the store reads locally
                     // (SQLite) and rate limits are counted in memory
};

// Which nodes answer: a worker-only node (--role worker) answers 404/34 to kApi rows.
enum class Serves { kApi, kEveryNode };

// A rate-limited endpoint (user_limit > 0): counted per principal (user, or app for bearer
// tokens) and resource in windows of RateLimitOptions::window_seconds (rows sharing a resource,
// such as an endpoint's GET and POST, share its windows). family and resource are its place in
// rate_limit_status ("users", "/users/show/:id"); setting names the serve flag that overrides
// both limits (setting + "-app" only the app limit).
struct RateLimit {
  std::string_view family;
  std::string_view resource;
  int64_t user_limit = 0;
  int64_t app_limit = 0;
  std::string_view setting;
};

// Answers a request whose row has matched and whose authentication and rate limit have passed.
using Handler = http::Response (*)(ApiContext& context, const http::Request& request, Call& call);
// An answer from memory alone, or nothing (kFromMemory).
using MemoryHandler = std::optional<http::Response> (*)(ApiContext& context,
                                                        const http::Request& request);

struct Route {
  Method method;
  std::string_view path;
  PathMatch match;
  std::string_view name;  // the metrics label ("users/show"); one per path
  Auth auth;
  RateLimit rate;
  Inline answered;
  Handler handler;
  MemoryHandler from_memory = nullptr;
  uint64_t max_body_bytes = 0;  // 0: ApiOptions::max_body_bytes
  Serves serves = Serves::kApi;
  // API rows answer JSON with x-rate-limit-* headers; file and operations rows do not.
  bool api = true;
};

// Every row, in matching order (the first row that matches wins).
std::span<const Route> RouteTable();

// The row for method and path (HEAD finds GET rows), or nothing: 404/34.
const Route* FindRoute(std::string_view method, std::string_view path);

// The limit a principal meets on a rate-limited row: options' override for the row's setting
// (for apps, the setting + "-app" override first), else the row's default for users or apps.
int64_t RateLimitFor(const Route& route, const RateLimitOptions& options, bool app_only);

// The largest body any row accepts, with default_max_body_bytes for rows that keep the default:
// what the HTTP layer may read before it knows the route.
uint64_t LargestBodyBytes(uint64_t default_max_body_bytes);

}  // namespace portrait::api
