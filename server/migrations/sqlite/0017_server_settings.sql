-- Settings every instance shares. PostgreSQL's instances keep the secret that signs the rep's
-- viewer cookie here (`secret`), so that a cookie signed by one is good on the others; SQLite's
-- one process keeps it in the data directory's `secret` file, readable by its user only.
CREATE TABLE server_settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
