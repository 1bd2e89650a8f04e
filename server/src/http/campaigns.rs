//! Campaigns over HTTP: listed for filters and pickers, created from the search page, and filled
//! with people from search results (or by sending as part of one). The rules are
//! `crate::campaigns`'.

use super::extract::JsonBody;
use super::{ApiContext, CurrentUser, Error, Result};
use crate::campaigns::{self, NO_SUCH_CAMPAIGN};
use api::{Campaign, CampaignPeople, Id, NewCampaign};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/campaigns", get(list).post(create))
        .route("/campaigns/{id}/people", post(add_people))
}

async fn list(State(ctx): State<ApiContext>, current: CurrentUser) -> Result<Json<Vec<Campaign>>> {
    Ok(Json(campaigns::list(&ctx.db, current.id()).await?))
}

async fn create(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    JsonBody(new): JsonBody<NewCampaign>,
) -> Result<(StatusCode, Json<Campaign>)> {
    let campaign = campaigns::create(&ctx.db, current.id(), &new.name).await?;
    Ok((StatusCode::CREATED, Json(campaign)))
}

async fn add_people(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<CampaignPeople>,
) -> Result<Json<Campaign>> {
    let id: Id = id.parse().map_err(|_| Error::NotFound(NO_SUCH_CAMPAIGN))?;
    Ok(Json(
        campaigns::add_people(&ctx.db, current.id(), id, &request).await?,
    ))
}
