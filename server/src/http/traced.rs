//! Every request is a span: its id (the caller's `X-Request-Id` when it is a plain token, else a
//! new one, returned in the same header either way), method and route; when answered, one line
//! with its status and duration. A log line written while answering (a refused write, a
//! database error) carries the span, so one request can be followed through the log.

use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

pub static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The caller's id if it is one a log can hold as it is (letters, digits, `-`, `_`, `.`; at
/// most 64), else a new random one.
fn request_id(request: &Request) -> HeaderValue {
    let given = request
        .headers()
        .get(&REQUEST_ID)
        .filter(|value| {
            let bytes = value.as_bytes();
            !bytes.is_empty()
                && bytes.len() <= 64
                && bytes
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        })
        .cloned();
    given.unwrap_or_else(|| {
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes).expect("the system's random numbers");
        HeaderValue::from_str(&hex::encode(bytes)).expect("hex is a header value")
    })
}

/// The outermost layer: opens the request's span and answers its id.
pub async fn span(request: Request, next: Next) -> Response {
    let id = request_id(&request);
    let span = tracing::info_span!(
        "request",
        id = %id.to_str().unwrap_or_default(),
        method = %request.method(),
        route = tracing::field::Empty,
    );
    if let Some(route) = request.extensions().get::<MatchedPath>() {
        span.record("route", tracing::field::display(route.as_str()));
    }
    let started = std::time::Instant::now();
    let mut response = next.run(request).instrument(span.clone()).await;
    let status = response.status().as_u16();
    let ms = started.elapsed().as_millis() as u64;
    span.in_scope(|| {
        if status >= 500 {
            tracing::warn!(status, ms, "answered");
        } else {
            tracing::info!(status, ms, "answered");
        }
    });
    response.headers_mut().insert(REQUEST_ID.clone(), id);
    response
}
