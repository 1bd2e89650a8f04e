-- Sign-ins on their way through an OpenID provider: the state sent (hashed), with the nonce and
-- PKCE verifier to check what comes back, and where in the app to land. Each is used once.
CREATE TABLE oidc_states (
    state_hash TEXT   PRIMARY KEY,
    nonce      TEXT   NOT NULL,
    verifier   TEXT   NOT NULL,
    return_to  TEXT   NOT NULL,
    expires_at BIGINT NOT NULL
);
