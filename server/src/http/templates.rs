//! Templates over HTTP: listed with their usage, created, edited, deleted. The rules are
//! `crate::templates`'.

use super::extract::JsonBody;
use super::{ApiContext, CurrentUser, Error, Result};
use crate::templates::{self, NO_SUCH_TEMPLATE};
use api::templates::{Template, TemplateInput};
use api::TemplateId;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};

pub fn router() -> Router<ApiContext> {
    use api::endpoints::paths;
    Router::new()
        .route(paths::TEMPLATES, get(list).post(create))
        .route(paths::TEMPLATE, put(edit).get(one).delete(delete))
}

fn template_id(id: &str) -> Result<TemplateId> {
    id.parse().map_err(|_| Error::NotFound(NO_SUCH_TEMPLATE))
}

async fn list(State(ctx): State<ApiContext>, current: CurrentUser) -> Result<Json<Vec<Template>>> {
    let mut conn = ctx.db.acquire().await?;
    Ok(Json(templates::list(&mut conn, current.id()).await?))
}

async fn one(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Template>> {
    let mut conn = ctx.db.acquire().await?;
    Ok(Json(
        templates::load(&mut conn, current.id(), template_id(&id)?).await?,
    ))
}

async fn create(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    JsonBody(input): JsonBody<TemplateInput>,
) -> Result<(StatusCode, Json<Template>)> {
    let mut tx = crate::db::begin_write(&ctx.db).await?;
    let template = templates::create(&mut tx, current.id(), &input).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(template)))
}

async fn edit(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path(id): Path<String>,
    JsonBody(input): JsonBody<TemplateInput>,
) -> Result<Json<Template>> {
    let mut tx = crate::db::begin_write(&ctx.db).await?;
    let template = templates::edit(&mut tx, current.id(), template_id(&id)?, &input).await?;
    tx.commit().await?;
    Ok(Json(template))
}

async fn delete(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    let mut tx = crate::db::begin_write(&ctx.db).await?;
    templates::delete(&mut tx, current.id(), template_id(&id)?).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
