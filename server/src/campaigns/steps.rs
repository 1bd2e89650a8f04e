//! A campaign's steps: listed, added, edited, moved and removed. A step's text is copied into
//! the email or task it becomes, so an edit reaches only those who have not reached it.

use super::{load, Error, Result};
use api::sequence::{
    CampaignStep, StepInput, StepKind, StepTiming, MAX_WAIT_DAYS, MINUTES_PER_DAY,
};
use api::{CampaignId, Id, StepId, TemplateId, Text, UserId};
use sqlx::AnyConnection;

/// At most this many steps in one campaign.
pub const MAX_STEPS: usize = 30;
const MAX_SUBJECT_CHARS: usize = crate::outbox::MAX_SUBJECT_CHARS;

pub const NO_SUCH_STEP: Text = Text::fixed(
    "That campaign has no step with that id.",
    "そのキャンペーンにその ID のステップはありません。",
);

/// A step's fields, checked.
struct Step {
    kind: StepKind,
    timing: StepTiming,
    subject: String,
    body: String,
    template_id: Option<TemplateId>,
}

fn parse(input: &StepInput) -> Result<Step> {
    let asked = match input.kind {
        StepKind::AutomaticEmail | StepKind::ManualEmail => Text::fixed(
            "Give the email a subject.",
            "メールの件名を入力してください。",
        ),
        _ => Text::fixed(
            "Give the task a title.",
            "タスクのタイトルを入力してください。",
        ),
    };
    let subject = Error::one_line("subject", &input.subject, MAX_SUBJECT_CHARS, asked)?;
    let subject = subject.as_str();
    if input.timing.wait_days > MAX_WAIT_DAYS {
        return Err(Error::unprocessable(
            "wait_days",
            Text::new(
                format!("Wait at most {MAX_WAIT_DAYS} days."),
                format!("待機日数は {MAX_WAIT_DAYS} 日以内にしてください。"),
            ),
        ));
    }
    if input.timing.at_minute.is_some_and(|m| m >= MINUTES_PER_DAY) {
        return Err(Error::unprocessable(
            "at_minute",
            Text::fixed(
                "The time of day is between 00:00 and 23:59.",
                "時刻は 00:00 から 23:59 の間で指定してください。",
            ),
        ));
    }
    if input.body.len() > api::MAX_BODY_BYTES {
        return Err(Error::unprocessable(
            "body",
            api::body_too_large(input.body.len()),
        ));
    }
    if input.kind == StepKind::AutomaticEmail && input.body.trim().is_empty() {
        return Err(Error::unprocessable(
            "body",
            Text::fixed(
                "An automatic email needs a body.",
                "自動メールには本文が必要です。",
            ),
        ));
    }
    let body = match input.kind {
        StepKind::AutomaticEmail | StepKind::ManualEmail => {
            for (field, text) in [("subject", subject), ("body", input.body.as_str())] {
                let unknown = api::merge::unknown_fields(text);
                if !unknown.is_empty() {
                    return Err(Error::unprocessable(
                        field,
                        api::merge::unknown_fields_refusal(&unknown),
                    ));
                }
            }
            crate::outbox::sanitize_body(&input.body)
        }
        // A task's notes are shown as text.
        _ => input.body.clone(),
    };
    Ok(Step {
        kind: input.kind,
        timing: input.timing,
        subject: subject.to_owned(),
        body,
        template_id: input.template_id,
    })
}

/// A step's timing as its columns hold it.
pub(super) fn stored_timing(
    wait_days: i64,
    at_minute: Option<i64>,
    business_days: bool,
) -> StepTiming {
    StepTiming {
        wait_days: wait_days as u32,
        at_minute: at_minute.map(|m| m as u16),
        business_days,
    }
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
    template_id: Option<Id>,
    reached: i64,
}

/// The campaign's steps in order, each with how many people it has become an email or task for.
pub async fn list(
    conn: &mut AnyConnection,
    owner: UserId,
    campaign_id: CampaignId,
) -> Result<Vec<CampaignStep>> {
    load(conn, owner, campaign_id).await?;
    let rows: Vec<StepRow> = sqlx::query_as(
        "SELECT s.id, s.kind, s.wait_days, s.at_minute, (s.business_days = TRUE) AS business_days,
                s.subject, s.body, s.template_id,
                (SELECT COUNT(*) FROM emails e WHERE e.campaign_step_id = s.id)
                  + (SELECT COUNT(*) FROM tasks t WHERE t.campaign_step_id = s.id) AS reached
         FROM campaign_steps s WHERE s.campaign_id = $1 ORDER BY s.position, s.id",
    )
    .bind(campaign_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .enumerate()
        .map(|(position, row)| CampaignStep {
            id: row.id,
            position: position as u32,
            kind: row
                .kind
                .parse::<StepKind>()
                .ok()
                .unwrap_or(StepKind::Custom),
            timing: stored_timing(row.wait_days, row.at_minute, row.business_days.0),
            subject: row.subject,
            body: row.body,
            template_id: row.template_id.map(TemplateId),
            reached: row.reached as u64,
        })
        .collect())
}

/// The step ids in order.
async fn order(conn: &mut AnyConnection, campaign_id: CampaignId) -> Result<Vec<StepId>> {
    let ids: Vec<(StepId,)> = sqlx::query_as(
        "SELECT id FROM campaign_steps WHERE campaign_id = $1 ORDER BY position, id",
    )
    .bind(campaign_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(ids.into_iter().map(|(id,)| id).collect())
}

/// Numbers the steps 0, 1, 2, ... in the order given.
async fn renumber(conn: &mut AnyConnection, ids: &[StepId]) -> Result<()> {
    for (position, id) in ids.iter().enumerate() {
        sqlx::query("UPDATE campaign_steps SET position = $1 WHERE id = $2")
            .bind(position as i64)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

fn place(ids: &mut Vec<StepId>, id: StepId, position: Option<u32>) {
    ids.retain(|other| *other != id);
    let at = position.map_or(ids.len(), |p| (p as usize).min(ids.len()));
    ids.insert(at, id);
}

/// Gives a step of the campaign its checked fields; `false`: it has no such step.
async fn write(
    conn: &mut AnyConnection,
    owner: UserId,
    campaign_id: CampaignId,
    step_id: StepId,
    step: &Step,
    now: i64,
) -> Result<bool> {
    if !crate::templates::is_owned(conn, owner, step.template_id).await? {
        return Err(Error::unprocessable(
            "template_id",
            crate::templates::NOT_YOURS,
        ));
    }
    let updated = sqlx::query(
        "UPDATE campaign_steps SET kind = $1, wait_days = $2, at_minute = $3, business_days = $4,
                subject = $5, body = $6, template_id = $7, updated_at = $8
         WHERE id = $9 AND campaign_id = $10",
    )
    .bind(step.kind.as_str())
    .bind(i64::from(step.timing.wait_days))
    .bind(step.timing.at_minute.map(i64::from))
    .bind(step.timing.business_days)
    .bind(&step.subject)
    .bind(&step.body)
    .bind(step.template_id)
    .bind(now)
    .bind(step_id)
    .bind(campaign_id)
    .execute(&mut *conn)
    .await?;
    Ok(updated.rows_affected() > 0)
}

/// Adds a step; people waiting for one (enrolled before the campaign had steps, or past its
/// last) start on it.
pub async fn add(
    conn: &mut AnyConnection,
    owner: UserId,
    campaign_id: CampaignId,
    input: &StepInput,
    now: i64,
) -> Result<StepId> {
    load(conn, owner, campaign_id).await?;
    let step = parse(input)?;
    let mut ids = order(conn, campaign_id).await?;
    if ids.len() >= MAX_STEPS {
        return Err(Error::Conflict(Text::new(
            format!("A campaign has at most {MAX_STEPS} steps."),
            format!("キャンペーンのステップは {MAX_STEPS} 個までです。"),
        )));
    }
    // Made at the end with its kind and subject, then given every field as an edit is.
    let (id,): (StepId,) = sqlx::query_as(
        "INSERT INTO campaign_steps (campaign_id, position, kind, subject, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(campaign_id)
    .bind(ids.len() as i64)
    .bind(step.kind.as_str())
    .bind(&step.subject)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    write(conn, owner, campaign_id, id, &step, now).await?;
    place(&mut ids, id, input.position);
    renumber(conn, &ids).await?;
    super::progress::start_waiting(conn, campaign_id, now).await?;
    Ok(id)
}

/// Changes a step, and moves it when `position` is given. Emails and tasks it has already
/// become keep their text.
pub async fn edit(
    conn: &mut AnyConnection,
    owner: UserId,
    campaign_id: CampaignId,
    step_id: StepId,
    input: &StepInput,
    now: i64,
) -> Result<()> {
    load(conn, owner, campaign_id).await?;
    let step = parse(input)?;
    let updated = write(conn, owner, campaign_id, step_id, &step, now).await?;
    if !updated {
        return Err(Error::NotFound(NO_SUCH_STEP));
    }
    if input.position.is_some() {
        let mut ids = order(conn, campaign_id).await?;
        place(&mut ids, step_id, input.position);
        renumber(conn, &ids).await?;
    }
    Ok(())
}

/// Removes a step. Its emails and tasks already made stay (and count as that step done when
/// done); the steps after it move up.
pub async fn remove(
    conn: &mut AnyConnection,
    owner: UserId,
    campaign_id: CampaignId,
    step_id: StepId,
) -> Result<()> {
    load(conn, owner, campaign_id).await?;
    let removed = sqlx::query("DELETE FROM campaign_steps WHERE id = $1 AND campaign_id = $2")
        .bind(step_id)
        .bind(campaign_id)
        .execute(&mut *conn)
        .await?;
    if removed.rows_affected() == 0 {
        return Err(Error::NotFound(NO_SUCH_STEP));
    }
    let ids = order(conn, campaign_id).await?;
    renumber(conn, &ids).await
}
