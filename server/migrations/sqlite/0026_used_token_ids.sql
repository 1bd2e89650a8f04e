-- The ids (jti) of portal sign-in tokens already exchanged for a session: each is taken once.
-- Kept until the token would have expired anyway.
CREATE TABLE used_token_ids (
    jti        TEXT   PRIMARY KEY,
    expires_at BIGINT NOT NULL
);
CREATE INDEX used_token_ids_expiry ON used_token_ids (expires_at);
