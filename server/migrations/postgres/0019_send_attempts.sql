-- How many times the receiving server has deferred this email (SMTP 4xx) since it was last
-- queued: each deferral waits longer before the next attempt, and the last one fails it.
ALTER TABLE emails ADD COLUMN send_attempts BIGINT NOT NULL DEFAULT 0;
