-- A campaign's steps, in order. A step's text is copied into the email or task it becomes when a
-- person reaches it, so an edit reaches only the people who have not reached it yet.
CREATE TABLE campaign_steps (
    id            INTEGER PRIMARY KEY,
    campaign_id   BIGINT  NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    position      BIGINT  NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('automatic_email', 'manual_email', 'call',
                                                   'linkedin', 'custom')),
    wait_days     BIGINT  NOT NULL DEFAULT 0,
    at_minute     BIGINT,
    business_days BOOLEAN NOT NULL DEFAULT FALSE,
    subject       TEXT    NOT NULL,
    body          TEXT    NOT NULL DEFAULT '',
    created_at    BIGINT  NOT NULL,
    updated_at    BIGINT  NOT NULL
);
CREATE INDEX campaign_steps_order ON campaign_steps (campaign_id, position);

-- A member of a campaign is enrolled in its sequence (api::sequence::Enrolment). Only the next
-- step exists: the scheduled email or open task it became is the enrolment's pending one.
ALTER TABLE campaign_people ADD COLUMN state TEXT NOT NULL DEFAULT 'active'
    CHECK (state IN ('active', 'paused', 'finished'));
ALTER TABLE campaign_people ADD COLUMN finish_reason TEXT
    CHECK (finish_reason IN ('completed', 'replied', 'bounced', 'spam', 'opted_out', 'removed'));
ALTER TABLE campaign_people ADD COLUMN done_steps BIGINT NOT NULL DEFAULT 0;
ALTER TABLE campaign_people ADD COLUMN pending_email_id BIGINT REFERENCES emails (id) ON DELETE SET NULL;
ALTER TABLE campaign_people ADD COLUMN pending_task_id BIGINT REFERENCES tasks (id) ON DELETE SET NULL;
ALTER TABLE campaign_people ADD COLUMN pause_reason TEXT;
ALTER TABLE campaign_people ADD COLUMN updated_at BIGINT;
CREATE INDEX campaign_people_pending_email ON campaign_people (pending_email_id);
CREATE INDEX campaign_people_pending_task ON campaign_people (pending_task_id);

-- The step an email or task was made from.
ALTER TABLE emails ADD COLUMN campaign_step_id BIGINT REFERENCES campaign_steps (id) ON DELETE SET NULL;
ALTER TABLE tasks ADD COLUMN campaign_step_id BIGINT REFERENCES campaign_steps (id) ON DELETE SET NULL;
