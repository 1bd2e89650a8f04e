-- Search version 2 asks engagement of one email: "has this email at least one click in the
-- window" is one probe of (email_id, kind, occurred_at). email_events_email (email_id,
-- occurred_at) would read every event of the email.
CREATE INDEX email_events_email_kind ON email_events (email_id, kind, occurred_at);

-- "Is the person in a campaign at all" starts from the person.
CREATE INDEX campaign_people_person ON campaign_people (person_id, campaign_id);

-- A list saved by version 1 whose meaning changed when it was upgraded keeps the query it was
-- saved with here until the rep has been told (the next time they open it).
ALTER TABLE saved_searches ADD COLUMN previous_query TEXT;

-- A saved search's members are emails now: newcomers are the emails that joined since the rep
-- last looked. Everyone seen before stays seen, with all their emails.
CREATE TABLE saved_search_seen_emails (
    search_id BIGINT NOT NULL REFERENCES saved_searches (id) ON DELETE CASCADE,
    email_id  BIGINT NOT NULL,
    PRIMARY KEY (search_id, email_id)
);
INSERT INTO saved_search_seen_emails (search_id, email_id)
SELECT s.search_id, e.id FROM saved_search_seen s JOIN emails e ON e.person_id = s.person_id;
DROP TABLE saved_search_seen;
