-- Profile banners (account/update_profile_banner), processed by the same durable queue as
-- profile images: a job has a kind, and a banner job the region its banner is cut from
-- ("width,height,offset_left,offset_top", NULL: the whole image). A user's banner is the id of
-- the job that made it; banner_floor is the largest job id when the banner was last removed,
-- so that no job accepted before a removal can bring a banner back. Retired banners wait for
-- the janitor beside retired images.
ALTER TABLE upload_jobs ADD COLUMN kind TEXT NOT NULL DEFAULT 'profile_image';
ALTER TABLE upload_jobs ADD COLUMN banner_region TEXT;
ALTER TABLE users ADD COLUMN banner_id INTEGER;
ALTER TABLE users ADD COLUMN banner_floor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE retired_images ADD COLUMN kind TEXT NOT NULL DEFAULT 'profile_image';
ALTER TABLE retired_images ADD COLUMN user_id INTEGER NOT NULL DEFAULT 0;
