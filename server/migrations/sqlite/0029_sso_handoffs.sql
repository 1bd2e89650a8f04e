-- A single sign-on is bound to the browser that began it (the hash of a cookie set then) and to
-- the tab (the hash of a key the tab keeps to itself). It ends with a one-time code, not a
-- session: only that tab can exchange the code, within a minute, once. Sign-ins begun before
-- this change had neither binding and are forgotten.
DELETE FROM oidc_states;
ALTER TABLE oidc_states ADD COLUMN browser_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE oidc_states ADD COLUMN tab_hash TEXT NOT NULL DEFAULT '';

CREATE TABLE sso_handoffs (
    code_hash  TEXT   PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tab_hash   TEXT   NOT NULL,
    expires_at BIGINT NOT NULL
);

-- Who an account is at the provider, once linked by a verified email: later sign-ins find the
-- account by issuer and subject, whatever the provider then says the email is.
CREATE TABLE sso_identities (
    issuer    TEXT   NOT NULL,
    subject   TEXT   NOT NULL,
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    linked_at BIGINT NOT NULL,
    PRIMARY KEY (issuer, subject)
);
