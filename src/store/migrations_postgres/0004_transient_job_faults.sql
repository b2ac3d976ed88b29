-- A transient fault (a full disk, an unreachable blob store or database) puts a job back in the
-- queue with backoff instead of using up its attempts: transient_failures counts the claims that
-- ended so, which do not count against the job's attempts. upload_removed records that the
-- janitor deleted a failed job's upload once the grace period had passed.
ALTER TABLE upload_jobs ADD COLUMN transient_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE upload_jobs ADD COLUMN upload_removed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX upload_jobs_failed_with_upload ON upload_jobs (updated_at)
  WHERE state = 'failed' AND upload_removed = 0;
