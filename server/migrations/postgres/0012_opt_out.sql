-- A person's own opt-out (the unsubscribe link or a mailbox provider's one-click POST, RFC 8058).
-- Only the person can set it, never the rep; once set, nothing more is sent to them.
ALTER TABLE people ADD COLUMN opted_out_at BIGINT;
-- The unguessable token of their unsubscribe link: it names only this person of this rep. Made
-- when their first email goes out.
ALTER TABLE people ADD COLUMN unsubscribe_token TEXT;
CREATE UNIQUE INDEX people_unsubscribe_token ON people (unsubscribe_token);
