//! The unsubscribe link's page: no sign-in, no script. A GET shows a confirmation with one
//! button (a link opened by a mail scanner must not unsubscribe anyone); a POST, from that button
//! or a mailbox provider's one-click (`List-Unsubscribe=One-Click`, RFC 8058), opts the person out
//! at once, and again changes nothing.

use super::extract::ClientAddress;
use super::ApiContext;
use api::Lang;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;

pub fn router() -> Router<ApiContext> {
    Router::new().route("/u/{token}", get(confirm).post(unsubscribe))
}

/// A small page of the server's own (no script; the policy and other headers are those of
/// every response, `headers::add`). `body` is HTML: whatever in it came from a request or the
/// database is escaped by the caller.
pub(super) fn html_page(status: StatusCode, lang: Lang, title: &str, body: &str) -> Response {
    let html = format!(
        r#"<!doctype html><html lang="{code}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>{title}</title><style>body{{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}}button{{font:inherit;padding:.5rem 1rem}}code{{word-break:break-all}}</style></head><body><h1>{title}</h1>{body}</body></html>"#,
        code = lang.code(),
    );
    (status, [(header::CACHE_CONTROL, "no-store")], Html(html)).into_response()
}

/// An unsubscribe page: fixed text only, nothing from the request or the database in it.
fn page(status: StatusCode, lang: Lang, title: (&str, &str), body: (&str, &str)) -> Response {
    let (title, body) = if lang == Lang::Ja {
        (title.1, body.1)
    } else {
        (title.0, body.0)
    };
    html_page(status, lang, title, body)
}

const NOT_FOUND: (&str, &str) = (
    "<p>This unsubscribe link is not valid.</p>",
    "<p>この配信停止リンクは無効です。</p>",
);

/// 429 for an address past its allowance, in the page's words.
fn too_many(lang: Lang, wait: std::time::Duration) -> Response {
    let mut page = page(
        StatusCode::TOO_MANY_REQUESTS,
        lang,
        ("Unsubscribe", "配信停止"),
        (
            "<p>Too many requests from this address; try again in a minute.</p>",
            "<p>このアドレスからのリクエストが多すぎます。1 分ほどしてからもう一度お試しください。</p>",
        ),
    );
    let seconds = crate::rate_limits::retry_after_secs(wait);
    page.headers_mut()
        .insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
    page
}

async fn confirm(
    State(ctx): State<ApiContext>,
    ClientAddress(address): ClientAddress,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    let lang = super::extract::callers_lang(&headers);
    if let Err(wait) = ctx.stranger_limits.admit(address) {
        return too_many(lang, wait);
    }
    match crate::opt_out::known(&ctx.db, &token).await {
        Ok(true) => page(
            StatusCode::OK,
            lang,
            ("Unsubscribe", "配信停止"),
            (
                r#"<p>Stop receiving these emails?</p><form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>"#,
                r#"<p>今後このようなメールを受け取らないようにしますか？</p><form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">配信を停止する</button></form>"#,
            ),
        ),
        Ok(false) => page(
            StatusCode::NOT_FOUND,
            lang,
            ("Unsubscribe", "配信停止"),
            NOT_FOUND,
        ),
        Err(error) => {
            tracing::error!(error = %format_args!("{error:#}"), "reading an unsubscribe token");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn unsubscribe(
    State(ctx): State<ApiContext>,
    ClientAddress(address): ClientAddress,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    let lang = super::extract::callers_lang(&headers);
    if let Err(wait) = ctx.stranger_limits.admit(address) {
        return too_many(lang, wait);
    }
    match crate::opt_out::opt_out(&ctx.db, &token).await {
        Ok(Some(owner)) => {
            // The rep's open pages show the person's new state.
            ctx.changes.emails(owner, Vec::new());
            page(
                StatusCode::OK,
                lang,
                ("Unsubscribed", "配信停止しました"),
                (
                    "<p>You will not receive these emails any more.</p>",
                    "<p>今後、このようなメールは届きません。</p>",
                ),
            )
        }
        Ok(None) => page(
            StatusCode::NOT_FOUND,
            lang,
            ("Unsubscribe", "配信停止"),
            NOT_FOUND,
        ),
        Err(error) => {
            tracing::error!(error = %format_args!("{error:#}"), "opting out");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
