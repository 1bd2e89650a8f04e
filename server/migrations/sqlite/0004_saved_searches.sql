-- Saved searches are dynamic lists: the query is kept (with its version), the members are not.
CREATE TABLE saved_searches (
    id         INTEGER PRIMARY KEY,
    owner_id   BIGINT NOT NULL REFERENCES users (id),
    name       TEXT   NOT NULL,
    query      TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (owner_id, name)
);

-- Who the rep has already seen in a saved search, so that newcomers can be marked new.
CREATE TABLE saved_search_seen (
    search_id BIGINT NOT NULL REFERENCES saved_searches (id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL,
    PRIMARY KEY (search_id, person_id)
);
