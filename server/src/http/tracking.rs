//! The view pixel and click redirects in sent emails. Events count only while an email is
//! delivered and not archived, and never the rep's own; a click goes only to a link recorded
//! for that email, anything else is 404 (no open redirect), and an old email's link shows where
//! it leads rather than redirecting (`tracking::CLICK_REDIRECT_DAYS`). Repeats, floods and
//! scanners are answered without being counted (see `rate_limits`).

use super::auth::viewer_rep;
use super::extract::ClientAddress;
use super::ApiContext;
use crate::rate_limits::looks_like_a_scanner;
use crate::time::now_ms;
use api::{EmailId, UserId};

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
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

/// 429 for an address past its allowance.
fn too_many(wait: std::time::Duration) -> Response {
    let seconds = crate::rate_limits::retry_after_secs(wait);
    (
        StatusCode::TOO_MANY_REQUESTS,
        [(header::RETRY_AFTER, HeaderValue::from(seconds))],
        "Too many requests from this address; try again shortly.",
    )
        .into_response()
}

/// Who is looking, as far as a tracking hit can tell: the address and the browser.
fn viewer(
    address: Option<std::net::IpAddr>,
    headers: &HeaderMap,
) -> (Option<std::net::IpAddr>, String) {
    let agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    (address, agent.to_owned())
}

async fn view(
    State(ctx): State<ApiContext>,
    Path(file): Path<String>,
    ClientAddress(address): ClientAddress,
    method: Method,
    headers: HeaderMap,
) -> Response {
    if let Err(wait) = ctx.tracking_limits.admit(address) {
        return too_many(wait);
    }
    let token = file.strip_suffix(".gif").unwrap_or(&file);
    let email = crate::tracking::email_of_pixel(&ctx.db, token)
        .await
        .unwrap_or_else(|error| {
            tracing::error!(error = %format_args!("{error:#}"), "looking up a pixel");
            None
        });
    if let Some(email_id) = email {
        let counts = method != Method::HEAD
            && ctx
                .tracking_limits
                .first_in_a_minute(("view", email_id, viewer(address, &headers)));
        if counts {
            if let Err(error) =
                record(&ctx, email_id, "view", None, viewer_rep(&ctx, &headers)).await
            {
                tracing::error!(error = %format_args!("{error:#}"), "recording a view");
            }
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
    ClientAddress(address): ClientAddress,
    method: Method,
    headers: HeaderMap,
) -> Response {
    if let Err(wait) = ctx.tracking_limits.admit(address) {
        return too_many(wait);
    }
    let link = match crate::tracking::link(&ctx.db, &token).await {
        Ok(link) => link,
        Err(error) => {
            tracing::error!(error = %format_args!("{error:#}"), "looking up a link");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let Some(link) = link else {
        return (StatusCode::NOT_FOUND, "This link is not valid.").into_response();
    };
    let Ok(location) = HeaderValue::from_str(&onward(&link.url)) else {
        return (StatusCode::NOT_FOUND, "This link is not valid.").into_response();
    };
    if !crate::tracking::click_redirects(link.sent_at, now_ms()) {
        return expired(&link.url, super::extract::callers_lang(&headers));
    }
    let window = std::time::Duration::from_secs(ctx.config.link_scan_window_secs);
    let counts = method != Method::HEAD
        && !looks_like_a_scanner(link.sent_at, link.views, now_ms(), window)
        && ctx.tracking_limits.first_in_a_minute(("click", &token));
    if counts {
        if let Err(error) = record(
            &ctx,
            link.email_id,
            "click",
            Some(&link.url),
            viewer_rep(&ctx, &headers),
        )
        .await
        {
            tracing::error!(error = %format_args!("{error:#}"), "recording a click");
        }
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

/// An old link's page: where it leads, as text and as a link the reader follows by hand. The
/// address is the email's own (http or https, recorded when it was sent), escaped here.
fn expired(url: &str, lang: api::Lang) -> Response {
    let url = api::merge::escape_html(url);
    let (title, lead, go) = if lang == api::Lang::Ja {
        (
            "リンク先の確認",
            "このリンクは古いメールのものです。自動では移動しません。移動先：",
            "このページへ移動",
        )
    } else {
        (
            "Where this link leads",
            "This link is from an older email and no longer forwards you by itself. It leads to:",
            "Go to this page",
        )
    };
    super::unsubscribe::html_page(
        StatusCode::OK,
        lang,
        title,
        &format!(
            r#"<p>{lead}</p><p><code>{url}</code></p><p><a href="{url}" rel="noreferrer noopener">{go}</a></p>"#
        ),
    )
}

/// Where a click goes: the email's own link, with a fragment of its own. A browser carries the
/// fragment of the address it was sent from across a redirect whose target has none; an empty
/// one (`#`) stops that, so nothing in the tracked link's address ever reaches the other site.
fn onward(url: &str) -> String {
    if url.contains('#') {
        url.to_owned()
    } else {
        format!("{url}#")
    }
}

/// Records a view, click or reply if the email is tracked now and the viewer is not its rep.
/// Returns whether it counted.
pub async fn record(
    ctx: &ApiContext,
    email_id: EmailId,
    kind: &str,
    url: Option<&str>,
    viewer: Option<UserId>,
) -> anyhow::Result<bool> {
    let mut tx = crate::db::begin_write(&ctx.db).await?;
    let owner = crate::tracking::record_in(&mut tx, email_id, kind, url, viewer).await?;
    tx.commit().await?;
    if let Some(owner_id) = owner {
        ctx.changes.emails(owner_id, vec![email_id]);
    }
    Ok(owner.is_some())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_click_goes_on_with_a_fragment_of_its_own() {
        assert_eq!(super::onward("https://x.test/a"), "https://x.test/a#");
        assert_eq!(
            super::onward("https://x.test/a#top"),
            "https://x.test/a#top"
        );
    }
}
