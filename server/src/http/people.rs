//! The rep's people (recipients), for the compose form's picker.

use super::extract::QueryParams;
use super::{ApiContext, CurrentUser, Result};
use api::{Page, Person};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};

pub fn router() -> Router<ApiContext> {
    Router::new().route("/people", get(list))
}

#[derive(serde::Deserialize)]
struct Params {
    #[serde(default)]
    q: String,
}

#[derive(sqlx::FromRow)]
pub(super) struct PersonRow {
    pub(super) id: i64,
    first_name: String,
    last_name: String,
    email: String,
    company: String,
    title: String,
    phone: String,
    linkedin_url: String,
    opted_out: bool,
}

async fn list(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    QueryParams(params): QueryParams<Params>,
) -> Result<Json<Page<Person>>> {
    let pattern = super::emails::like_pattern(params.q.trim());
    let rows: Vec<PersonRow> = sqlx::query_as(
        "SELECT id, first_name, last_name, email, company, title, phone, linkedin_url,
                opted_out_at IS NOT NULL AS opted_out FROM people
         WHERE owner_id = ?1 AND (first_name LIKE ?2 ESCAPE '\\' OR last_name LIKE ?2 ESCAPE '\\'
               OR email LIKE ?2 ESCAPE '\\' OR company LIKE ?2 ESCAPE '\\')
         ORDER BY last_name, first_name, id LIMIT 50",
    )
    .bind(current.id())
    .bind(pattern)
    .fetch_all(&ctx.db)
    .await?;
    let items = rows.into_iter().map(Person::from).collect();
    Ok(Json(Page {
        items,
        next_cursor: None,
    }))
}

impl From<PersonRow> for Person {
    fn from(row: PersonRow) -> Self {
        Person {
            id: row.id,
            name: api::full_name(&row.first_name, &row.last_name),
            first_name: row.first_name,
            last_name: row.last_name,
            email: row.email,
            company: row.company,
            title: row.title,
            phone: row.phone,
            linkedin_url: row.linkedin_url,
            opted_out: row.opted_out,
        }
    }
}
