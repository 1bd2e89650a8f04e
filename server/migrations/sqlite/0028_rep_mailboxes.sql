-- A rep's own mailbox, read (beside the server's) for replies to and reports on their emails
-- only: where it is, the user, and the password sealed with the server's secret (never the
-- password itself). The watcher writes how its last look went, for the rep to see.
CREATE TABLE rep_mailboxes (
    user_id    BIGINT  PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    host       TEXT    NOT NULL,
    port       INTEGER NOT NULL,
    tls        BOOLEAN NOT NULL,
    username   TEXT    NOT NULL,
    password   TEXT    NOT NULL,
    mailbox    TEXT    NOT NULL,
    changed_at INTEGER NOT NULL,
    -- When the watcher last finished reading it, and what stopped it since (cleared by a read).
    read_at    INTEGER,
    error      TEXT
);
