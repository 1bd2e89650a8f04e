//! Moves people through a campaign's sequence by `api::sequence`'s rules, inside the caller's
//! write transaction: the change that marks a step done (an email delivered, a task completed)
//! and the next step it creates commit together or not at all, so a crash never makes a step
//! twice nor loses one.

use api::sequence::{
    Effect, Enrolment, EnrolmentState, Event, FinishReason, Sequence, StepKind, StepTiming,
};
use api::{CampaignId, EmailId, PersonId, StepId, TaskId, TemplateId, UserId};
use chrono::{TimeZone, Utc};
use sqlx::AnyConnection;

type Result<T> = sqlx::Result<T>;

/// A person's enrolment as stored.
#[derive(sqlx::FromRow)]
struct Stored {
    campaign_id: CampaignId,
    person_id: PersonId,
    owner_id: UserId,
    state: String,
    finish_reason: Option<String>,
    done_steps: i64,
    pending_email_id: Option<EmailId>,
    pending_task_id: Option<TaskId>,
}

/// An enrolment's state as stored; a name this version does not know reads as finished (nothing
/// more is sent to them).
pub(super) fn stored_state(name: &str) -> EnrolmentState {
    name.parse().unwrap_or(EnrolmentState::Finished)
}

/// Why an enrolment finished, as stored; an unknown name reads as none given.
pub(super) fn stored_reason(name: Option<&str>) -> Option<FinishReason> {
    name.and_then(|name| name.parse().ok())
}

impl Stored {
    fn enrolment(&self) -> Enrolment {
        Enrolment {
            state: stored_state(&self.state),
            reason: stored_reason(self.finish_reason.as_deref()),
            done_steps: self.done_steps as usize,
            pending: self.pending_email_id.is_some() || self.pending_task_id.is_some(),
        }
    }
}

const SELECT_STORED: &str =
    "SELECT m.campaign_id, m.person_id, c.owner_id, m.state, m.finish_reason,
        m.done_steps, m.pending_email_id, m.pending_task_id
     FROM campaign_people m JOIN campaigns c ON c.id = m.campaign_id";

/// Which enrolments an event concerns.
pub enum Whose {
    /// The one whose pending step this email is.
    PendingEmail(EmailId),
    /// The one whose pending step this task is.
    PendingTask(TaskId),
    /// The one this campaign email belongs to (a reply to any of its emails ends it).
    EmailOf(EmailId),
    /// Every unfinished one of this person's.
    Person(PersonId),
    One {
        campaign_id: CampaignId,
        person_id: PersonId,
    },
}

/// Applies `event` to the enrolments it concerns, at `now`. Returns how many changed.
pub async fn apply(conn: &mut AnyConnection, whose: Whose, event: Event, now: i64) -> Result<u64> {
    let query = match whose {
        Whose::PendingEmail(id) => sqlx::query_as::<_, Stored>(sqlx::AssertSqlSafe(format!(
            "{SELECT_STORED} WHERE m.pending_email_id = $1"
        )))
        .bind(id),
        Whose::PendingTask(id) => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{SELECT_STORED} WHERE m.pending_task_id = $1"
        )))
        .bind(id),
        Whose::EmailOf(id) => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{SELECT_STORED} JOIN emails e ON e.campaign_id = m.campaign_id AND e.person_id = m.person_id
             WHERE e.id = $1"
        )))
        .bind(id),
        Whose::Person(id) => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{SELECT_STORED} WHERE m.person_id = $1 AND m.state <> 'finished'"
        )))
        .bind(id),
        Whose::One {
            campaign_id,
            person_id,
        } => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{SELECT_STORED} WHERE m.campaign_id = $1 AND m.person_id = $2"
        )))
        .bind(campaign_id)
        .bind(person_id),
    };
    let rows = query.fetch_all(&mut *conn).await?;
    let mut changed = 0;
    for stored in rows {
        if step_in(conn, &stored, event, now).await? {
            changed += 1;
        }
    }
    Ok(changed)
}

/// Starts newly enrolled people (their rows already inserted, active with nothing done).
pub async fn start(
    conn: &mut AnyConnection,
    campaign_id: CampaignId,
    person_ids: &[PersonId],
    now: i64,
) -> Result<()> {
    let rows: Vec<Stored> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT_STORED} WHERE m.campaign_id = $1
           AND m.person_id IN (SELECT CAST(value AS BIGINT) FROM json_each($2))"
    )))
    .bind(campaign_id)
    .bind(crate::db::id_list(person_ids.iter().copied()))
    .fetch_all(&mut *conn)
    .await?;
    advance_all(conn, campaign_id, rows, now).await
}

/// Starts everyone in a campaign who is active with nothing pending (enrolled before it had
/// steps, or past its last step before one was added).
pub async fn start_waiting(
    conn: &mut AnyConnection,
    campaign_id: CampaignId,
    now: i64,
) -> Result<()> {
    let rows: Vec<Stored> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT_STORED} WHERE m.campaign_id = $1 AND m.state = 'active'
           AND m.pending_email_id IS NULL AND m.pending_task_id IS NULL"
    )))
    .bind(campaign_id)
    .fetch_all(&mut *conn)
    .await?;
    advance_all(conn, campaign_id, rows, now).await
}

/// Makes the next step of each of one campaign's `rows` that has none pending.
async fn advance_all(
    conn: &mut AnyConnection,
    campaign_id: CampaignId,
    rows: Vec<Stored>,
    now: i64,
) -> Result<()> {
    let sequence = sequence(conn, campaign_id).await?;
    for stored in rows {
        let (next, effect) = stored.enrolment().advance(sequence);
        settle(conn, &stored, next, effect, now).await?;
    }
    Ok(())
}

/// The campaign's steps counted, and whether it is paused.
async fn sequence(conn: &mut AnyConnection, campaign_id: CampaignId) -> Result<Sequence> {
    let (steps, paused): (i64, crate::db::Flag) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM campaign_steps s WHERE s.campaign_id = c.id),
                c.paused_at IS NOT NULL
         FROM campaigns c WHERE c.id = $1",
    )
    .bind(campaign_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Sequence {
        steps: steps as usize,
        paused: paused.0,
    })
}

async fn step_in(
    conn: &mut AnyConnection,
    stored: &Stored,
    event: Event,
    now: i64,
) -> Result<bool> {
    let sequence = sequence(conn, stored.campaign_id).await?;
    let before = stored.enrolment();
    let (next, effect) = before.apply(event, sequence);
    if next == before && effect == Effect::Nothing {
        return Ok(false);
    }
    if let (Event::SendFailed, EnrolmentState::Paused) = (event, next.state) {
        sqlx::query(
            "UPDATE campaign_people SET pause_reason = COALESCE(
                (SELECT failure_reason FROM emails WHERE id = $1), pause_reason)
             WHERE campaign_id = $2 AND person_id = $3",
        )
        .bind(stored.pending_email_id)
        .bind(stored.campaign_id)
        .bind(stored.person_id)
        .execute(&mut *conn)
        .await?;
    }
    settle(conn, stored, next, effect, now).await?;
    Ok(true)
}

/// Carries out `effect` and saves the enrolment.
async fn settle(
    conn: &mut AnyConnection,
    stored: &Stored,
    next: Enrolment,
    effect: Effect,
    now: i64,
) -> Result<()> {
    let (mut email, mut task) = if next.pending {
        (stored.pending_email_id, stored.pending_task_id)
    } else {
        (None, None)
    };
    match effect {
        Effect::Nothing => {}
        Effect::CancelPending => cancel(conn, stored, now).await?,
        // The step made is the only one pending.
        Effect::CreateStep(index) => {
            (email, task) = match create_step(conn, stored, index, now).await? {
                Created::Email(id) => (Some(id), None),
                Created::Task(id) => (None, Some(id)),
            }
        }
    }
    sqlx::query(
        "UPDATE campaign_people SET state = $1, finish_reason = $2, done_steps = $3,
                pending_email_id = $4, pending_task_id = $5, updated_at = $6,
                pause_reason = CASE WHEN $7 = 'paused' THEN pause_reason ELSE NULL END
         WHERE campaign_id = $8 AND person_id = $9",
    )
    .bind(next.state.as_str())
    .bind(next.reason.map(FinishReason::as_str))
    .bind(next.done_steps as i64)
    .bind(email)
    .bind(task)
    .bind(now)
    .bind(next.state.as_str())
    .bind(stored.campaign_id)
    .bind(stored.person_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The pending step goes: its email is not sent (one already being sent cannot be called
/// back), its task leaves the list (restorable, like any deleted task).
async fn cancel(conn: &mut AnyConnection, stored: &Stored, now: i64) -> Result<()> {
    // Let go of it first: the enrolment refers to the email.
    sqlx::query(
        "UPDATE campaign_people SET pending_email_id = NULL, pending_task_id = NULL
         WHERE campaign_id = $1 AND person_id = $2",
    )
    .bind(stored.campaign_id)
    .bind(stored.person_id)
    .execute(&mut *conn)
    .await?;
    if let Some(id) = stored.pending_email_id {
        sqlx::query("DELETE FROM emails WHERE id = $1 AND status = 'scheduled'")
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    if let Some(id) = stored.pending_task_id {
        sqlx::query(
            "UPDATE tasks SET deleted_at = $1, updated_at = $1
             WHERE id = $2 AND status = 'open' AND deleted_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

enum Created {
    Email(EmailId),
    Task(TaskId),
}

#[derive(sqlx::FromRow)]
struct StepRow {
    id: StepId,
    kind: String,
    wait_days: i64,
    at_minute: Option<i64>,
    business_days: crate::db::Flag,
    subject: String,
    body: String,
    template_id: Option<TemplateId>,
    time_zone: String,
}

/// Makes the step at `index` for this person: an automatic email into Scheduled, any other
/// kind a task, due its wait after `now` in the rep's time zone (the first step: now).
#[tracing::instrument(name = "campaign step", skip_all, fields(campaign = %stored.campaign_id, person = %stored.person_id, step = index))]
async fn create_step(
    conn: &mut AnyConnection,
    stored: &Stored,
    index: usize,
    now: i64,
) -> Result<Created> {
    let step: StepRow = sqlx::query_as(
        "SELECT s.id, s.kind, s.wait_days, s.at_minute, (s.business_days = TRUE) AS business_days,
                s.subject, s.body, s.template_id, u.time_zone
         FROM campaign_steps s JOIN campaigns c ON c.id = s.campaign_id
         JOIN users u ON u.id = c.owner_id
         WHERE s.campaign_id = $1 ORDER BY s.position, s.id LIMIT 1 OFFSET $2",
    )
    .bind(stored.campaign_id)
    .bind(index as i64)
    .fetch_one(&mut *conn)
    .await?;
    let due = if index == 0 {
        now
    } else {
        let timing =
            super::steps::stored_timing(step.wait_days, step.at_minute, step.business_days.0);
        due_after(&timing, &step.time_zone, now)
    };
    let kind = step
        .kind
        .parse::<StepKind>()
        .ok()
        .unwrap_or(StepKind::Custom);
    match kind.task_kind() {
        None => {
            let (id,): (EmailId,) = sqlx::query_as(
                "INSERT INTO emails (owner_id, person_id, campaign_id, campaign_step_id, subject,
                                     body_html, status, channel, created_at, updated_at,
                                     scheduled_at, folder_at, template_id)
                 VALUES ($1, $2, $3, $4, $5, $6, 'scheduled', 'msc', $7, $7, $8, $8, $9)
                 RETURNING id",
            )
            .bind(stored.owner_id)
            .bind(stored.person_id)
            .bind(stored.campaign_id)
            .bind(step.id)
            .bind(&step.subject)
            .bind(&step.body)
            .bind(now)
            .bind(due)
            .bind(step.template_id)
            .fetch_one(&mut *conn)
            .await?;
            Ok(Created::Email(id))
        }
        Some(task_kind) => {
            let (id,): (TaskId,) = sqlx::query_as(
                "INSERT INTO tasks (owner_id, person_id, campaign_id, campaign_step_id, title, kind,
                                    priority, status, due_at, notes, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, 'normal', 'open', $7, $8, $9, $9) RETURNING id",
            )
            .bind(stored.owner_id)
            .bind(stored.person_id)
            .bind(stored.campaign_id)
            .bind(step.id)
            .bind(&step.subject)
            .bind(task_kind.as_str())
            .bind(due)
            .bind(&step.body)
            .bind(now)
            .fetch_one(&mut *conn)
            .await?;
            Ok(Created::Task(id))
        }
    }
}

/// When a step of `timing` falls due after a step done at `done` (UTC ms), in the rep's zone.
pub fn due_after(timing: &StepTiming, zone: &str, done: i64) -> i64 {
    let tz = crate::time::zone(zone);
    let done_utc = Utc
        .timestamp_millis_opt(done)
        .single()
        .expect("stored timestamps are in chrono's range");
    let local = timing.due_after(done_utc.with_timezone(&tz).naive_local());
    // A local time a DST change skips is taken an hour later; a repeated one, its first.
    let due = tz
        .from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(local + chrono::Duration::hours(1)))
                .earliest()
        })
        .map(|at| at.with_timezone(&Utc).timestamp_millis())
        .unwrap_or(done);
    due.max(done)
}
