-- Nonces moved out of the database into a log of their own beside it (NonceWindow,
-- "{path}-nonces/"), so that recording one is not a commit.
DROP TABLE nonces;
-- Finished jobs are pruned once they are older than the retention (MetadataStore::
-- PruneFinishedJobs): this finds the oldest without reading the rest.
CREATE INDEX upload_jobs_finished ON upload_jobs (updated_at) WHERE state IN ('done', 'failed');
