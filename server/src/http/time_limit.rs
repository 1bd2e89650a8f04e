//! Every request is answered within a time limit, so a slow client (a body sent a byte a
//! minute) or a stuck query cannot hold a connection, a database connection or the write lock
//! for ever. Two requests are long by nature and keep their own bounds: the live stream (open
//! while the app is) and the CSV import (bounded by its rows).

use super::Error;
use api::endpoints::paths;
use api::Text;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::Duration;

/// Stops a request past `--request-time-limit` with 503. A transaction it had open is rolled
/// back as it is dropped.
pub async fn limit(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    // Matched inside the API's nesting: the paths are the API's own.
    let path = request.uri().path();
    if path == paths::STREAM || path == paths::PEOPLE_IMPORT {
        return next.run(request).await;
    }
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => Error::Unavailable {
            retry_after: 5,
            message: Text::new(
                format!(
                    "The request took longer than {} s and was stopped. Try again in a moment.",
                    limit.as_secs_f64()
                ),
                format!(
                    "リクエストが {} 秒を超えたため中止しました。少し待ってからもう一度お試しください。",
                    limit.as_secs_f64()
                ),
            ),
        }
        .into_response(),
    }
}
