-- Rate-limit windows: one fixed window per (principal, endpoint) key, as Twitter's v1.1 limits.
-- A window opens at the first request after the previous one closed.
CREATE TABLE rate_windows (
  key TEXT PRIMARY KEY,
  window_start INTEGER NOT NULL,
  window_end INTEGER NOT NULL,
  count INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX rate_windows_by_end ON rate_windows (window_end);
