-- The profile's link colour (account/update_profile's profile_link_color): six upper-case hex
-- digits without '#'; NULL keeps Twitter's default.
ALTER TABLE users ADD COLUMN profile_link_color TEXT;
