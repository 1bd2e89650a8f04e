//! Tasks: what a rep may create, change and do to them (the rules of `api::TaskAction` checked
//! against the stored task), with their own error type; `http` only translates requests and
//! errors. Reads of the task list and its counts are `list`.

mod error;
pub mod list;
mod row;

pub use error::{Error, NOT_FOUND};
pub(crate) use row::{select_task, TaskRow};

use crate::time::now_ms;
use api::{
    CampaignId, NewTask, PersonId, Priority, Task, TaskAction, TaskBulkRequest, TaskId, TaskKind,
    TaskPatch, TaskStatus, Text, UserId,
};
use sqlx::AnyConnection;

pub type Result<T, E = Error> = std::result::Result<T, E>;

const MAX_BULK: usize = 1000;
const MAX_TITLE_CHARS: usize = 300;
const CHOOSE_DUE_DATE: Text =
    Text::fixed("Choose the new due date.", "新しい期日を選んでください。");

pub async fn load(conn: &mut AnyConnection, owner: UserId, id: TaskId) -> Result<Task> {
    let row: Option<TaskRow> = sqlx::query_as(select_task!(
        "WHERE t.id = $1 AND t.owner_id = $2 AND t.deleted_at IS NULL"
    ))
    .bind(id)
    .bind(owner)
    .fetch_optional(&mut *conn)
    .await?;
    row.ok_or(Error::NotFound(NOT_FOUND))?.try_into()
}

fn parse_title(title: &str) -> Result<String> {
    let asked = Text::fixed(
        "Give the task a title.",
        "タスクのタイトルを入力してください。",
    );
    Ok(Error::one_line("title", title, MAX_TITLE_CHARS, asked)?.into_string())
}

fn parse_kind(kind: &str) -> Result<TaskKind> {
    kind.parse().map_err(|_| {
        Error::unprocessable(
            "kind",
            Text::new(
                format!("`{kind}` is not a task type; use email, call, linkedin or custom."),
                format!("`{kind}` はタスクの種類ではありません。email、call、linkedin、custom のいずれかです。"),
            ),
        )
    })
}

fn parse_priority(priority: &str) -> Result<Priority> {
    priority.parse().map_err(|_| {
        Error::unprocessable(
            "priority",
            Text::new(
                format!("`{priority}` is not a priority; use normal or high."),
                format!("`{priority}` は優先度ではありません。normal か high です。"),
            ),
        )
    })
}

/// What a task may be about: each must be the rep's own.
enum About {
    Person(PersonId),
    Campaign(CampaignId),
}

async fn owned(conn: &mut AnyConnection, owner: UserId, about: About) -> Result<bool> {
    let query = match about {
        About::Person(id) => {
            sqlx::query_as("SELECT 1 FROM people WHERE id = $1 AND owner_id = $2").bind(id)
        }
        About::Campaign(id) => {
            sqlx::query_as("SELECT 1 FROM campaigns WHERE id = $1 AND owner_id = $2").bind(id)
        }
    };
    let found: Option<(i64,)> = query.bind(owner).fetch_optional(&mut *conn).await?;
    Ok(found.is_some())
}

/// Creates a task for `owner`; answers its id.
pub async fn create(conn: &mut AnyConnection, owner: UserId, new: NewTask) -> Result<TaskId> {
    let title = parse_title(&new.title)?;
    let kind = parse_kind(&new.kind)?;
    let priority = parse_priority(new.priority.as_deref().unwrap_or("normal"))?;
    let (mut person_id, mut campaign_id) = (new.person_id, new.campaign_id);
    // A task made from an email is about that email's person and campaign, unless told otherwise.
    if let Some(email_id) = new.email_id {
        let email: Option<(PersonId, Option<CampaignId>)> = sqlx::query_as(
            "SELECT person_id, campaign_id FROM emails WHERE id = $1 AND owner_id = $2",
        )
        .bind(email_id)
        .bind(owner)
        .fetch_optional(&mut *conn)
        .await?;
        let (email_person, email_campaign) = email.ok_or_else(|| {
            Error::unprocessable(
                "email_id",
                Text::fixed(
                    "That email is not in your outbox.",
                    "そのメールはあなたの送信トレイにありません。",
                ),
            )
        })?;
        person_id = person_id.or(Some(email_person));
        campaign_id = campaign_id.or(email_campaign);
    }
    if let Some(id) = person_id {
        if !owned(&mut *conn, owner, About::Person(id)).await? {
            return Err(Error::unprocessable(
                "person_id",
                Text::fixed(
                    "Choose a person from your people.",
                    "あなたの連絡先から相手を選んでください。",
                ),
            ));
        }
    }
    if let Some(id) = campaign_id {
        if !owned(&mut *conn, owner, About::Campaign(id)).await? {
            return Err(Error::unprocessable(
                "campaign_id",
                Text::fixed(
                    "Choose one of your campaigns.",
                    "あなたのキャンペーンから選んでください。",
                ),
            ));
        }
    }
    let now = now_ms();
    let (id,): (TaskId,) = sqlx::query_as(
        "INSERT INTO tasks (owner_id, person_id, email_id, campaign_id, title, kind, priority, status,
                            due_at, notes, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9, $10, $11) RETURNING id",
    )
    .bind(owner)
    .bind(person_id)
    .bind(new.email_id)
    .bind(campaign_id)
    .bind(title)
    .bind(kind.as_str())
    .bind(priority.as_str())
    .bind(new.due_at.map(|at| at.timestamp_millis()))
    .bind(new.notes.unwrap_or_default())
    .bind(now)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// Changes the fields `patch` names of one of `owner`'s tasks.
pub async fn edit(
    conn: &mut AnyConnection,
    owner: UserId,
    id: TaskId,
    patch: TaskPatch,
) -> Result<()> {
    load(&mut *conn, owner, id).await?;
    let title = patch.title.as_deref().map(parse_title).transpose()?;
    let kind = patch.kind.as_deref().map(parse_kind).transpose()?;
    let priority = patch.priority.as_deref().map(parse_priority).transpose()?;
    if let Some(person) = patch.person_id {
        if !owned(&mut *conn, owner, About::Person(person)).await? {
            return Err(Error::unprocessable(
                "person_id",
                Text::fixed(
                    "Choose a person from your people.",
                    "あなたの連絡先から相手を選んでください。",
                ),
            ));
        }
    }
    sqlx::query(
        "UPDATE tasks SET title = COALESCE($1, title), kind = COALESCE($2, kind), priority = COALESCE($3, priority),
                due_at = CASE WHEN $4 THEN NULL ELSE COALESCE($5, due_at) END,
                person_id = COALESCE($6, person_id), notes = COALESCE($7, notes), updated_at = $8
         WHERE id = $9 AND owner_id = $10",
    )
    .bind(title)
    .bind(kind.map(TaskKind::as_str))
    .bind(priority.map(Priority::as_str))
    .bind(patch.clear_due)
    .bind(patch.due_at.map(|at| at.timestamp_millis()))
    .bind(patch.person_id)
    .bind(patch.notes)
    .bind(now_ms())
    .bind(id)
    .bind(owner)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// What a bulk request must be before any task is touched.
pub fn check_bulk(request: &TaskBulkRequest) -> Result<()> {
    if request.ids.is_empty() {
        return Err(Error::unprocessable(
            "ids",
            Text::fixed(
                "Select at least one task.",
                "タスクを 1 つ以上選んでください。",
            ),
        ));
    }
    if request.ids.len() > MAX_BULK {
        return Err(Error::unprocessable(
            "ids",
            Text::new(
                format!("Select at most {MAX_BULK} tasks at a time."),
                format!("一度に選べるタスクは {MAX_BULK} 件までです。"),
            ),
        ));
    }
    if request.action == TaskAction::Reschedule && request.due_at.is_none() {
        return Err(Error::unprocessable("due_at", CHOOSE_DUE_DATE));
    }
    Ok(())
}

/// Applies an action; the status it needs is re-checked in the update itself.
pub async fn apply(
    conn: &mut AnyConnection,
    owner: UserId,
    id: TaskId,
    action: TaskAction,
    due_at: Option<api::Timestamp>,
) -> Result<()> {
    let now = now_ms();
    let (sql, needs): (&'static str, &'static str) = match action {
        TaskAction::Complete => (
            "UPDATE tasks SET status = 'completed', completed_at = $1, updated_at = $1
             WHERE id = $2 AND owner_id = $3 AND deleted_at IS NULL AND status = 'open'",
            "open",
        ),
        TaskAction::Skip => (
            "UPDATE tasks SET status = 'skipped', completed_at = $1, updated_at = $1
             WHERE id = $2 AND owner_id = $3 AND deleted_at IS NULL AND status = 'open'",
            "open",
        ),
        TaskAction::Reopen => (
            "UPDATE tasks SET status = 'open', completed_at = NULL, updated_at = $1
             WHERE id = $2 AND owner_id = $3 AND deleted_at IS NULL AND status <> 'open'",
            "completed or skipped",
        ),
        TaskAction::Reschedule => (
            "UPDATE tasks SET due_at = $4, updated_at = $1
             WHERE id = $2 AND owner_id = $3 AND deleted_at IS NULL AND status = 'open'",
            "open",
        ),
        TaskAction::Delete => (
            "UPDATE tasks SET deleted_at = $1 WHERE id = $2 AND owner_id = $3 AND deleted_at IS NULL",
            "not deleted",
        ),
        TaskAction::Restore => (
            "UPDATE tasks SET deleted_at = NULL, updated_at = $1 WHERE id = $2 AND owner_id = $3 AND deleted_at IS NOT NULL",
            "deleted",
        ),
    };
    let due = if action == TaskAction::Reschedule {
        Some(
            due_at
                .ok_or_else(|| Error::unprocessable("due_at", CHOOSE_DUE_DATE))?
                .timestamp_millis(),
        )
    } else {
        None
    };
    // The rule the rows offer by (api::TaskAction::applies), checked on the stored task; the
    // update below checks the status again, so a change meanwhile is refused, not overwritten.
    let current: Option<(String, Option<i64>)> =
        sqlx::query_as("SELECT status, deleted_at FROM tasks WHERE id = $1 AND owner_id = $2")
            .bind(id)
            .bind(owner)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((status, deleted_at)) = current else {
        return Err(Error::NotFound(NOT_FOUND));
    };
    if deleted_at.is_some() && action != TaskAction::Restore {
        return Err(Error::NotFound(NOT_FOUND));
    }
    let parsed: TaskStatus = status.parse().map_err(anyhow::Error::from)?;
    if action.applies(parsed, deleted_at.is_some()) {
        let updated = sqlx::query(sql)
            .bind(now)
            .bind(id)
            .bind(owner)
            .bind(due)
            .execute(&mut *conn)
            .await?;
        if updated.rows_affected() == 1 {
            if matches!(action, TaskAction::Complete | TaskAction::Skip) {
                // A campaign step done: its person's next step is made in this transaction.
                let whose = crate::campaigns::progress::Whose::PendingTask(id);
                crate::campaigns::progress::apply(conn, whose, api::sequence::Event::StepDone, now)
                    .await?;
            }
            return Ok(());
        }
    }
    Err(Error::Conflict(Text::new(
        format!(
            "Cannot {} a task that is {status}; it must be {needs}.",
            action.as_str()
        ),
        format!(
            "{}のタスクは{}できません。",
            task_status_ja(&status),
            task_action_ja(action)
        ),
    )))
}

fn task_status_ja(status: &str) -> &'static str {
    match status {
        "open" => "未完了",
        "completed" => "完了済み",
        "skipped" => "スキップ済み",
        _ => "この状態",
    }
}

fn task_action_ja(action: TaskAction) -> &'static str {
    match action {
        TaskAction::Complete => "完了に",
        TaskAction::Skip => "スキップ",
        TaskAction::Reschedule => "期日変更",
        TaskAction::Reopen => "再開",
        TaskAction::Delete => "削除",
        TaskAction::Restore => "復元",
    }
}
