//! `POST /webhooks/delivery`: bounce, spam and reply reports from the delivery server, signed
//! with HMAC-SHA256 over the raw body (`X-Signature: sha256=<hex>`).

use super::tracking::record;
use super::{ApiContext, Error, Result};
use crate::time::now_ms;
use api::Text;
use api::{Channel, DeliveryEvent, DeliveryEventKind, EmailStatus};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use axum::{Json, Router};
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub fn router() -> Router<ApiContext> {
    Router::new().route("/webhooks/delivery", post(delivery))
}

pub const SIGNATURE_HEADER: &str = "x-signature";

/// The header value a sender of `body` must present.
pub fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

fn verify(secret: &str, body: &[u8], header: Option<&str>) -> bool {
    let Some(signature) = header
        .and_then(|h| h.strip_prefix("sha256="))
        .and_then(|h| hex::decode(h).ok())
    else {
        return false;
    };
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(body);
    // Constant-time comparison.
    mac.verify_slice(&signature).is_ok()
}

#[derive(serde::Serialize)]
struct Recorded {
    recorded: bool,
    status: EmailStatus,
}

async fn delivery(
    State(ctx): State<ApiContext>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Recorded>> {
    let secret = ctx
        .config
        .webhook_secret
        .as_deref()
        .ok_or(Error::Unauthorized(Text::fixed(
            "The delivery webhook is not configured on this server.",
            "このサーバーでは配信 Webhook が設定されていません。",
        )))?;
    let signature = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok());
    if !verify(secret, &body, signature) {
        return Err(Error::Unauthorized(Text::fixed(
            "The signature does not match the body.",
            "署名が本文と一致しません。",
        )));
    }
    let event: DeliveryEvent = serde_json::from_slice(&body).map_err(|e| {
        Error::unreadable(
            "Not a delivery event",
            "配信イベントとして読み取れません",
            e,
        )
    })?;
    let email: Option<(i64, i64, String, String)> =
        sqlx::query_as("SELECT id, owner_id, status, channel FROM emails WHERE message_id = ?")
            .bind(&event.message_id)
            .fetch_optional(&ctx.db)
            .await?;
    let (id, owner_id, status, channel) = email.ok_or(Error::NotFound(Text::fixed(
        "No email was sent with that Message-ID.",
        "その Message-ID で送られたメールはありません。",
    )))?;
    let status: EmailStatus = status.parse().map_err(anyhow::Error::from)?;
    let channel: Channel = channel.parse().map_err(anyhow::Error::from)?;

    let (to, kind) = match event.event {
        DeliveryEventKind::Reply => {
            let recorded = record(&ctx, id, "reply", None, None).await?;
            return Ok(Json(Recorded { recorded, status }));
        }
        DeliveryEventKind::Bounce => (EmailStatus::Bounced, "bounce"),
        DeliveryEventKind::Spam => (EmailStatus::Spam, "spam"),
    };
    if !channel.detects_bounces() {
        return Err(Error::unprocessable(
            "event",
            Text::new(
                format!(
                    "Bounces and spam reports apply only to emails sent through the msc channel; this one went through {}.",
                    channel.as_str()
                ),
                format!(
                    "バウンスと迷惑メール報告は msc チャネルで送ったメールだけが対象です。このメールは {} で送られました。",
                    channel.as_str()
                ),
            ),
        ));
    }
    if status != EmailStatus::Delivered {
        return Err(Error::Conflict(Text::new(
            format!(
                "Only a delivered email can bounce or be reported as spam; this one is `{}`.",
                status.as_str()
            ),
            format!(
                "バウンスや迷惑メール報告の対象は配信済みのメールだけです。このメールは `{}` です。",
                status.as_str()
            ),
        )));
    }
    let now = now_ms();
    let mut tx = ctx.db.begin().await?;
    sqlx::query(
        "UPDATE emails SET status = ?, failure_reason = COALESCE(?, failure_reason), updated_at = ? WHERE id = ?",
    )
    .bind(to.as_str())
    .bind(event.reason.as_deref())
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("INSERT INTO email_events (email_id, kind, occurred_at) VALUES (?, ?, ?)")
        .bind(id)
        .bind(kind)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    ctx.changes.emails(owner_id, vec![id]);
    Ok(Json(Recorded {
        recorded: true,
        status: to,
    }))
}
