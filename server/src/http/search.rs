//! Advanced search over the rep's people and emails, and saved searches (dynamic lists): the
//! requests and answers; what matches is `crate::search`'s, the lists `crate::saved_searches`'.

use super::extract::JsonBody;
use super::extract::QueryParams;
use super::{ApiContext, CurrentUser, Error, Result};
use crate::saved_searches::{self, Stored};
use crate::search::results::results;
use crate::search::{matching_emails, people_of, Counts, Found};
use crate::time::now_ms;
use api::search::{
    NewSavedSearch, SavedSearch, SavedSearchPatch, SavedSearchResults, SearchQuery, SearchRequest,
    SearchResponse, Upgrade,
};

use api::{SavedSearchId, UserId};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};

pub fn router() -> Router<ApiContext> {
    use api::endpoints::paths;
    Router::new()
        .route(paths::SEARCH, post(search))
        .route(paths::SAVED_SEARCHES, get(list_saved).post(create_saved))
        .route(
            paths::SAVED_SEARCH,
            get(one_saved).patch(edit_saved).delete(delete_saved),
        )
        .route(paths::SAVED_SEARCH_RESULTS, get(saved_results))
}

/// A query as given (either version), brought to this version and checked.
fn check(query: SearchQuery) -> Result<Upgrade> {
    let upgrade = query.upgrade();
    upgrade
        .query
        .validate()
        .map_err(|message| Error::unprocessable("query", message))?;
    Ok(upgrade)
}

/// The rep whose data a search reads: the caller, or one they may view as (a manager, their
/// team's members; an admin, anyone), which the audit log records.
async fn owner_for(
    ctx: &ApiContext,
    current: &CurrentUser,
    asked: Option<UserId>,
) -> Result<UserId> {
    super::view_as::owner(ctx, current, asked, "search").await
}

async fn search(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    JsonBody(request): JsonBody<SearchRequest>,
) -> Result<Json<SearchResponse>> {
    let Upgrade { query, previous } = check(request.query)?;
    let owner = owner_for(&ctx, &current, request.owner_id).await?;
    let matches = matching_emails(
        &ctx.limited,
        &query,
        owner,
        now_ms(),
        ctx.query_time_limit(),
    )
    .await?;
    Ok(Json(SearchResponse {
        found: results(&ctx.db, owner, &matches).await?,
        query,
        previous_query: previous,
    }))
}

fn summary(stored: Stored, counts: Counts) -> SavedSearch {
    SavedSearch {
        id: stored.id,
        name: stored.name.as_str().to_owned(),
        query: stored.query,
        member_count: counts.people,
        email_count: counts.emails,
        previous_query: stored.previous,
    }
}

async fn saved(ctx: &ApiContext, owner: UserId, stored: Stored) -> Result<SavedSearch> {
    let matches = matching_emails(
        &ctx.limited,
        &stored.query,
        owner,
        now_ms(),
        ctx.query_time_limit(),
    )
    .await?;
    Ok(summary(stored, Counts::of(&matches)))
}

async fn list_saved(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
) -> Result<Json<Vec<SavedSearch>>> {
    let kept = saved_searches::list(&ctx.db, current.id()).await?;
    // Every list's counts in one statement: this is read on each live tick of the search page.
    let searches: Vec<(SavedSearchId, &SearchQuery)> =
        kept.iter().map(|s| (s.id, &s.query)).collect();
    let mut counts = crate::search::counts_of(
        &ctx.limited,
        &searches,
        current.id(),
        now_ms(),
        ctx.query_time_limit(),
    )
    .await?;
    let list = kept
        .into_iter()
        .map(|stored| {
            let count = counts.remove(&stored.id).unwrap_or_default();
            summary(stored, count)
        })
        .collect();
    Ok(Json(list))
}

async fn create_saved(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    JsonBody(new): JsonBody<NewSavedSearch>,
) -> Result<(StatusCode, Json<SavedSearch>)> {
    let name = saved_searches::Name::parse(&new.name)?;
    // Saved as it runs now: a version 1 query is kept upgraded, and the rep sees what it finds.
    let query = check(new.query)?.query;
    let now = now_ms();
    let stored = saved_searches::create(&ctx.db, current.id(), name, query, now).await?;
    // The rep saw the results when saving: later arrivals are the new ones.
    let matches = matching_emails(
        &ctx.limited,
        &stored.query,
        current.id(),
        now,
        ctx.query_time_limit(),
    )
    .await?;
    saved_searches::mark_seen(&ctx.db, stored.id, &matches).await?;
    Ok((
        StatusCode::CREATED,
        Json(summary(stored, Counts::of(&matches))),
    ))
}

async fn one_saved(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<SavedSearch>> {
    let stored = saved_searches::load(&ctx.db, current.id(), &id).await?;
    Ok(Json(saved(&ctx, current.id(), stored).await?))
}

async fn edit_saved(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path(id): Path<String>,
    JsonBody(patch): JsonBody<SavedSearchPatch>,
) -> Result<Json<SavedSearch>> {
    let mut stored = saved_searches::load(&ctx.db, current.id(), &id).await?;
    if let Some(name) = patch.name.as_deref() {
        stored.name = saved_searches::Name::parse(name)?;
    }
    if let Some(query) = patch.query {
        // The rep chose what it means now: nothing left to tell.
        stored.query = check(query)?.query;
        stored.previous = None;
    }
    saved_searches::update(&ctx.db, &stored, now_ms()).await?;
    Ok(Json(saved(&ctx, current.id(), stored).await?))
}

async fn delete_saved(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    let stored = saved_searches::load(&ctx.db, current.id(), &id).await?;
    saved_searches::delete(&ctx.db, stored).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(serde::Deserialize)]
struct ResultsParams {
    /// Opening the list (true) makes everyone in it "seen"; a live refresh (false) keeps marks.
    #[serde(default)]
    mark_seen: bool,
}

async fn saved_results(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path(id): Path<String>,
    QueryParams(params): QueryParams<ResultsParams>,
) -> Result<Json<SavedSearchResults>> {
    let stored = saved_searches::load(&ctx.db, current.id(), &id).await?;
    let matches = matching_emails(
        &ctx.limited,
        &stored.query,
        current.id(),
        now_ms(),
        ctx.query_time_limit(),
    )
    .await?;
    let seen = saved_searches::seen(&ctx.db, stored.id).await?;
    let arrived: Vec<Found> = matches
        .iter()
        .copied()
        .filter(|m| !seen.contains(&m.email))
        .collect();
    let found = results(&ctx.db, current.id(), &matches).await?;
    if params.mark_seen {
        saved_searches::mark_seen(&ctx.db, stored.id, &matches).await?;
    }
    Ok(Json(SavedSearchResults {
        found,
        new_ids: people_of(&arrived),
        new_email_ids: arrived.iter().map(|m| m.email).collect(),
    }))
}
