-- Several server instances may share one database (PostgreSQL). Each sends only the emails it
-- has claimed, and keeps a lease alive while it runs: the claims of an instance whose lease
-- expired (killed, or its machine gone) are settled by the others. An instance that restarts
-- under the same id settles its own claims at once.
CREATE TABLE sender_instances (
    id           TEXT   PRIMARY KEY,
    started_at   BIGINT NOT NULL,
    heartbeat_at BIGINT NOT NULL
);

-- Which instance is sending the email (in progress only; cleared when it is settled).
ALTER TABLE emails ADD COLUMN claimed_by TEXT;
CREATE INDEX emails_claimed_by ON emails (claimed_by) WHERE claimed_by IS NOT NULL;
