//! Writing to the outbox: compose, edit, actions (one email or in bulk), delete.

use super::emails::parse_id;
use super::extract::JsonBody;
use super::{ApiContext, CurrentUser, Error, Result};
use crate::outbox;
use api::batch::{BatchCreated, NewBatch};
use api::Text;
use api::{
    ActionRequest, BulkRequest, BulkResponse, BulkResult, EmailAction, EmailDetail, EmailId,
    EmailPatch, EmailStatus, NewEmail, PersonId, UserId,
};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;

/// At most this many emails in one bulk request (a group email's size).
pub const MAX_BULK: usize = 1000;

impl ApiContext {
    /// Tells streams, and the sender when something is queued to go out.
    fn emails_changed(&self, owner: UserId, ids: Vec<EmailId>, queued: bool) {
        if queued {
            self.sender_wake.notify_one();
        }
        self.changes.emails(owner, ids);
    }
}

pub async fn create(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    JsonBody(new): JsonBody<NewEmail>,
) -> Result<(StatusCode, Json<EmailDetail>)> {
    // A write transaction: this one reads, then writes (see `db::begin_write`).
    let mut tx = crate::db::begin_write(&ctx.db).await?;
    let (id, status) = outbox::create(&mut tx, current.id(), &new).await?;
    tx.commit().await?;
    ctx.emails_changed(current.id(), vec![id], status == EmailStatus::InProgress);
    Ok((
        StatusCode::CREATED,
        Json(outbox::reads::detail(&ctx.db, current.id(), id).await?),
    ))
}

/// `POST /emails/batch`: Select and Send, or a group email. All or nothing; checked before the
/// write lock is taken.
pub async fn batch(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    JsonBody(batch): JsonBody<NewBatch>,
) -> Result<(StatusCode, Json<BatchCreated>)> {
    let prepared = {
        let mut conn = ctx.db.acquire().await?;
        outbox::batch::prepare(&mut conn, current.id(), &batch).await?
    };
    let mut tx = crate::db::begin_write(&ctx.db).await?;
    let created = prepared.write(&mut tx).await?;
    if let Some(campaign_id) = batch.campaign_id {
        let people: Vec<PersonId> = batch.recipients.iter().map(|r| r.person_id).collect();
        crate::campaigns::add_members(&mut tx, current.id(), campaign_id, &people).await?;
    }
    tx.commit().await?;
    ctx.emails_changed(
        current.id(),
        created.ids.clone(),
        created.status == EmailStatus::InProgress,
    );
    Ok((StatusCode::CREATED, Json(created)))
}

pub async fn edit(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path(id): Path<String>,
    JsonBody(patch): JsonBody<EmailPatch>,
) -> Result<Json<EmailDetail>> {
    let id = parse_id(&id)?;
    let mut conn = ctx.db.acquire().await?;
    outbox::edit(&mut conn, current.id(), id, &patch).await?;
    ctx.emails_changed(current.id(), vec![id], false);
    Ok(Json(
        outbox::reads::detail(&ctx.db, current.id(), id).await?,
    ))
}

pub async fn delete(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    let id = parse_id(&id)?;
    let mut conn = ctx.db.acquire().await?;
    outbox::act(&mut conn, current.id(), id, EmailAction::Delete, None).await?;
    ctx.emails_changed(current.id(), vec![id], false);
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /emails/{id}/{action}`: the email afterwards, or 204 when it was deleted.
pub async fn act(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path((id, action)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Result<axum::response::Response> {
    use axum::response::IntoResponse;
    let id = parse_id(&id)?;
    let action: EmailAction = action.parse().map_err(|_| {
        Error::NotFound(Text::fixed(
            "No such action; use send_now, reschedule, unschedule, archive, unarchive, retry, mark_success, skip_step or delete.",
            "その操作はありません。send_now、reschedule、unschedule、archive、unarchive、retry、mark_success、skip_step、delete のいずれかです。",
        ))
    })?;
    // The body is optional: only `reschedule` needs one.
    let request: ActionRequest = super::extract::optional_json(&body)?;
    let send_at = request.send_at;
    // One transaction: a skipped campaign step and the next step it makes commit together.
    let mut tx = crate::db::begin_write(&ctx.db).await?;
    let status = outbox::act(&mut tx, current.id(), id, action, send_at).await?;
    tx.commit().await?;
    if action == EmailAction::SkipStep {
        // The next step may be a task.
        ctx.changes.tasks(current.id(), vec![]);
    }
    ctx.emails_changed(
        current.id(),
        vec![id],
        status == Some(EmailStatus::InProgress),
    );
    Ok(match status {
        Some(_) => Json(outbox::reads::detail(&ctx.db, current.id(), id).await?).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    })
}

/// Applies one action to many emails; each gets its own result, so a partial failure names
/// which emails and why.
pub async fn bulk(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    JsonBody(request): JsonBody<BulkRequest>,
) -> Result<Json<BulkResponse>> {
    if request.ids.is_empty() {
        return Err(Error::unprocessable(
            "ids",
            Text::fixed(
                "Select at least one email.",
                "メールを 1 通以上選んでください。",
            ),
        ));
    }
    if request.ids.len() > MAX_BULK {
        return Err(Error::unprocessable(
            "ids",
            Text::new(
                format!("Select at most {MAX_BULK} emails at a time."),
                format!("一度に選べるメールは {MAX_BULK} 通までです。"),
            ),
        ));
    }
    let mut results = Vec::with_capacity(request.ids.len());
    let mut changed = Vec::new();
    let mut queued = false;
    for &id in &request.ids {
        let mut tx = crate::db::begin_write(&ctx.db).await?;
        let acted = outbox::act(&mut tx, current.id(), id, request.action, request.send_at).await;
        tx.commit().await?;
        match acted {
            Ok(status) => {
                queued |= status == Some(EmailStatus::InProgress);
                changed.push(id);
                results.push(BulkResult {
                    id,
                    ok: true,
                    status,
                    error: None,
                });
            }
            Err(error @ (outbox::Error::Database(_) | outbox::Error::Internal(_))) => {
                return Err(error.into())
            }
            Err(error) => results.push(BulkResult {
                id,
                ok: false,
                status: None,
                error: Some(error.to_string()),
            }),
        }
    }
    if !changed.is_empty() {
        ctx.emails_changed(current.id(), changed, queued);
    }
    Ok(Json(BulkResponse { results }))
}
