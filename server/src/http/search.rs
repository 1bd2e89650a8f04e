//! Advanced search over the rep's people and emails, and saved searches (dynamic lists).

use super::extract::JsonBody;
use super::extract::QueryParams;
use super::{ApiContext, CurrentUser, Error, Result};
use crate::search::matching_people;
use crate::time::{from_ms_opt, now_ms};
use api::search::{
    NewSavedSearch, SavedSearch, SavedSearchPatch, SavedSearchResults, SearchHit, SearchQuery,
    SearchRequest, SearchResponse,
};
use api::Text;
use api::{CampaignRef, Role};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use std::collections::{BTreeMap, BTreeSet};

/// At most this many people in one result.
const MAX_RESULTS: usize = 5000;

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/search", post(search))
        .route("/saved-searches", get(list_saved).post(create_saved))
        .route(
            "/saved-searches/{id}",
            get(one_saved).patch(edit_saved).delete(delete_saved),
        )
        .route("/saved-searches/{id}/results", get(saved_results))
}

fn check(query: &SearchQuery) -> Result<()> {
    query
        .validate()
        .map_err(|message| Error::unprocessable("query", message))
}

/// The rep whose data a search reads: the caller, or (admins only) the rep they view as.
async fn owner_for(ctx: &ApiContext, current: &CurrentUser, asked: Option<i64>) -> Result<i64> {
    match asked {
        None => Ok(current.id()),
        Some(id) if id == current.id() => Ok(id),
        Some(_) if current.user.role != Role::Admin => Err(Error::Forbidden(Text::fixed(
            "Only an admin can search another rep's data.",
            "ほかの担当者のデータを検索できるのは管理者だけです。",
        ))),
        Some(id) => {
            let found: Option<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE id = ?")
                .bind(id)
                .fetch_optional(&ctx.db)
                .await?;
            found.map(|(id,)| id).ok_or_else(|| {
                Error::unprocessable(
                    "owner_id",
                    Text::fixed("There is no such rep.", "その担当者はいません。"),
                )
            })
        }
    }
}

#[derive(sqlx::FromRow)]
struct HitRow {
    #[sqlx(flatten)]
    person: super::people::PersonRow,
    views: i64,
    clicks: i64,
    replies: i64,
    last_activity_at: Option<i64>,
}

/// The people with their engagement across the rep's emails, most recently active first.
async fn hits(ctx: &ApiContext, owner: i64, ids: &[i64]) -> Result<Vec<SearchHit>> {
    let ids = crate::db::id_list(ids.iter().take(MAX_RESULTS).copied());
    let rows: Vec<HitRow> = sqlx::query_as(
        "SELECT p.id, p.first_name, p.last_name, p.email, p.company, p.title, p.phone, p.linkedin_url,
                COALESCE(SUM(e.views), 0) AS views, COALESCE(SUM(e.clicks), 0) AS clicks,
                COALESCE(SUM(e.replies), 0) AS replies, MAX(e.last_activity_at) AS last_activity_at
         FROM people p LEFT JOIN emails e ON e.person_id = p.id AND e.owner_id = ?1
         WHERE p.owner_id = ?1 AND p.id IN (SELECT value FROM json_each(?2))
         GROUP BY p.id
         ORDER BY MAX(e.last_activity_at) IS NULL, MAX(e.last_activity_at) DESC, p.id",
    )
    .bind(owner)
    .bind(&ids)
    .fetch_all(&ctx.db)
    .await?;
    let campaign_rows: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT DISTINCT e.person_id, c.id, c.name FROM emails e JOIN campaigns c ON c.id = e.campaign_id
         WHERE e.owner_id = ?1 AND e.person_id IN (SELECT value FROM json_each(?2)) ORDER BY c.name",
    )
    .bind(owner)
    .bind(&ids)
    .fetch_all(&ctx.db)
    .await?;
    let mut campaigns: BTreeMap<i64, Vec<CampaignRef>> = BTreeMap::new();
    for (person, id, name) in campaign_rows {
        campaigns
            .entry(person)
            .or_default()
            .push(CampaignRef { id, name });
    }
    Ok(rows
        .into_iter()
        .map(|row| SearchHit {
            campaigns: campaigns.remove(&row.person.id).unwrap_or_default(),
            person: row.person.into(),
            views: row.views as u32,
            clicks: row.clicks as u32,
            replies: row.replies as u32,
            last_activity_at: from_ms_opt(row.last_activity_at),
        })
        .collect())
}

async fn search(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    JsonBody(request): JsonBody<SearchRequest>,
) -> Result<Json<SearchResponse>> {
    check(&request.query)?;
    let owner = owner_for(&ctx, &current, request.owner_id).await?;
    let ids = matching_people(&ctx.db, &request.query, owner, now_ms()).await?;
    Ok(Json(SearchResponse {
        items: hits(&ctx, owner, &ids).await?,
    }))
}

fn parse_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(Error::unprocessable(
            "name",
            Text::fixed(
                "Name the search (up to 100 characters).",
                "検索に名前を付けてください（100 文字まで）。",
            ),
        ));
    }
    Ok(name.to_owned())
}

fn unique_name(error: sqlx::Error) -> Error {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => Error::Conflict(Text::fixed(
            "You already have a saved search with that name.",
            "その名前の保存済み検索はすでにあります。",
        )),
        _ => Error::Database(error),
    }
}

async fn load_saved(ctx: &ApiContext, owner: i64, id: &str) -> Result<(i64, String, SearchQuery)> {
    const NOT_FOUND: Text = Text::fixed(
        "There is no saved search with that id.",
        "その ID の保存済み検索はありません。",
    );
    let id: i64 = id.parse().map_err(|_| Error::NotFound(NOT_FOUND))?;
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT name, query FROM saved_searches WHERE id = ? AND owner_id = ?")
            .bind(id)
            .bind(owner)
            .fetch_optional(&ctx.db)
            .await?;
    let (name, query) = row.ok_or(Error::NotFound(NOT_FOUND))?;
    let query = serde_json::from_str(&query).map_err(anyhow::Error::from)?;
    Ok((id, name, query))
}

/// Records everyone matching now as seen in the saved search.
async fn mark_seen(ctx: &ApiContext, search_id: i64, people: &[i64]) -> Result<()> {
    let mut tx = ctx.db.begin().await?;
    sqlx::query("DELETE FROM saved_search_seen WHERE search_id = ?")
        .bind(search_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO saved_search_seen (search_id, person_id) SELECT ?1, value FROM json_each(?2)",
    )
    .bind(search_id)
    .bind(crate::db::id_list(people.iter().copied()))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn saved(
    ctx: &ApiContext,
    owner: i64,
    id: i64,
    name: String,
    query: SearchQuery,
) -> Result<SavedSearch> {
    let members = matching_people(&ctx.db, &query, owner, now_ms()).await?;
    Ok(SavedSearch {
        id,
        name,
        query,
        member_count: members.len() as u64,
    })
}

async fn list_saved(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
) -> Result<Json<Vec<SavedSearch>>> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT id, name, query FROM saved_searches WHERE owner_id = ? ORDER BY name, id",
    )
    .bind(current.id())
    .fetch_all(&ctx.db)
    .await?;
    let mut list = Vec::with_capacity(rows.len());
    for (id, name, query) in rows {
        let query = serde_json::from_str(&query).map_err(anyhow::Error::from)?;
        list.push(saved(&ctx, current.id(), id, name, query).await?);
    }
    Ok(Json(list))
}

async fn create_saved(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    JsonBody(new): JsonBody<NewSavedSearch>,
) -> Result<(StatusCode, Json<SavedSearch>)> {
    let name = parse_name(&new.name)?;
    check(&new.query)?;
    let now = now_ms();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO saved_searches (owner_id, name, query, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(current.id())
    .bind(&name)
    .bind(serde_json::to_string(&new.query).map_err(anyhow::Error::from)?)
    .bind(now)
    .bind(now)
    .fetch_one(&ctx.db)
    .await
    .map_err(unique_name)?;
    // The rep saw the results when saving: later arrivals are the new ones.
    let members = matching_people(&ctx.db, &new.query, current.id(), now).await?;
    mark_seen(&ctx, id, &members).await?;
    Ok((
        StatusCode::CREATED,
        Json(SavedSearch {
            id,
            name,
            query: new.query,
            member_count: members.len() as u64,
        }),
    ))
}

async fn one_saved(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<SavedSearch>> {
    let (id, name, query) = load_saved(&ctx, current.id(), &id).await?;
    Ok(Json(saved(&ctx, current.id(), id, name, query).await?))
}

async fn edit_saved(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path(id): Path<String>,
    JsonBody(patch): JsonBody<SavedSearchPatch>,
) -> Result<Json<SavedSearch>> {
    let (id, name, query) = load_saved(&ctx, current.id(), &id).await?;
    let name = patch
        .name
        .as_deref()
        .map(parse_name)
        .transpose()?
        .unwrap_or(name);
    let query = match patch.query {
        Some(query) => {
            check(&query)?;
            query
        }
        None => query,
    };
    sqlx::query("UPDATE saved_searches SET name = ?, query = ?, updated_at = ? WHERE id = ?")
        .bind(&name)
        .bind(serde_json::to_string(&query).map_err(anyhow::Error::from)?)
        .bind(now_ms())
        .bind(id)
        .execute(&ctx.db)
        .await
        .map_err(unique_name)?;
    Ok(Json(saved(&ctx, current.id(), id, name, query).await?))
}

async fn delete_saved(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    let (id, _, _) = load_saved(&ctx, current.id(), &id).await?;
    sqlx::query("DELETE FROM saved_searches WHERE id = ?")
        .bind(id)
        .execute(&ctx.db)
        .await?;
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
    let (id, _, query) = load_saved(&ctx, current.id(), &id).await?;
    let members = matching_people(&ctx.db, &query, current.id(), now_ms()).await?;
    let seen: BTreeSet<i64> =
        sqlx::query_as::<_, (i64,)>("SELECT person_id FROM saved_search_seen WHERE search_id = ?")
            .bind(id)
            .fetch_all(&ctx.db)
            .await?
            .into_iter()
            .map(|(person,)| person)
            .collect();
    let new_ids: Vec<i64> = members
        .iter()
        .copied()
        .filter(|person| !seen.contains(person))
        .collect();
    let items = hits(&ctx, current.id(), &members).await?;
    if params.mark_seen {
        mark_seen(&ctx, id, &members).await?;
    }
    Ok(Json(SavedSearchResults { items, new_ids }))
}
