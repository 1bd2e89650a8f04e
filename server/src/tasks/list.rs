//! The task list's reads: one view's tasks with their filters, and every view's count, by due
//! date in the rep's time zone (the bounds come from `crate::time::day_bounds`).

use super::{select_task, Error, TaskRow};
use crate::db::Db;
use crate::time::DayBounds;
use api::{CampaignId, PersonId, Task, TaskCounts, UserId};

/// Which tasks a view holds.
pub enum Window {
    /// Open, due in `[from, to)`.
    Due { from: i64, to: i64 },
    /// Open, with no due date.
    NoDate,
    /// Completed or skipped, latest first.
    Done,
}

/// The list's filters; `None` lets everything through.
#[derive(Default)]
pub struct Filters<'a> {
    pub kind: Option<&'a str>,
    pub priority: Option<&'a str>,
    pub person_id: Option<PersonId>,
    pub campaign_id: Option<CampaignId>,
    /// High priority first, then by due date.
    pub by_priority: bool,
}

/// At most `limit` of `owner`'s tasks in `window`, filtered.
pub async fn list(
    db: &Db,
    owner: UserId,
    window: Window,
    filters: &Filters<'_>,
    limit: u32,
) -> Result<Vec<Task>, Error> {
    let (which, from, to) = match window {
        Window::Due { from, to } => ("dated", from, to),
        Window::NoDate => ("nodate", 0, 0),
        Window::Done => ("done", 0, 0),
    };
    let rows: Vec<TaskRow> = sqlx::query_as(select_task!(
        "WHERE t.owner_id = $1 AND t.deleted_at IS NULL
           AND (($2 = 'dated' AND t.status = 'open' AND t.due_at >= $3 AND t.due_at < $4)
             OR ($2 = 'nodate' AND t.status = 'open' AND t.due_at IS NULL)
             OR ($2 = 'done' AND t.status IN ('completed', 'skipped')))
           AND ($5 IS NULL OR t.kind = $5) AND ($6 IS NULL OR t.priority = $6)
           AND ($7 IS NULL OR t.person_id = $7) AND ($8 IS NULL OR t.campaign_id = $8)
         ORDER BY CASE WHEN $9 AND t.priority = 'high' THEN 1 ELSE 0 END DESC,
                  CASE WHEN $2 = 'done' THEN -t.completed_at ELSE 0 END,
                  t.due_at IS NULL, t.due_at, t.id
         LIMIT $10"
    ))
    .bind(owner)
    .bind(which)
    .bind(from)
    .bind(to)
    .bind(filters.kind)
    .bind(filters.priority)
    .bind(filters.person_id)
    .bind(filters.campaign_id)
    .bind(filters.by_priority)
    .bind(i64::from(limit))
    .fetch_all(db)
    .await?;
    rows.into_iter().map(Task::try_from).collect()
}

/// How many of `owner`'s tasks each view holds.
pub async fn counts(db: &Db, owner: UserId, bounds: &DayBounds) -> Result<TaskCounts, Error> {
    let (overdue, today, tomorrow, next7, nodate, done): (i64, i64, i64, i64, i64, i64) =
        sqlx::query_as(
            "SELECT COUNT(*) FILTER (WHERE status = 'open' AND due_at < $2),
                COUNT(*) FILTER (WHERE status = 'open' AND due_at >= $2 AND due_at < $3),
                COUNT(*) FILTER (WHERE status = 'open' AND due_at >= $3 AND due_at < $4),
                COUNT(*) FILTER (WHERE status = 'open' AND due_at >= $3 AND due_at < $5),
                COUNT(*) FILTER (WHERE status = 'open' AND due_at IS NULL),
                COUNT(*) FILTER (WHERE status <> 'open')
         FROM tasks WHERE owner_id = $1 AND deleted_at IS NULL",
        )
        .bind(owner)
        .bind(bounds.today)
        .bind(bounds.tomorrow)
        .bind(bounds.day_after)
        .bind(bounds.next7_end)
        .fetch_one(db)
        .await?;
    let n = |v: i64| v as u64;
    Ok(TaskCounts {
        overdue: n(overdue),
        today: n(today),
        tomorrow: n(tomorrow),
        next7: n(next7),
        nodate: n(nodate),
        done: n(done),
    })
}
