//! Campaigns over HTTP: listed for filters and pickers, created from the search page, their
//! steps edited, and people enrolled, listed, paused, resumed and removed. The rules are
//! `crate::campaigns`'.

use super::extract::{JsonBody, QueryParams};
use super::{ApiContext, CurrentUser, Error, Result};
use crate::campaigns::control;
use crate::campaigns::enrolments::{self, PersonCommand};
use crate::campaigns::steps::{self, NO_SUCH_STEP};
use crate::campaigns::{self, NO_SUCH_CAMPAIGN};
use crate::time::now_ms;
use api::sequence::{
    CampaignReport, CampaignStep, EnrolledPerson, EnrolmentReport, EnrolmentState, StepInput,
};
use api::{Campaign, CampaignId, CampaignPeople, NewCampaign, PersonId, StepId, Text};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post, put};
use axum::{Json, Router};

pub fn router() -> Router<ApiContext> {
    use api::endpoints::paths;
    Router::new()
        .route(paths::CAMPAIGNS, get(list).post(create))
        .route(paths::CAMPAIGN, get(one).put(rename).delete(delete))
        .route(paths::CAMPAIGN_COMMAND, post(campaign_command))
        .route(paths::CAMPAIGN_PEOPLE, post(add_people))
        .route(paths::CAMPAIGN_REPORT, get(report))
        .route(paths::CAMPAIGN_STEPS, get(list_steps).post(add_step))
        .route(paths::CAMPAIGN_STEP, put(edit_step).delete(remove_step))
        .route(paths::ENROLMENTS, get(list_enrolled).post(enrol))
        .route(paths::ENROLMENT_COMMAND, post(person_command))
}

fn campaign_id(id: &str) -> Result<CampaignId> {
    id.parse().map_err(|_| Error::NotFound(NO_SUCH_CAMPAIGN))
}

async fn list(State(ctx): State<ApiContext>, current: CurrentUser) -> Result<Json<Vec<Campaign>>> {
    Ok(Json(campaigns::list(&ctx.db, current.id()).await?))
}

async fn one(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Campaign>> {
    let mut conn = ctx.db.acquire().await?;
    Ok(Json(
        campaigns::load(&mut conn, current.id(), campaign_id(&id)?).await?,
    ))
}

async fn create(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    JsonBody(new): JsonBody<NewCampaign>,
) -> Result<(StatusCode, Json<Campaign>)> {
    let campaign = campaigns::create(&ctx.db, current.id(), &new.name).await?;
    Ok((StatusCode::CREATED, Json(campaign)))
}

async fn rename(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path(id): Path<String>,
    JsonBody(new): JsonBody<NewCampaign>,
) -> Result<Json<Campaign>> {
    let mut tx = crate::db::begin_write(&ctx.db).await?;
    let campaign = control::rename(&mut tx, current.id(), campaign_id(&id)?, &new.name).await?;
    tx.commit().await?;
    Ok(Json(campaign))
}

async fn delete(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    let mut tx = crate::db::begin_write(&ctx.db).await?;
    control::delete(&mut tx, current.id(), campaign_id(&id)?).await?;
    tx.commit().await?;
    // Its emails and tasks no longer show a campaign.
    ctx.changes.emails(current.id(), vec![]);
    ctx.changes.tasks(current.id(), vec![]);
    Ok(StatusCode::NO_CONTENT)
}

/// Pauses or resumes the whole campaign.
async fn campaign_command(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path((id, command)): Path<(String, String)>,
) -> Result<Json<Campaign>> {
    let id = campaign_id(&id)?;
    let mut tx = crate::db::begin_write(&ctx.db).await?;
    let campaign = match command.as_str() {
        "pause" => control::pause(&mut tx, current.id(), id, now_ms()).await?,
        "resume" => control::resume(&mut tx, current.id(), id, now_ms()).await?,
        _ => {
            return Err(Error::NotFound(Text::fixed(
                "No such command; use pause or resume.",
                "その操作はありません。pause か resume です。",
            )))
        }
    };
    tx.commit().await?;
    ctx.changes.emails(current.id(), vec![]);
    ctx.changes.tasks(current.id(), vec![]);
    Ok(Json(campaign))
}

async fn report(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<CampaignReport>> {
    let mut conn = ctx.db.acquire().await?;
    Ok(Json(
        campaigns::report::report(&mut conn, current.id(), campaign_id(&id)?).await?,
    ))
}

async fn add_people(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<CampaignPeople>,
) -> Result<Json<Campaign>> {
    let campaign =
        campaigns::add_people(&ctx.db, current.id(), campaign_id(&id)?, &request).await?;
    ctx.changes.emails(current.id(), vec![]);
    ctx.changes.tasks(current.id(), vec![]);
    Ok(Json(campaign))
}

async fn list_steps(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<CampaignStep>>> {
    let mut conn = ctx.db.acquire().await?;
    Ok(Json(
        steps::list(&mut conn, current.id(), campaign_id(&id)?).await?,
    ))
}

async fn add_step(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path(id): Path<String>,
    JsonBody(input): JsonBody<StepInput>,
) -> Result<(StatusCode, Json<Vec<CampaignStep>>)> {
    let id = campaign_id(&id)?;
    let mut tx = crate::db::begin_write(&ctx.db).await?;
    steps::add(&mut tx, current.id(), id, &input, now_ms()).await?;
    let all = steps::list(&mut tx, current.id(), id).await?;
    tx.commit().await?;
    // People waiting for a step may have started on this one.
    ctx.changes.emails(current.id(), vec![]);
    ctx.changes.tasks(current.id(), vec![]);
    Ok((StatusCode::CREATED, Json(all)))
}

fn step_id(step: &str) -> Result<StepId> {
    step.parse().map_err(|_| Error::NotFound(NO_SUCH_STEP))
}

async fn edit_step(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path((id, step)): Path<(String, String)>,
    JsonBody(input): JsonBody<StepInput>,
) -> Result<Json<Vec<CampaignStep>>> {
    let id = campaign_id(&id)?;
    let mut tx = crate::db::begin_write(&ctx.db).await?;
    steps::edit(&mut tx, current.id(), id, step_id(&step)?, &input, now_ms()).await?;
    let all = steps::list(&mut tx, current.id(), id).await?;
    tx.commit().await?;
    Ok(Json(all))
}

async fn remove_step(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path((id, step)): Path<(String, String)>,
) -> Result<Json<Vec<CampaignStep>>> {
    let id = campaign_id(&id)?;
    let mut tx = crate::db::begin_write(&ctx.db).await?;
    steps::remove(&mut tx, current.id(), id, step_id(&step)?).await?;
    let all = steps::list(&mut tx, current.id(), id).await?;
    tx.commit().await?;
    Ok(Json(all))
}

#[derive(serde::Deserialize)]
struct EnrolledQuery {
    state: Option<String>,
}

async fn list_enrolled(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path(id): Path<String>,
    QueryParams(query): QueryParams<EnrolledQuery>,
) -> Result<Json<Vec<EnrolledPerson>>> {
    let state = match query.state.as_deref() {
        None | Some("") => None,
        Some(state) => Some(state.parse::<EnrolmentState>().map_err(|_| {
            Error::unprocessable(
                "state",
                Text::fixed(
                    "The state is active, paused or finished.",
                    "状態は active、paused、finished のいずれかです。",
                ),
            )
        })?),
    };
    let mut conn = ctx.db.acquire().await?;
    Ok(Json(
        enrolments::list(&mut conn, current.id(), campaign_id(&id)?, state).await?,
    ))
}

async fn enrol(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<CampaignPeople>,
) -> Result<Json<EnrolmentReport>> {
    let id = campaign_id(&id)?;
    campaigns::check_count(&request.person_ids)?;
    let mut tx = crate::db::begin_write(&ctx.db).await?;
    campaigns::load(&mut tx, current.id(), id).await?;
    let report = enrolments::enrol(
        &mut tx,
        current.id(),
        id,
        &request.person_ids,
        super::extract::callers_lang(&headers),
        now_ms(),
    )
    .await?;
    tx.commit().await?;
    ctx.changes.emails(current.id(), vec![]);
    ctx.changes.tasks(current.id(), vec![]);
    Ok(Json(report))
}

async fn person_command(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path((id, person, command)): Path<(String, String, String)>,
) -> Result<StatusCode> {
    let id = campaign_id(&id)?;
    let person: PersonId = person
        .parse()
        .map_err(|_| Error::NotFound(enrolments::NOT_ENROLLED))?;
    let command = match command.as_str() {
        "pause" => PersonCommand::Pause,
        "resume" => PersonCommand::Resume,
        "remove" => PersonCommand::Remove,
        _ => {
            return Err(Error::NotFound(Text::fixed(
                "No such command; use pause, resume or remove.",
                "その操作はありません。pause、resume、remove のいずれかです。",
            )))
        }
    };
    let mut tx = crate::db::begin_write(&ctx.db).await?;
    enrolments::command(&mut tx, current.id(), id, person, command, now_ms()).await?;
    tx.commit().await?;
    ctx.changes.emails(current.id(), vec![]);
    ctx.changes.tasks(current.id(), vec![]);
    Ok(StatusCode::NO_CONTENT)
}
