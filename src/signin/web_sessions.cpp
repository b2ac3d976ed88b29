#include "signin/web_sessions.h"

#include <sodium.h>

#include <algorithm>

#include "common/random.h"
#include "common/result.h"
#include "signin/libsodium.h"

namespace portrait::signin {
namespace {

constexpr size_t kSessionIdLength = 43;  // 43 x log2(62) = 256 bits
constexpr size_t kCsrfTokenLength = 43;

bool IsSessionId(std::string_view value) {
  return value.size() == kSessionIdLength && std::all_of(value.begin(), value.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
         });
}

}  // namespace

std::string SessionIdHash(std::string_view cookie_value) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(cookie_value.data()),
                     cookie_value.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

WebSessions::WebSessions(store::MetadataStore& store, const SessionOptions& options)
    : store_(store), options_(options) {
  InitLibsodium();
}

StartedSession WebSessions::Start(int64_t user_id, int64_t now) {
  StartedSession started;
  started.cookie_value = RandomAlphanumeric(kSessionIdLength);
  store::WebSession& session = started.session;
  session.id_hash = SessionIdHash(started.cookie_value);
  session.user_id = user_id;
  session.csrf_token = RandomAlphanumeric(kCsrfTokenLength);
  session.created_at = now;
  session.last_seen_at = now;
  session.expires_at = now + options_.absolute_seconds;
  session.idle_expires_at = std::min(now + options_.idle_seconds, session.expires_at);
  store_.CreateWebSession(session);
  return started;
}

std::optional<store::WebSession> WebSessions::Resume(std::string_view cookie_value, int64_t now) {
  if (!IsSessionId(cookie_value)) return std::nullopt;
  return store_.TouchWebSession(SessionIdHash(cookie_value), now, options_.idle_seconds);
}

bool WebSessions::End(std::string_view cookie_value) {
  if (!IsSessionId(cookie_value)) return false;
  return store_.DeleteWebSession(SessionIdHash(cookie_value));
}

bool WebSessions::CsrfTokenMatches(const store::WebSession& session, std::string_view submitted) {
  return !session.csrf_token.empty() && submitted.size() == session.csrf_token.size() &&
         sodium_memcmp(submitted.data(), session.csrf_token.data(), submitted.size()) == 0;
}

}  // namespace portrait::signin
