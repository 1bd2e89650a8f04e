-- What the sender, the tracking endpoints and the delivery webhook need.

-- The rep marked the email as a success (it did its job); purely the rep's own flag.
ALTER TABLE emails ADD COLUMN marked_success BOOLEAN NOT NULL DEFAULT FALSE;
-- Set and committed just before the message is handed to the mail transport, so a restart can
-- tell "never handed over" (send it) from "outcome unknown" (check, or let the rep decide).
ALTER TABLE emails ADD COLUMN handed_off_at BIGINT;
-- Names the email in its view pixel URL; random, so URLs cannot be guessed.
ALTER TABLE emails ADD COLUMN tracking_token TEXT;
CREATE UNIQUE INDEX emails_tracking_token ON emails (tracking_token);
-- The sender's two queries: due scheduled emails, and queued in-progress ones.
CREATE INDEX emails_due ON emails (status, scheduled_at);

-- The links of a sent email: a click URL names one of these, and redirects only to its url.
CREATE TABLE email_links (
    token    TEXT   PRIMARY KEY,
    email_id BIGINT NOT NULL REFERENCES emails (id) ON DELETE CASCADE,
    url      TEXT   NOT NULL
);
CREATE INDEX email_links_email ON email_links (email_id);
