#pragma once
// Web sessions of signed-in people, after OWASP's Session Management and CSRF Prevention cheat
// sheets: the cookie carries a random id of 256 bits (43 characters of [A-Za-z0-9]) made at
// sign-in, never before, so an id planted before sign-in is worth nothing; the store keeps only
// its SHA-256, so a copy of the database opens no session. Each session has an idle and an
// absolute expiry (SessionOptions) and its own CSRF token (synchronizer pattern), compared in
// constant time. Signing out deletes the session, so a cookie from before finds nothing; a
// password change deletes all of the person's sessions (Accounts::SetPassword).
//
// The HTTP layer sets the cookie HttpOnly, SameSite=Lax, Secure on https, Path=/, without
// Max-Age (a browser session cookie), ends any session the browser already held when it signs
// someone in, and puts csrf_token in every form. Safe for concurrent use; the store must
// outlive this object.
#include <optional>
#include <string>
#include <string_view>

#include "signin/signin_options.h"
#include "store/metadata_store.h"

namespace portrait::signin {

struct StartedSession {
  std::string cookie_value;  // for the browser only; never stored or logged
  store::WebSession session;
};

class WebSessions {
 public:
  // Throws Fault when libsodium cannot start.
  WebSessions(store::MetadataStore& store, const SessionOptions& options);

  StartedSession Start(int64_t user_id, int64_t now);
  // The live session the cookie names, its idle expiry moved on; nothing for an unknown,
  // expired, ended or malformed cookie.
  std::optional<store::WebSession> Resume(std::string_view cookie_value, int64_t now);
  // Signs the browser out; false when the cookie named no session.
  bool End(std::string_view cookie_value);

  // Whether a form's token is this session's, in constant time.
  static bool CsrfTokenMatches(const store::WebSession& session, std::string_view submitted);

 private:
  store::MetadataStore& store_;
  const SessionOptions options_;
};

// The hex SHA-256 the store keys a session by.
std::string SessionIdHash(std::string_view cookie_value);

}  // namespace portrait::signin
