-- The same refusal repeated (a sign-in failing again from one address with the same detail) is
-- one entry with a count, not a row each time: strangers cannot fill the log.
ALTER TABLE audit_events ADD COLUMN repeats BIGINT NOT NULL DEFAULT 1;
