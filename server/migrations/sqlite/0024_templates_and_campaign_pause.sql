-- A paused campaign creates no step and sends none of its scheduled emails until it is resumed
-- (a person paused on their own stays paused when the campaign resumes).
ALTER TABLE campaigns ADD COLUMN paused_at BIGINT;

-- A rep's reusable subject and body, with merge fields. An email made from one (in compose, or
-- from a step that uses it) remembers it, so that the template's sends and rates can be counted.
CREATE TABLE templates (
    id         INTEGER PRIMARY KEY,
    owner_id   BIGINT NOT NULL REFERENCES users (id),
    name       TEXT   NOT NULL,
    subject    TEXT   NOT NULL,
    body       TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (owner_id, name)
);

ALTER TABLE emails ADD COLUMN template_id BIGINT REFERENCES templates (id) ON DELETE SET NULL;
CREATE INDEX emails_template ON emails (template_id);
ALTER TABLE campaign_steps ADD COLUMN template_id BIGINT REFERENCES templates (id) ON DELETE SET NULL;

-- A campaign's results by step count the emails and tasks each step became.
CREATE INDEX emails_campaign_step ON emails (campaign_step_id);
CREATE INDEX tasks_campaign_step ON tasks (campaign_step_id);
