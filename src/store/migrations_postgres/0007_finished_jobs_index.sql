-- Finished jobs are pruned once they are older than the retention (MetadataStore::
-- PruneFinishedJobs): this finds the oldest without reading the rest.
CREATE INDEX upload_jobs_finished ON upload_jobs (updated_at) WHERE state IN ('done', 'failed');
