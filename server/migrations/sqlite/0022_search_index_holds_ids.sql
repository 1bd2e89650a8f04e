-- Kept in step with PostgreSQL's 0022: SQLite's emails_campaign_engagement already holds each
-- row's id (its rowid), so nothing changes here.
SELECT 1;
