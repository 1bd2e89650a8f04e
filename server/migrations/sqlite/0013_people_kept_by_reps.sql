-- People a rep adds, edits, imports and deletes.
-- A deleted person leaves lists, pickers and search, but their emails and events stay, and
-- the rep can undo the delete.
ALTER TABLE people ADD COLUMN deleted_at BIGINT;
-- The rep's own do-not-contact mark (the person's own opt-out is opted_out_at, which the rep
-- cannot take back).
ALTER TABLE people ADD COLUMN do_not_contact_at BIGINT;
ALTER TABLE people ADD COLUMN updated_at BIGINT;
-- One person per email address per rep, whatever its case (api::people::email_key). Kept as a
-- column the server writes, so that both databases compare the same text.
ALTER TABLE people ADD COLUMN email_key TEXT NOT NULL DEFAULT '';
UPDATE people SET email_key = lower(trim(email));
CREATE UNIQUE INDEX people_owner_email_key ON people (owner_id, email_key) WHERE deleted_at IS NULL;
DROP INDEX people_owner;
CREATE INDEX people_owner ON people (owner_id, deleted_at, last_name, first_name, id);
