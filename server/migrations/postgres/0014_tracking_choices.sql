-- Whether opens (the view pixel) and clicks (rewritten links) are tracked: the rep's default,
-- and each email's own choice (NULL: the rep's default when it is sent).
ALTER TABLE users ADD COLUMN track_opens BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE users ADD COLUMN track_links BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE emails ADD COLUMN track_opens BOOLEAN;
ALTER TABLE emails ADD COLUMN track_links BOOLEAN;
