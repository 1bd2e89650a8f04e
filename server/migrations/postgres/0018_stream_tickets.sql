-- A stream's single-use ticket (EventSource cannot send the bearer token), kept in the database so
-- that a ticket taken through one instance opens a stream on any other. Only its hash is kept.
CREATE TABLE stream_tickets (
    ticket_hash   TEXT   PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash    TEXT   NOT NULL,
    session_until BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL
);
CREATE INDEX stream_tickets_expiry ON stream_tickets (expires_at);
