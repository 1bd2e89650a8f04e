//! The demo's campaigns as running sequences: steps in the rep's language, and their people at
//! every stage (on each step with the next one made, paused, completed, replied, bounced).

use super::Rng;
use crate::campaigns::progress;
use api::{CampaignId, PersonId};
use sqlx::AnyConnection;

/// (kind, wait days, time of day in minutes, business days, English, Japanese subject or title,
/// body).
type DemoStep = (
    &'static str,
    i64,
    Option<i64>,
    bool,
    &'static str,
    &'static str,
    &'static str,
);

const OUTREACH: [DemoStep; 4] = [
    ("automatic_email", 0, None, false, "An idea for {{company}}", "{{company}} 様へのご提案",
     "<p>Hi {{first_name}},</p><p>Teams like yours at {{company}} cut their follow-up time in half with us. Worth a 20-minute look?</p>"),
    ("call", 2, Some(600), true, "Follow-up call", "フォローアップの電話",
     "Ask whether the email reached the right person, and who else decides."),
    ("automatic_email", 3, Some(540), true, "Following up", "先日のご連絡の件",
     "<p>Hi {{first_name}},</p><p>Following up on my last note: shall I send a short case study?</p>"),
    ("linkedin", 2, None, false, "Connect on LinkedIn", "LinkedIn でつながる",
     "A short note that mentions the case study."),
];

const FOLLOW_UP: [DemoStep; 3] = [
    ("automatic_email", 0, None, false, "Thank you for joining", "ご参加ありがとうございました",
     "<p>Hi {{first_name}},</p><p>Thank you for joining the webinar. The slides are attached to this email.</p>"),
    ("manual_email", 2, Some(600), false, "Personal note about their question", "ご質問への個別のご返信",
     "Answer the question they asked in the Q&A, in your own words."),
    ("custom", 5, Some(600), true, "Offer a demo slot", "デモの日程をご提案",
     "Check the calendar and offer two times."),
];

/// Gives each of the rep's two campaigns its steps and sets where its people stand; their
/// pending steps are made as the sender and the task list expect them, due later.
pub async fn seed(
    tx: &mut AnyConnection,
    rng: &mut Rng,
    campaign_ids: &[CampaignId],
    japanese: bool,
    now: i64,
) -> anyhow::Result<()> {
    for (campaign_id, steps) in campaign_ids.iter().zip([&OUTREACH[..], &FOLLOW_UP[..]]) {
        for (position, (kind, wait, at, business, en, ja, body)) in steps.iter().enumerate() {
            sqlx::query(
                "INSERT INTO campaign_steps (campaign_id, position, kind, wait_days, at_minute,
                                             business_days, subject, body, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
            )
            .bind(campaign_id)
            .bind(position as i64)
            .bind(*kind)
            .bind(*wait)
            .bind(*at)
            .bind(*business)
            .bind(if japanese { *ja } else { *en })
            .bind(*body)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        stages(tx, rng, *campaign_id, steps.len() as i64, now).await?;
    }
    Ok(())
}

async fn stages(
    tx: &mut AnyConnection,
    rng: &mut Rng,
    campaign_id: CampaignId,
    steps: i64,
    now: i64,
) -> anyhow::Result<()> {
    // Replied to any of the campaign's emails, or the latest one bounced: finished so.
    let members: Vec<(i64, i64, Option<String>)> = sqlx::query_as(
        "SELECT m.person_id,
                (SELECT COUNT(*) FROM emails e WHERE e.campaign_id = m.campaign_id
                   AND e.person_id = m.person_id AND e.replies > 0),
                (SELECT e.status FROM emails e WHERE e.campaign_id = m.campaign_id
                   AND e.person_id = m.person_id AND e.sent_at IS NOT NULL
                 ORDER BY e.sent_at DESC, e.id DESC LIMIT 1)
         FROM campaign_people m WHERE m.campaign_id = $1 ORDER BY m.person_id",
    )
    .bind(campaign_id)
    .fetch_all(&mut *tx)
    .await?;
    let steps_made: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT id, kind, subject FROM campaign_steps WHERE campaign_id = $1 ORDER BY position",
    )
    .bind(campaign_id)
    .fetch_all(&mut *tx)
    .await?;
    let mut paused = Vec::new();
    for (person_id, replies, latest) in members {
        let (state, reason, done) = if replies > 0 {
            (
                "finished",
                Some("replied"),
                1 + rng.below(steps as u64 - 1) as i64,
            )
        } else if latest.as_deref() == Some("bounced") {
            ("finished", Some("bounced"), 1)
        } else if rng.unit() < 0.15 {
            ("finished", Some("completed"), steps)
        } else {
            // On a step after the first, its next one made below; some of them paused.
            if rng.unit() < 0.1 {
                paused.push(person_id);
            }
            ("active", None, 1 + rng.below(steps as u64 - 1) as i64)
        };
        sqlx::query(
            "UPDATE campaign_people SET state = $1, finish_reason = $2, done_steps = $3, updated_at = $4
             WHERE campaign_id = $5 AND person_id = $6",
        )
        .bind(state)
        .bind(reason)
        .bind(done)
        .bind(now)
        .bind(campaign_id)
        .bind(person_id)
        .execute(&mut *tx)
        .await?;
        history(
            tx,
            campaign_id,
            PersonId(person_id),
            &steps_made[..done as usize],
            now,
        )
        .await?;
    }
    // Every later step waits at least a day: nothing falls due the moment the demo starts.
    progress::start_waiting(tx, campaign_id, now).await?;
    for person_id in paused {
        sqlx::query(
            "UPDATE campaign_people SET state = 'paused' WHERE campaign_id = $1 AND person_id = $2",
        )
        .bind(campaign_id)
        .bind(person_id)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// The steps a person has done, as the campaign's results count them: an email step is one of
/// their campaign emails already sent (oldest first), a task step a task completed a day apart.
async fn history(
    tx: &mut AnyConnection,
    campaign_id: CampaignId,
    person_id: PersonId,
    done: &[(i64, String, String)],
    now: i64,
) -> anyhow::Result<()> {
    const DAY: i64 = 86_400_000;
    for (index, (step_id, kind, subject)) in done.iter().enumerate() {
        let task_kind = kind
            .parse::<api::sequence::StepKind>()
            .ok()
            .and_then(|k| k.task_kind());
        let Some(task_kind) = task_kind else {
            sqlx::query(
                "UPDATE emails SET campaign_step_id = $1 WHERE id = (
                     SELECT id FROM emails WHERE campaign_id = $2 AND person_id = $3
                       AND sent_at IS NOT NULL AND campaign_step_id IS NULL
                     ORDER BY sent_at, id LIMIT 1)",
            )
            .bind(step_id)
            .bind(campaign_id)
            .bind(person_id)
            .execute(&mut *tx)
            .await?;
            continue;
        };
        let at = now - (done.len() - index) as i64 * DAY;
        sqlx::query(
            "INSERT INTO tasks (owner_id, person_id, campaign_id, campaign_step_id, title, kind,
                                priority, status, due_at, notes, created_at, updated_at,
                                completed_at)
             SELECT c.owner_id, $1, c.id, $2, $3, $4, 'normal', 'completed', $5, '', $5, $5, $5
             FROM campaigns c WHERE c.id = $6",
        )
        .bind(person_id)
        .bind(step_id)
        .bind(subject)
        .bind(task_kind.as_str())
        .bind(at)
        .bind(campaign_id)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}
