//! People in a campaign: enrolled (their first step made at once), listed with where they stand,
//! paused, resumed and removed.

use super::progress::{self, Whose};
use super::{load, Error, Result};
use crate::time::from_ms_opt;
use api::sequence::{EnrolledPerson, EnrolmentRefusal, EnrolmentReport, EnrolmentState, Event};
use api::{CampaignId, EmailId, Id, Lang, PersonId, TaskId, Text, UserId};
use sqlx::AnyConnection;

pub const NOT_ENROLLED: Text = Text::fixed(
    "That person is not in this campaign.",
    "その人はこのキャンペーンに入っていません。",
);

#[derive(sqlx::FromRow)]
struct Candidate {
    id: PersonId,
    first_name: String,
    last_name: String,
    email: String,
    opted_out: crate::db::Flag,
    bounced: crate::db::Flag,
    state: Option<String>,
}

/// Enrols the rep's people in one of the rep's campaigns. Someone already active or paused in
/// it is counted and left as they are; someone who opted out, or whose latest email bounced (their
/// address is known bad, until an email to them is delivered again), is refused, named, with the
/// reason; someone who finished it starts again from the first step.
pub async fn enrol(
    conn: &mut AnyConnection,
    owner: UserId,
    campaign_id: CampaignId,
    person_ids: &[PersonId],
    lang: Lang,
    now: i64,
) -> Result<EnrolmentReport> {
    let ids = crate::db::id_list(person_ids.iter().copied());
    let candidates: Vec<Candidate> = sqlx::query_as(
        "SELECT p.id, p.first_name, p.last_name, p.email,
                COALESCE(p.opted_out_at, p.do_not_contact_at) IS NOT NULL AS opted_out,
                COALESCE((SELECT e.status = 'bounced' FROM emails e
                          WHERE e.person_id = p.id AND e.sent_at IS NOT NULL
                          ORDER BY e.sent_at DESC, e.id DESC LIMIT 1), FALSE) AS bounced,
                m.state
         FROM people p
         LEFT JOIN campaign_people m ON m.person_id = p.id AND m.campaign_id = $3
         WHERE p.owner_id = $1 AND p.deleted_at IS NULL
           AND p.id IN (SELECT CAST(value AS BIGINT) FROM json_each($2))
         ORDER BY p.id",
    )
    .bind(owner)
    .bind(&ids)
    .bind(campaign_id)
    .fetch_all(&mut *conn)
    .await?;
    let distinct = person_ids
        .iter()
        .collect::<std::collections::HashSet<_>>()
        .len();
    if candidates.len() != distinct {
        return Err(Error::NotFound(Text::fixed(
            "Some of these people are not among yours; nobody was enrolled.",
            "あなたの連絡先にない人が含まれています。誰も登録していません。",
        )));
    }
    let mut report = EnrolmentReport::default();
    let mut started = Vec::new();
    for person in candidates {
        let name = format!("{} {}", person.first_name, person.last_name)
            .trim()
            .to_owned();
        let refusal = if person.opted_out.0 {
            Some(Text::fixed(
                "opted out of your emails",
                "メールの配信を停止しています",
            ))
        } else if person.bounced.0 {
            Some(Text::fixed(
                "the latest email to them bounced",
                "この人への直近のメールがバウンスしました",
            ))
        } else {
            None
        };
        if let Some(reason) = refusal {
            report.refused.push(EnrolmentRefusal {
                person_id: person.id,
                name: if name.is_empty() { person.email } else { name },
                reason: reason.get(lang).to_owned(),
            });
            continue;
        }
        match person.state.as_deref() {
            Some("active") | Some("paused") => {
                report.already_enrolled += 1;
                continue;
            }
            Some(_) => {
                sqlx::query(
                    "UPDATE campaign_people SET state = 'active', finish_reason = NULL,
                            done_steps = 0, pending_email_id = NULL, pending_task_id = NULL,
                            pause_reason = NULL, added_at = $1, updated_at = $1
                     WHERE campaign_id = $2 AND person_id = $3",
                )
                .bind(now)
                .bind(campaign_id)
                .bind(person.id)
                .execute(&mut *conn)
                .await?;
            }
            None => {
                sqlx::query(
                    "INSERT INTO campaign_people (campaign_id, person_id, added_at, updated_at)
                     VALUES ($1, $2, $3, $3)",
                )
                .bind(campaign_id)
                .bind(person.id)
                .bind(now)
                .execute(&mut *conn)
                .await?;
            }
        }
        started.push(person.id);
    }
    // Their first steps, with the campaign's steps counted once.
    progress::start(conn, campaign_id, &started, now).await?;
    report.enrolled = started.len() as u64;
    Ok(report)
}

#[derive(sqlx::FromRow)]
struct Row {
    person_id: PersonId,
    first_name: String,
    last_name: String,
    email: String,
    state: String,
    finish_reason: Option<String>,
    pause_reason: Option<String>,
    done_steps: i64,
    next_due: Option<i64>,
    pending_email_id: Option<EmailId>,
    pending_task_id: Option<TaskId>,
}

/// Everyone in the campaign, in the order they were enrolled; `state` narrows it.
pub async fn list(
    conn: &mut AnyConnection,
    owner: UserId,
    campaign_id: CampaignId,
    state: Option<EnrolmentState>,
) -> Result<Vec<EnrolledPerson>> {
    load(conn, owner, campaign_id).await?;
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT m.person_id, p.first_name, p.last_name, p.email, m.state, m.finish_reason,
                m.pause_reason, m.done_steps,
                COALESCE((SELECT e.scheduled_at FROM emails e WHERE e.id = m.pending_email_id),
                         (SELECT t.due_at FROM tasks t WHERE t.id = m.pending_task_id)) AS next_due,
                m.pending_email_id, m.pending_task_id
         FROM campaign_people m JOIN people p ON p.id = m.person_id
         WHERE m.campaign_id = $1 AND ($2 = '' OR m.state = $2)
         ORDER BY m.added_at, m.person_id",
    )
    .bind(campaign_id)
    .bind(state.map_or("", EnrolmentState::as_str))
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| EnrolledPerson {
            person_id: row.person_id,
            name: format!("{} {}", row.first_name, row.last_name)
                .trim()
                .to_owned(),
            email: row.email,
            state: progress::stored_state(&row.state),
            finish_reason: progress::stored_reason(row.finish_reason.as_deref()),
            pause_reason: row.pause_reason,
            done_steps: row.done_steps as u32,
            next_due: from_ms_opt(row.next_due),
            pending_email_id: row.pending_email_id,
            pending_task_id: row.pending_task_id,
        })
        .collect())
}

/// What the rep does to one person in a campaign.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PersonCommand {
    Pause,
    Resume,
    Remove,
}

/// Pauses, resumes or removes one person. A paused person's scheduled email is held (the
/// sender skips it); resuming sends one whose time has passed from now.
pub async fn command(
    conn: &mut AnyConnection,
    owner: UserId,
    campaign_id: CampaignId,
    person_id: PersonId,
    command: PersonCommand,
    now: i64,
) -> Result<()> {
    load(conn, owner, campaign_id).await?;
    let known: Option<(Id,)> = sqlx::query_as(
        "SELECT person_id FROM campaign_people WHERE campaign_id = $1 AND person_id = $2",
    )
    .bind(campaign_id)
    .bind(person_id)
    .fetch_optional(&mut *conn)
    .await?;
    if known.is_none() {
        return Err(Error::NotFound(NOT_ENROLLED));
    }
    let event = match command {
        PersonCommand::Pause => Event::Pause,
        PersonCommand::Resume => Event::Resume,
        PersonCommand::Remove => Event::Removed,
    };
    let whose = Whose::One {
        campaign_id,
        person_id,
    };
    let changed = progress::apply(conn, whose, event, now).await?;
    // Only a person who was paused has an email held; resuming anyone else changes nothing.
    if command == PersonCommand::Resume && changed > 0 {
        sqlx::query(
            "UPDATE emails SET scheduled_at = $1, folder_at = $1, updated_at = $1
             WHERE status = 'scheduled' AND scheduled_at < $1
               AND id = (SELECT pending_email_id FROM campaign_people
                         WHERE campaign_id = $2 AND person_id = $3)",
        )
        .bind(now)
        .bind(campaign_id)
        .bind(person_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
