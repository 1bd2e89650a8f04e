//! Writing tasks over HTTP: create, edit, complete / skip / reschedule (and their undo), delete
//! (and restore), one at a time or in bulk. The rules are `crate::tasks`'.

use super::extract::JsonBody;
use super::{ApiContext, CurrentUser, Error, Result};
use crate::tasks::{self, load, NOT_FOUND};
use api::{
    NewTask, Task, TaskAction, TaskActionRequest, TaskBulkRequest, TaskBulkResponse,
    TaskBulkResult, TaskId, TaskPatch, Text,
};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;

fn parse_id(text: &str) -> Result<TaskId> {
    text.parse().map_err(|_| Error::NotFound(NOT_FOUND))
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
    let mut conn = ctx.db.acquire().await?;
    let id = tasks::create(&mut conn, owner, new).await?;
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
    tasks::edit(&mut conn, owner, id, patch).await?;
    ctx.changes.tasks(owner, vec![id]);
    Ok(Json(load(&mut conn, owner, id).await?))
}

pub async fn delete(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    let mut conn = ctx.db.acquire().await?;
    let id = parse_id(&id)?;
    tasks::apply(&mut conn, current.id(), id, TaskAction::Delete, None).await?;
    ctx.changes.tasks(current.id(), vec![]);
    Ok(StatusCode::NO_CONTENT)
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
    // One transaction: a campaign task done and the next step it makes commit together.
    let mut tx = crate::db::begin_write(&ctx.db).await?;
    tasks::apply(&mut tx, current.id(), id, action, request.due_at).await?;
    tx.commit().await?;
    ctx.changes.tasks(current.id(), vec![id]);
    if matches!(action, TaskAction::Complete | TaskAction::Skip) {
        // Its next step may be an email in Scheduled.
        ctx.changes.emails(current.id(), vec![]);
    }
    let mut conn = ctx.db.acquire().await?;
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
    tasks::check_bulk(&request)?;
    let mut results = Vec::with_capacity(request.ids.len());
    for &id in &request.ids {
        let mut tx = crate::db::begin_write(&ctx.db).await?;
        let applied = tasks::apply(&mut tx, current.id(), id, request.action, request.due_at).await;
        tx.commit().await?;
        match applied {
            Ok(()) => results.push(TaskBulkResult {
                id,
                ok: true,
                error: None,
            }),
            Err(error @ (tasks::Error::Database(_) | tasks::Error::Internal(_))) => {
                return Err(error.into())
            }
            Err(error) => results.push(TaskBulkResult {
                id,
                ok: false,
                error: Some(error.to_string()),
            }),
        }
    }
    ctx.changes.tasks(current.id(), request.ids.clone());
    ctx.changes.emails(current.id(), vec![]);
    Ok(Json(TaskBulkResponse { results }))
}
