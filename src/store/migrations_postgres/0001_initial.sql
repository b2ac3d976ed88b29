-- Portrait's initial schema for PostgreSQL, mirroring migrations/0001_initial.sql for SQLite.
-- Times are Unix epoch seconds. Screen names are unique case-insensitively through a unique
-- index on lower(screen_name) (SQLite: COLLATE NOCASE).

CREATE TABLE users (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  screen_name TEXT NOT NULL,
  name TEXT NOT NULL,
  location TEXT,
  description TEXT,
  url TEXT,
  email TEXT,
  created_at BIGINT NOT NULL,
  -- The current profile image; all NULL for the default image.
  image_id BIGINT,
  image_key TEXT,
  image_extension TEXT,
  image_job_id BIGINT  -- the upload job the image came from: the basis of "last upload wins"
);
CREATE UNIQUE INDEX users_by_screen_name ON users (lower(screen_name));

CREATE TABLE apps (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name TEXT NOT NULL,
  consumer_key TEXT NOT NULL UNIQUE,
  consumer_secret TEXT NOT NULL,
  revoked BOOLEAN NOT NULL DEFAULT FALSE,
  created_at BIGINT NOT NULL
);

CREATE TABLE access_tokens (
  token TEXT PRIMARY KEY,
  secret TEXT NOT NULL,
  user_id BIGINT NOT NULL REFERENCES users (id),
  app_id BIGINT NOT NULL REFERENCES apps (id),
  revoked BOOLEAN NOT NULL DEFAULT FALSE,
  created_at BIGINT NOT NULL
);
CREATE INDEX access_tokens_by_app ON access_tokens (app_id);

CREATE TABLE bearer_tokens (
  token TEXT PRIMARY KEY,
  app_id BIGINT NOT NULL REFERENCES apps (id),
  revoked BOOLEAN NOT NULL DEFAULT FALSE,
  created_at BIGINT NOT NULL
);
-- At most one live bearer token per app, as Twitter's oauth2/token behaves.
CREATE UNIQUE INDEX bearer_tokens_live_by_app ON bearer_tokens (app_id) WHERE NOT revoked;

CREATE TABLE nonces (
  consumer_key TEXT NOT NULL,
  token TEXT NOT NULL,
  nonce TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (consumer_key, token, nonce)
);
CREATE INDEX nonces_by_expiry ON nonces (expires_at);

CREATE TABLE upload_jobs (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- a sequence: never reused, ids order uploads
  user_id BIGINT NOT NULL REFERENCES users (id),
  upload_blob_key TEXT NOT NULL,
  format TEXT NOT NULL,
  upload_bytes BIGINT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'processing', 'done', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  due_at BIGINT NOT NULL,  -- while queued: not claimed before then (0 for a new job)
  lease_until BIGINT NOT NULL DEFAULT 0,
  worker TEXT NOT NULL DEFAULT '',
  result_image_id BIGINT,
  result_key TEXT,
  result_extension TEXT
);
CREATE INDEX upload_jobs_by_state ON upload_jobs (state, id);
CREATE INDEX upload_jobs_by_user ON upload_jobs (user_id, id);

CREATE TABLE retired_images (
  image_id BIGINT PRIMARY KEY,
  image_key TEXT NOT NULL,
  image_extension TEXT NOT NULL,
  delete_after BIGINT NOT NULL
);
CREATE INDEX retired_images_by_due ON retired_images (delete_after);
