//! The view pixel and click redirects in sent emails. Events count only while an email is
//! delivered and not archived, and never the rep's own; a click goes only to a link recorded
//! for that email, anything else is 404 (no open redirect).

use super::auth::viewer_rep;
use super::ApiContext;
use crate::time::now_ms;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

/// A transparent 1×1 GIF.
const PIXEL: &[u8] = &[
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
];

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/t/v/{file}", get(view))
        .route("/t/c/{token}", get(click))
}

async fn view(
    State(ctx): State<ApiContext>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let token = file.strip_suffix(".gif").unwrap_or(&file);
    let email: Option<(i64,)> = sqlx::query_as("SELECT id FROM emails WHERE tracking_token = ?")
        .bind(token)
        .fetch_optional(&ctx.db)
        .await
        .unwrap_or_else(|error| {
            tracing::error!(?error, "looking up a pixel");
            None
        });
    if let Some((email_id,)) = email {
        if let Err(error) = record(&ctx, email_id, "view", None, viewer_rep(&ctx, &headers)).await {
            tracing::error!(?error, "recording a view");
        }
    }
    // The pixel always loads: a mail client shows no broken image, and nothing is revealed.
    (
        [
            (header::CONTENT_TYPE, "image/gif"),
            (header::CACHE_CONTROL, "no-store, max-age=0"),
        ],
        PIXEL,
    )
        .into_response()
}

async fn click(
    State(ctx): State<ApiContext>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    let link: Option<(i64, String)> =
        match sqlx::query_as("SELECT email_id, url FROM email_links WHERE token = ?")
            .bind(&token)
            .fetch_optional(&ctx.db)
            .await
        {
            Ok(link) => link,
            Err(error) => {
                tracing::error!(?error, "looking up a link");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        };
    let Some((email_id, url)) = link else {
        return (StatusCode::NOT_FOUND, "This link is not valid.").into_response();
    };
    let Ok(location) = HeaderValue::from_str(&url) else {
        return (StatusCode::NOT_FOUND, "This link is not valid.").into_response();
    };
    if let Err(error) = record(
        &ctx,
        email_id,
        "click",
        Some(&url),
        viewer_rep(&ctx, &headers),
    )
    .await
    {
        tracing::error!(?error, "recording a click");
    }
    (
        StatusCode::FOUND,
        [
            (header::LOCATION, location),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
    )
        .into_response()
}

/// Records a view, click or reply if the email is tracked now and the viewer is not its rep.
/// Returns whether it counted.
pub async fn record(
    ctx: &ApiContext,
    email_id: i64,
    kind: &str,
    url: Option<&str>,
    viewer: Option<i64>,
) -> anyhow::Result<bool> {
    let mut tx = ctx.db.begin().await?;
    let owner = record_in(&mut tx, email_id, kind, url, viewer).await?;
    tx.commit().await?;
    if let Some(owner_id) = owner {
        ctx.changes.emails(owner_id, vec![email_id]);
    }
    Ok(owner.is_some())
}

/// As `record`, inside the caller's transaction; returns the owner to tell when it counted.
pub async fn record_in(
    tx: &mut sqlx::SqliteConnection,
    email_id: i64,
    kind: &str,
    url: Option<&str>,
    viewer: Option<i64>,
) -> anyhow::Result<Option<i64>> {
    let email: Option<(i64, String)> =
        sqlx::query_as("SELECT owner_id, status FROM emails WHERE id = ?")
            .bind(email_id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((owner_id, status)) = email else {
        return Ok(None);
    };
    let tracked = status
        .parse::<api::EmailStatus>()
        .is_ok_and(api::EmailStatus::is_tracked);
    if !tracked || viewer == Some(owner_id) {
        return Ok(None);
    }
    let now = now_ms();
    // Guarded in the write itself, so an email archived a moment ago gains nothing.
    let updated = sqlx::query(
        "UPDATE emails SET views = views + (? = 'view'), clicks = clicks + (? = 'click'),
                replies = replies + (? = 'reply'), last_activity_at = ?
         WHERE id = ? AND status = 'delivered'",
    )
    .bind(kind)
    .bind(kind)
    .bind(kind)
    .bind(now)
    .bind(email_id)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Ok(None);
    }
    sqlx::query("INSERT INTO email_events (email_id, kind, url, occurred_at) VALUES (?, ?, ?, ?)")
        .bind(email_id)
        .bind(kind)
        .bind(url)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    Ok(Some(owner_id))
}
