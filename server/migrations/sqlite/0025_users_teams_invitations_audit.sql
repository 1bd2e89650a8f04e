-- no-transaction
-- SQLite cannot change a CHECK constraint in place: the users table is rebuilt (the documented
-- twelve steps) with foreign keys off, so the tables that refer to users keep their rows.
PRAGMA foreign_keys = OFF;
BEGIN;

-- A team groups reps under a manager, who may view their data (read-only unless theirs).
CREATE TABLE teams (
    id         INTEGER PRIMARY KEY,
    name       TEXT   NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

CREATE TABLE users_rebuilt (
    id             INTEGER PRIMARY KEY,
    email          TEXT    NOT NULL UNIQUE,
    name           TEXT    NOT NULL,
    -- Empty until an invited user sets their password.
    password_hash  TEXT    NOT NULL,
    role           TEXT    NOT NULL CHECK (role IN ('rep', 'manager', 'admin')),
    time_zone      TEXT    NOT NULL DEFAULT 'UTC',
    locale         TEXT    NOT NULL DEFAULT 'en',
    created_at     BIGINT  NOT NULL,
    track_opens    BOOLEAN NOT NULL DEFAULT TRUE,
    track_links    BOOLEAN NOT NULL DEFAULT TRUE,
    team_id        BIGINT  REFERENCES teams (id) ON DELETE SET NULL,
    -- A deactivated user cannot sign in and their scheduled emails are held.
    deactivated_at BIGINT
);
INSERT INTO users_rebuilt (id, email, name, password_hash, role, time_zone, locale, created_at,
                           track_opens, track_links)
SELECT id, email, name, password_hash, role, time_zone, locale, created_at, track_opens, track_links
FROM users;
DROP TABLE users;
ALTER TABLE users_rebuilt RENAME TO users;
CREATE INDEX users_team ON users (team_id);

-- A link to set one's password: sent on invitation and on a reset, used once. Only a hash of
-- the token is kept.
CREATE TABLE invitations (
    token_hash TEXT   PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX invitations_user ON invitations (user_id);

-- Who did what to accounts, when and from where; kept 180 days.
CREATE TABLE audit_events (
    id         INTEGER PRIMARY KEY,
    at         BIGINT NOT NULL,
    actor_id   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    action     TEXT   NOT NULL,
    subject_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    address    TEXT,
    detail     TEXT   NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_at ON audit_events (at);

COMMIT;
PRAGMA foreign_keys = ON;
