-- Mail read from the watched mailbox, each message once whatever it was (a reply, an automatic
-- reply, a bounce, a delay, a complaint, nothing of ours), keyed by its Message-ID or, without
-- one, a digest of it: the same message found again (a new UIDVALIDITY, a second mailbox) is
-- not acted on twice.
CREATE TABLE inbound_messages (
    key         TEXT    PRIMARY KEY,
    kind        TEXT    NOT NULL,
    email_id    INTEGER REFERENCES emails (id) ON DELETE SET NULL,
    detail      TEXT,
    received_at INTEGER NOT NULL
);

-- How far the watcher has read each mailbox: UIDs hold only within one UIDVALIDITY. Moved in the
-- same transaction as each message's effect, so a crash neither repeats nor skips one.
CREATE TABLE mailbox_positions (
    mailbox      TEXT    PRIMARY KEY,
    uid_validity INTEGER NOT NULL,
    last_uid     INTEGER NOT NULL
);

-- What an event says beyond its kind: a reply's first words, a bounce's diagnostic.
ALTER TABLE email_events ADD COLUMN detail TEXT;
