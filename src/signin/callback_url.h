#pragma once
// Where the three-legged flow may send a person back (oauth_callback), decided so that a
// callback can never be turned into an open redirect. URLs are parsed by Boost.URL as RFC 3986
// absolute URIs and compared after its syntax-based normalisation (case of scheme and host,
// percent-encoding of unreserved characters, "." and ".." segments).
//
// A callback is "oob" (any case: the person is shown a PIN) or an absolute http or https URL
// with a host, without user information ("https://good.example@evil.example" is refused, not
// read either way), without a fragment, without '%' left in the host, at most
// kMaxCallbackBytes. When the app registered callback URLs, the requested one must match one of
// them: the same scheme, the same host, the same port (an absent port is the scheme's default),
// and a path that is the registered path or continues it at a '/' ("/cb" admits "/cb" and
// "/cb/done", not "/cbx"); the query is free, as Twitter allowed. An app with none registered
// may name any callback of the shape above. docs/DECISIONS.md explains the choice.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace portrait::signin {

inline constexpr size_t kMaxCallbackBytes = 2048;
// Twitter's limit on an app's registered callback URLs.
inline constexpr size_t kMaxRegisteredCallbacks = 10;

enum class CallbackProblem {
  kMalformed,    // not "oob" nor an acceptable absolute http(s) URL
  kNotApproved,  // well-formed, but outside the app's registered callback URLs (Twitter's 415)
};

// The callback to keep for a request token: "oob", or requested as sent.
Result<std::string, CallbackProblem> ApproveCallback(std::string_view requested,
                                                     const std::vector<std::string>& registered);

// Whether url may be registered for an app: an acceptable absolute http(s) URL as above, and
// without a query (a requested callback may add one). Status::Error says what is wrong.
Status CheckRegistrableCallback(std::string_view url);

bool IsOutOfBand(std::string_view callback);

// callback (an approved URL) with parameters appended to its query, percent-encoded.
std::string WithQueryParameters(std::string_view callback,
                                const std::vector<std::pair<std::string, std::string>>& parameters);

}  // namespace portrait::signin
