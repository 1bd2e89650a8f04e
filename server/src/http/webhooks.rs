//! `POST /webhooks/delivery`: bounce, spam and reply reports from the delivery server, signed
//! with HMAC-SHA256 over a timestamp and the raw body (`X-Signature: t=<unix>,v1=<hex>`, the MAC
//! of `<unix>.<body>`). A signature older than five minutes is refused, and each signed request is
//! applied once: a replay answers 200 and changes nothing.

use super::{ApiContext, Error, Result};
use crate::signing;
use crate::time::now_ms;
use crate::tracking::{first_delivery, record_in, returned_in, sent_with_message_id, Returned};
use api::Text;
use api::{Channel, DeliveryEvent, DeliveryEventKind, EmailStatus};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use axum::{Json, Router};

pub fn router() -> Router<ApiContext> {
    Router::new().route("/webhooks/delivery", post(delivery))
}

pub const SIGNATURE_HEADER: &str = "x-signature";

/// How far a signature's timestamp may be from the server's clock, either way.
const TOLERANCE_SECS: i64 = 5 * 60;

/// The header value a sender of `body` at `unix_secs` must present.
pub fn sign(secret: &str, unix_secs: i64, body: &[u8]) -> String {
    let timestamp = unix_secs.to_string();
    let v1 = signing::hex_mac(secret, &[timestamp.as_bytes(), b".", body]);
    format!("t={timestamp},v1={v1}")
}

/// Why a signature is refused.
#[derive(Debug, PartialEq)]
enum Refused {
    Missing,
    Stale,
    Mismatch,
}

/// The signature's MAC when it is well formed, recent and matches the body, in lower-case hex:
/// the key a replay is known by, the same however the sender spelled the hex.
fn verify(
    secret: &str,
    body: &[u8],
    header: Option<&str>,
    now_secs: i64,
) -> Result<String, Refused> {
    let header = header.ok_or(Refused::Missing)?;
    let field = |name: &str| {
        header
            .split(',')
            .filter_map(|part| part.trim().split_once('='))
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value)
    };
    let (Some(timestamp), Some(v1)) = (field("t"), field("v1")) else {
        return Err(Refused::Missing);
    };
    let unix: i64 = timestamp.parse().map_err(|_| Refused::Missing)?;
    if (now_secs - unix).abs() > TOLERANCE_SECS {
        return Err(Refused::Stale);
    }
    if !signing::verify_hex(secret, &[timestamp.as_bytes(), b".", body], v1) {
        return Err(Refused::Mismatch);
    }
    Ok(v1.to_ascii_lowercase())
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
    let header = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok());
    let now = now_ms();
    let signature = verify(secret, &body, header, now / 1000).map_err(|refused| {
        Error::Unauthorized(match refused {
            Refused::Missing => Text::fixed(
                "Sign the request: X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<body>\">.",
                "リクエストに署名してください（X-Signature: t=<UNIX 秒>,v1=<\"<t>.<本文>\" の HMAC-SHA256 の16進>）。",
            ),
            Refused::Stale => Text::fixed(
                "The signature's timestamp is more than 5 minutes from now; sign the request anew.",
                "署名の時刻が現在から5分以上離れています。署名し直してください。",
            ),
            Refused::Mismatch => Text::fixed(
                "The signature does not match the body.",
                "署名が本文と一致しません。",
            ),
        })
    })?;
    let event: DeliveryEvent = serde_json::from_slice(&body).map_err(|e| {
        Error::unreadable(
            "Not a delivery event",
            "配信イベントとして読み取れません",
            e,
        )
    })?;
    let sent = sent_with_message_id(&ctx.db, &event.message_id)
        .await?
        .ok_or(Error::NotFound(Text::fixed(
            "No email was sent with that Message-ID.",
            "その Message-ID で送られたメールはありません。",
        )))?;
    let (id, owner_id) = (sent.id, sent.owner_id);
    let status: EmailStatus = sent.status.parse().map_err(anyhow::Error::from)?;
    let channel: Channel = sent.channel.parse().map_err(anyhow::Error::from)?;

    let mut tx = crate::db::begin_write(&ctx.db).await?;
    // Requests older than the tolerance are refused above, so only theirs need remembering.
    let first = first_delivery(&mut tx, &signature, now, 2 * TOLERANCE_SECS * 1000).await?;
    if !first {
        return Ok(Json(Recorded {
            recorded: false,
            status,
        }));
    }

    let (to, how) = match event.event {
        DeliveryEventKind::Reply => {
            let owner = record_in(&mut tx, id, "reply", None, None).await?;
            tx.commit().await?;
            if let Some(owner_id) = owner {
                ctx.changes.emails(owner_id, vec![id]);
            }
            return Ok(Json(Recorded {
                recorded: owner.is_some(),
                status,
            }));
        }
        DeliveryEventKind::Bounce => (EmailStatus::Bounced, Returned::Bounced),
        DeliveryEventKind::Spam => (EmailStatus::Spam, Returned::Spam),
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
    if returned_in(&mut tx, id, how, event.reason.as_deref())
        .await?
        .is_none()
    {
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
    tx.commit().await?;
    ctx.changes.emails(owner_id, vec![id]);
    Ok(Json(Recorded {
        recorded: true,
        status: to,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_holds_for_its_body_within_five_minutes() {
        let header = sign("s", 1_000, b"{}");
        assert!(verify("s", b"{}", Some(&header), 1_000 + TOLERANCE_SECS).is_ok());
        assert_eq!(
            verify("s", b"{}", Some(&header), 1_000 + TOLERANCE_SECS + 1),
            Err(Refused::Stale)
        );
        assert_eq!(
            verify("s", b"{}", Some(&header), 1_000 - TOLERANCE_SECS - 1),
            Err(Refused::Stale)
        );
        assert_eq!(
            verify("s", b"{ }", Some(&header), 1_000),
            Err(Refused::Mismatch)
        );
        assert_eq!(
            verify("x", b"{}", Some(&header), 1_000),
            Err(Refused::Mismatch)
        );
        // The timestamp is signed: moving it forward breaks the MAC.
        let moved = header.replace("t=1000", "t=1200");
        assert_eq!(
            verify("s", b"{}", Some(&moved), 1_200),
            Err(Refused::Mismatch)
        );
        assert_eq!(
            verify("s", b"{}", Some("sha256=00"), 1_000),
            Err(Refused::Missing)
        );
        assert_eq!(verify("s", b"{}", None, 1_000), Err(Refused::Missing));
    }

    #[test]
    fn a_signature_in_upper_case_hex_is_the_same_delivery() {
        let header = sign("s", 1_000, b"{}");
        let shouted = header
            .to_ascii_uppercase()
            .replace("T=", "t=")
            .replace("V1=", "v1=");
        assert_eq!(
            verify("s", b"{}", Some(&shouted), 1_000),
            verify("s", b"{}", Some(&header), 1_000)
        );
    }
}
