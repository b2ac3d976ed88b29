-- Rate-limit windows shared by every node: one fixed window per (principal, endpoint) key, as
-- Twitter's v1.1 limits. A window opens at the first request after the previous one closed.
-- Counts are not worth keeping through a crash: the table is unlogged (no WAL, no fsync).
CREATE UNLOGGED TABLE rate_windows (
  key TEXT PRIMARY KEY,
  window_start BIGINT NOT NULL,
  window_end BIGINT NOT NULL,
  count BIGINT NOT NULL
);
CREATE INDEX rate_windows_by_end ON rate_windows (window_end);
