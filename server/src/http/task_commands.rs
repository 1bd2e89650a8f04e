//! Writing tasks: create, edit, complete / skip / reschedule (and their undo), delete (and
//! restore), one at a time or in bulk.

use super::extract::JsonBody;
use super::tasks::{select_task, TaskRow};
use super::{ApiContext, CurrentUser, Error, Result};
use crate::time::now_ms;
use api::{
    NewTask, Priority, Task, TaskAction, TaskActionRequest, TaskBulkRequest, TaskBulkResponse,
    TaskBulkResult, TaskKind, TaskPatch, TaskStatus, Text,
};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use sqlx::AnyConnection;

const MAX_BULK: usize = 1000;
const MAX_TITLE_CHARS: usize = 300;
const CHOOSE_DUE_DATE: Text =
    Text::fixed("Choose the new due date.", "新しい期日を選んでください。");
const NOT_FOUND: Text = Text::fixed(
    "There is no task with that id in your list.",
    "その ID のタスクはあなたのリストにありません。",
);

fn parse_id(text: &str) -> Result<i64> {
    text.parse().map_err(|_| Error::NotFound(NOT_FOUND))
}

pub async fn load(conn: &mut AnyConnection, owner: i64, id: i64) -> Result<Task> {
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
    let title = title.trim();
    if title.is_empty() {
        return Err(Error::unprocessable(
            "title",
            Text::fixed(
                "Give the task a title.",
                "タスクのタイトルを入力してください。",
            ),
        ));
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(Error::unprocessable(
            "title",
            Text::new(
                format!("Keep the title under {MAX_TITLE_CHARS} characters."),
                format!("タイトルは {MAX_TITLE_CHARS} 文字以内にしてください。"),
            ),
        ));
    }
    Ok(title.to_owned())
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

async fn owned(conn: &mut AnyConnection, table: &'static str, owner: i64, id: i64) -> Result<bool> {
    let sql = match table {
        "people" => "SELECT 1 FROM people WHERE id = $1 AND owner_id = $2",
        "campaigns" => "SELECT 1 FROM campaigns WHERE id = $1 AND owner_id = $2",
        _ => "SELECT 1 FROM emails WHERE id = $1 AND owner_id = $2",
    };
    let found: Option<(i64,)> = sqlx::query_as(sql)
        .bind(id)
        .bind(owner)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(found.is_some())
}

pub async fn one(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Task>> {
    let mut conn = ctx.db.acquire().await?;
    Ok(Json(load(&mut conn, current.id(), parse_id(&id)?).await?))
}

pub async fn create(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    JsonBody(new): JsonBody<NewTask>,
) -> Result<(StatusCode, Json<Task>)> {
    let owner = current.id();
    let title = parse_title(&new.title)?;
    let kind = parse_kind(&new.kind)?;
    let priority = parse_priority(new.priority.as_deref().unwrap_or("normal"))?;
    let mut conn = ctx.db.acquire().await?;
    let (mut person_id, mut campaign_id) = (new.person_id, new.campaign_id);
    // A task made from an email is about that email's person and campaign, unless told otherwise.
    if let Some(email_id) = new.email_id {
        let email: Option<(i64, Option<i64>)> = sqlx::query_as(
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
        if !owned(&mut conn, "people", owner, id).await? {
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
        if !owned(&mut conn, "campaigns", owner, id).await? {
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
    let (id,): (i64,) = sqlx::query_as(
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
    ctx.changes.tasks(owner, vec![id]);
    Ok((StatusCode::CREATED, Json(load(&mut conn, owner, id).await?)))
}

pub async fn edit(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path(id): Path<String>,
    JsonBody(patch): JsonBody<TaskPatch>,
) -> Result<Json<Task>> {
    let (owner, id) = (current.id(), parse_id(&id)?);
    let mut conn = ctx.db.acquire().await?;
    load(&mut conn, owner, id).await?;
    let title = patch.title.as_deref().map(parse_title).transpose()?;
    let kind = patch.kind.as_deref().map(parse_kind).transpose()?;
    let priority = patch.priority.as_deref().map(parse_priority).transpose()?;
    if let Some(person) = patch.person_id {
        if !owned(&mut conn, "people", owner, person).await? {
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
    ctx.changes.tasks(owner, vec![id]);
    Ok(Json(load(&mut conn, owner, id).await?))
}

pub async fn delete(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    let mut conn = ctx.db.acquire().await?;
    apply(
        &mut conn,
        current.id(),
        parse_id(&id)?,
        TaskAction::Delete,
        None,
    )
    .await?;
    ctx.changes.tasks(current.id(), vec![]);
    Ok(StatusCode::NO_CONTENT)
}

/// Applies an action; the status it needs is re-checked in the update itself.
async fn apply(
    conn: &mut AnyConnection,
    owner: i64,
    id: i64,
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

pub async fn act(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path((id, action)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Result<axum::response::Response> {
    use axum::response::IntoResponse;
    let id = parse_id(&id)?;
    let action: TaskAction = action.parse().map_err(|_| {
        Error::NotFound(Text::fixed(
            "No such action; use complete, skip, reschedule, reopen, delete or restore.",
            "その操作はありません。complete、skip、reschedule、reopen、delete、restore のいずれかです。",
        ))
    })?;
    let request: TaskActionRequest = super::extract::optional_json(&body)?;
    let mut conn = ctx.db.acquire().await?;
    apply(&mut conn, current.id(), id, action, request.due_at).await?;
    ctx.changes.tasks(current.id(), vec![id]);
    Ok(match action {
        TaskAction::Delete => StatusCode::NO_CONTENT.into_response(),
        _ => Json(load(&mut conn, current.id(), id).await?).into_response(),
    })
}

pub async fn bulk(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    JsonBody(request): JsonBody<TaskBulkRequest>,
) -> Result<Json<TaskBulkResponse>> {
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
    let mut conn = ctx.db.acquire().await?;
    let mut results = Vec::with_capacity(request.ids.len());
    for &id in &request.ids {
        match apply(&mut conn, current.id(), id, request.action, request.due_at).await {
            Ok(()) => results.push(TaskBulkResult {
                id,
                ok: true,
                error: None,
            }),
            Err(error @ (Error::Database(_) | Error::Internal(_))) => return Err(error),
            Err(error) => results.push(TaskBulkResult {
                id,
                ok: false,
                error: Some(error.to_string()),
            }),
        }
    }
    ctx.changes.tasks(current.id(), request.ids.clone());
    Ok(Json(TaskBulkResponse { results }))
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
