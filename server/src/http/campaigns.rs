//! The rep's campaigns, for filters and pickers.

use super::{ApiContext, CurrentUser, Result};
use api::CampaignRef;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};

pub fn router() -> Router<ApiContext> {
    Router::new().route("/campaigns", get(list))
}

async fn list(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
) -> Result<Json<Vec<CampaignRef>>> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, name FROM campaigns WHERE owner_id = ? ORDER BY name, id")
            .bind(current.id())
            .fetch_all(&ctx.db)
            .await?;
    Ok(Json(
        rows.into_iter()
            .map(|(id, name)| CampaignRef { id, name })
            .collect(),
    ))
}
