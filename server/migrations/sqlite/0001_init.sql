-- Timestamps are UTC milliseconds since the Unix epoch (BIGINT): portable to PostgreSQL and
-- cheap to index and compare. Every row that belongs to a rep carries owner_id.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('rep', 'admin')),
    time_zone     TEXT    NOT NULL DEFAULT 'UTC',
    locale        TEXT    NOT NULL DEFAULT 'en',
    created_at    BIGINT  NOT NULL
);

-- Only a hash of each bearer token is stored, so a leaked database grants no sessions.
CREATE TABLE sessions (
    token_hash TEXT   PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE campaigns (
    id         INTEGER PRIMARY KEY,
    owner_id   BIGINT NOT NULL REFERENCES users (id),
    name       TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX campaigns_owner ON campaigns (owner_id, id);

CREATE TABLE people (
    id           INTEGER PRIMARY KEY,
    owner_id     BIGINT NOT NULL REFERENCES users (id),
    first_name   TEXT   NOT NULL,
    last_name    TEXT   NOT NULL,
    email        TEXT   NOT NULL,
    company      TEXT   NOT NULL DEFAULT '',
    title        TEXT   NOT NULL DEFAULT '',
    phone        TEXT   NOT NULL DEFAULT '',
    linkedin_url TEXT   NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL
);
CREATE INDEX people_owner ON people (owner_id, id);

CREATE TABLE emails (
    id               INTEGER PRIMARY KEY,
    owner_id         BIGINT  NOT NULL REFERENCES users (id),
    person_id        BIGINT  NOT NULL REFERENCES people (id),
    campaign_id      BIGINT  REFERENCES campaigns (id),
    subject          TEXT    NOT NULL,
    body_html        TEXT    NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('draft', 'scheduled', 'in_progress',
                             'delivered', 'archived', 'failed', 'bounced', 'spam')),
    channel          TEXT    NOT NULL CHECK (channel IN ('msc', 'gmail', 'exchange')),
    is_bulk          BOOLEAN NOT NULL DEFAULT FALSE,
    message_id       TEXT    UNIQUE,
    failure_reason   TEXT,
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL,
    scheduled_at     BIGINT,
    sent_at          BIGINT,
    failed_at        BIGINT,
    -- The date the email's folder lists and sorts by (api::EmailSummary::folder_date), kept as
    -- a column so that one index serves every folder page.
    folder_at        BIGINT  NOT NULL,
    views            INTEGER NOT NULL DEFAULT 0,
    clicks           INTEGER NOT NULL DEFAULT 0,
    replies          INTEGER NOT NULL DEFAULT 0,
    last_activity_at BIGINT
);
CREATE INDEX emails_folder ON emails (owner_id, status, folder_at DESC, id DESC);
CREATE INDEX emails_person ON emails (person_id);

CREATE TABLE email_events (
    id          INTEGER PRIMARY KEY,
    email_id    BIGINT NOT NULL REFERENCES emails (id) ON DELETE CASCADE,
    kind        TEXT   NOT NULL CHECK (kind IN ('view', 'click', 'reply', 'bounce', 'spam')),
    url         TEXT,
    occurred_at BIGINT NOT NULL
);
CREATE INDEX email_events_email ON email_events (email_id, occurred_at);

CREATE TABLE tasks (
    id           INTEGER PRIMARY KEY,
    owner_id     BIGINT NOT NULL REFERENCES users (id),
    person_id    BIGINT REFERENCES people (id),
    email_id     BIGINT REFERENCES emails (id) ON DELETE SET NULL,
    campaign_id  BIGINT REFERENCES campaigns (id),
    title        TEXT   NOT NULL,
    kind         TEXT   NOT NULL CHECK (kind IN ('email', 'call', 'linkedin', 'custom')),
    priority     TEXT   NOT NULL CHECK (priority IN ('normal', 'high')),
    status       TEXT   NOT NULL CHECK (status IN ('open', 'completed', 'skipped')),
    due_at       BIGINT,
    notes        TEXT   NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    completed_at BIGINT
);
CREATE INDEX tasks_owner_due ON tasks (owner_id, status, due_at);
