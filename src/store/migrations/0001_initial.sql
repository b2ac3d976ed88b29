-- Portrait's initial schema. Times are Unix epoch seconds; booleans are 0/1 integers.
-- Kept to plain SQL that PostgreSQL mirrors (NOCASE ~ a unique index on lower(screen_name),
-- AUTOINCREMENT ~ GENERATED ALWAYS AS IDENTITY).

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  screen_name TEXT NOT NULL COLLATE NOCASE UNIQUE,
  name TEXT NOT NULL,
  location TEXT,
  description TEXT,
  url TEXT,
  email TEXT,
  created_at INTEGER NOT NULL,
  -- The current profile image; all NULL for the default image.
  image_id INTEGER,
  image_key TEXT,
  image_extension TEXT,
  image_job_id INTEGER  -- the upload job the image came from: the basis of "last upload wins"
);

CREATE TABLE apps (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  consumer_key TEXT NOT NULL UNIQUE,
  consumer_secret TEXT NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);

CREATE TABLE access_tokens (
  token TEXT PRIMARY KEY,
  secret TEXT NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users (id),
  app_id INTEGER NOT NULL REFERENCES apps (id),
  revoked INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE INDEX access_tokens_by_app ON access_tokens (app_id);

CREATE TABLE bearer_tokens (
  token TEXT PRIMARY KEY,
  app_id INTEGER NOT NULL REFERENCES apps (id),
  revoked INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
-- At most one live bearer token per app, as Twitter's oauth2/token behaves.
CREATE UNIQUE INDEX bearer_tokens_live_by_app ON bearer_tokens (app_id) WHERE revoked = 0;

CREATE TABLE nonces (
  consumer_key TEXT NOT NULL,
  token TEXT NOT NULL,
  nonce TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (consumer_key, token, nonce)
);
CREATE INDEX nonces_by_expiry ON nonces (expires_at);

CREATE TABLE upload_jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: ids order uploads
  user_id INTEGER NOT NULL REFERENCES users (id),
  upload_blob_key TEXT NOT NULL,
  format TEXT NOT NULL,
  upload_bytes INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'processing', 'done', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  due_at INTEGER NOT NULL,  -- while queued: not claimed before then (0 for a new job)
  lease_until INTEGER NOT NULL DEFAULT 0,
  worker TEXT NOT NULL DEFAULT '',
  result_image_id INTEGER,
  result_key TEXT,
  result_extension TEXT
);
CREATE INDEX upload_jobs_by_state ON upload_jobs (state, id);
CREATE INDEX upload_jobs_by_user ON upload_jobs (user_id, id);

CREATE TABLE retired_images (
  image_id INTEGER PRIMARY KEY,
  image_key TEXT NOT NULL,
  image_extension TEXT NOT NULL,
  delete_after INTEGER NOT NULL
);
CREATE INDEX retired_images_by_due ON retired_images (delete_after);
