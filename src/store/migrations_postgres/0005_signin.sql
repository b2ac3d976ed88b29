-- Signing people in, mirroring migrations/0005_signin.sql for SQLite: passwords, what the
-- authorize page shows of an app, access levels, the three-legged flow's request tokens, web
-- sessions and sign-in throttles. Existing apps and tokens stay read-write.

ALTER TABLE apps ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE apps ADD COLUMN website TEXT NOT NULL DEFAULT '';
-- The registered callback URLs, one per line (a URL holds no newline).
ALTER TABLE apps ADD COLUMN callback_urls TEXT NOT NULL DEFAULT '';
ALTER TABLE apps ADD COLUMN allow_xauth BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE apps ADD COLUMN access_level TEXT NOT NULL DEFAULT 'read-write'
  CHECK (access_level IN ('read', 'read-write'));

ALTER TABLE access_tokens ADD COLUMN access_level TEXT NOT NULL DEFAULT 'read-write'
  CHECK (access_level IN ('read', 'read-write'));
CREATE INDEX access_tokens_by_user ON access_tokens (user_id, app_id);

-- crypto_pwhash_str's encoded Argon2id hash (algorithm, parameters, salt and hash in one).
CREATE TABLE passwords (
  user_id BIGINT PRIMARY KEY REFERENCES users (id),
  hash TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE request_tokens (
  token TEXT PRIMARY KEY,
  secret TEXT NOT NULL,
  app_id BIGINT NOT NULL REFERENCES apps (id),
  callback TEXT NOT NULL,  -- an absolute URL or 'oob'
  access_level TEXT NOT NULL CHECK (access_level IN ('read', 'read-write')),
  state TEXT NOT NULL CHECK (state IN ('pending', 'authorized', 'denied', 'used')),
  user_id BIGINT REFERENCES users (id),  -- set once authorized
  verifier TEXT,                         -- set once authorized
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX request_tokens_by_expiry ON request_tokens (expires_at);

-- A session's cookie id is never stored, only its SHA-256. idle_expires_at <= expires_at.
CREATE TABLE web_sessions (
  id_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id),
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  idle_expires_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX web_sessions_by_user ON web_sessions (user_id);
CREATE INDEX web_sessions_by_expiry ON web_sessions (idle_expires_at);

-- Failed sign-ins per key ('account:NAME', 'address:IP'): a fixed window and a lock. Logged,
-- unlike rate_windows: a crash must not lift a lock-out.
CREATE TABLE signin_throttles (
  key TEXT PRIMARY KEY,
  window_start BIGINT NOT NULL,
  window_end BIGINT NOT NULL,
  attempts BIGINT NOT NULL,
  locked_until BIGINT NOT NULL
);
CREATE INDEX signin_throttles_by_end ON signin_throttles (window_end);
