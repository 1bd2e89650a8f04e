//! Paths about the API itself: health and its OpenAPI document.

use super::ApiContext;
use api::Health;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};

/// The contract of every path under `/api/v1`, kept beside the code and checked by the API tests.
const OPENAPI: &str = include_str!("../../openapi.json");

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/health", get(health))
        .route("/openapi.json", get(openapi))
}

async fn health() -> Json<Health> {
    Json(Health {
        status: "ok".to_owned(),
    })
}

async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI)
}
