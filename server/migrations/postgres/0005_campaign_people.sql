-- A campaign is a named group of people. Emails sent as part of it carry campaign_id (what the
-- search's campaign filter reads); membership says who the campaign is for, emailed yet or not.
CREATE TABLE campaign_people (
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    person_id   BIGINT NOT NULL REFERENCES people (id),
    added_at    BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, person_id)
);

-- Everyone already emailed as part of a campaign belongs to it.
INSERT INTO campaign_people (campaign_id, person_id, added_at)
SELECT campaign_id, person_id, MIN(created_at) FROM emails
WHERE campaign_id IS NOT NULL GROUP BY campaign_id, person_id;

CREATE UNIQUE INDEX campaigns_owner_name ON campaigns (owner_id, name);
