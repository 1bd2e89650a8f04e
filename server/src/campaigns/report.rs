//! A campaign's results: each step's funnel (reached → sent → viewed → clicked → replied, or
//! reached → done for a task) and the replies its emails drew per day.

use super::{load, Result};
use crate::time::{from_ms, now_ms, zone};
use api::sequence::{CampaignReport, DayCount, StepKind, StepResults};
use api::{CampaignId, StepId, UserId};
use chrono::{Duration, TimeZone};
use sqlx::AnyConnection;

/// Days in the replies chart, today included.
const DAYS: i64 = 30;

#[derive(sqlx::FromRow)]
struct Row {
    id: StepId,
    kind: String,
    subject: String,
    emails: i64,
    sent: i64,
    viewed: i64,
    clicked: i64,
    replied: i64,
    tasks: i64,
    done: i64,
}

pub async fn report(
    conn: &mut AnyConnection,
    owner: UserId,
    campaign_id: CampaignId,
) -> Result<CampaignReport> {
    load(conn, owner, campaign_id).await?;
    // Each step's emails and tasks counted in one pass of its index entries (migration 0024).
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT s.id, s.kind, s.subject,
                COALESCE(e.emails, 0) AS emails, COALESCE(e.sent, 0) AS sent,
                COALESCE(e.viewed, 0) AS viewed, COALESCE(e.clicked, 0) AS clicked,
                COALESCE(e.replied, 0) AS replied,
                COALESCE(t.tasks, 0) AS tasks, COALESCE(t.done, 0) AS done
         FROM campaign_steps s
         LEFT JOIN (SELECT campaign_step_id,
                           COUNT(*) AS emails,
                           COUNT(*) FILTER (WHERE sent_at IS NOT NULL) AS sent,
                           COUNT(*) FILTER (WHERE views > 0) AS viewed,
                           COUNT(*) FILTER (WHERE clicks > 0) AS clicked,
                           COUNT(*) FILTER (WHERE replies > 0) AS replied
                    FROM emails WHERE campaign_id = $1 AND campaign_step_id IS NOT NULL
                    GROUP BY campaign_step_id) e ON e.campaign_step_id = s.id
         LEFT JOIN (SELECT campaign_step_id,
                           COUNT(*) AS tasks,
                           COUNT(*) FILTER (WHERE status <> 'open' AND deleted_at IS NULL) AS done
                    FROM tasks WHERE campaign_id = $1 AND campaign_step_id IS NOT NULL
                    GROUP BY campaign_step_id) t ON t.campaign_step_id = s.id
         WHERE s.campaign_id = $1 ORDER BY s.position, s.id",
    )
    .bind(campaign_id)
    .fetch_all(&mut *conn)
    .await?;
    let steps = rows
        .into_iter()
        .enumerate()
        .map(|(position, row)| StepResults {
            step_id: row.id,
            position: position as u32,
            kind: row
                .kind
                .parse::<StepKind>()
                .ok()
                .unwrap_or(StepKind::Custom),
            subject: row.subject,
            reached: (row.emails + row.tasks) as u64,
            sent: row.sent as u64,
            viewed: row.viewed as u64,
            clicked: row.clicked as u64,
            replied: row.replied as u64,
            done: row.done as u64,
        })
        .collect();
    Ok(CampaignReport {
        steps,
        replies_per_day: replies_per_day(conn, owner, campaign_id).await?,
    })
}

/// The replies to the campaign's emails on each of the last `DAYS` days of the rep's calendar.
async fn replies_per_day(
    conn: &mut AnyConnection,
    owner: UserId,
    campaign_id: CampaignId,
) -> Result<Vec<DayCount>> {
    let (time_zone,): (String,) = sqlx::query_as("SELECT time_zone FROM users WHERE id = $1")
        .bind(owner)
        .fetch_one(&mut *conn)
        .await?;
    let tz = zone(&time_zone);
    let today = from_ms(now_ms()).with_timezone(&tz).date_naive();
    let first = today - Duration::days(DAYS - 1);
    let since = crate::time::start_of_day(tz, first);
    let replies: Vec<(i64,)> = sqlx::query_as(
        "SELECT ev.occurred_at FROM emails e JOIN email_events ev ON ev.email_id = e.id
         WHERE e.campaign_id = $1 AND ev.kind = 'reply' AND ev.occurred_at >= $2",
    )
    .bind(campaign_id)
    .bind(since)
    .fetch_all(&mut *conn)
    .await?;
    let mut days: Vec<DayCount> = (0..DAYS)
        .map(|n| DayCount {
            day: first + Duration::days(n),
            count: 0,
        })
        .collect();
    for (at,) in replies {
        let day = tz.timestamp_millis_opt(at).single().map(|t| t.date_naive());
        if let Some(slot) = day.and_then(|d| days.iter_mut().find(|slot| slot.day == d)) {
            slot.count += 1;
        }
    }
    Ok(days)
}
