//! The rep's people: the list (the People page and the compose form's picker), one person with
//! their history, add, change, delete and undo, and CSV import. The rules live in
//! `crate::people`; this module turns requests and errors into HTTP.

use super::extract::{ClientAddress, JsonBody, QueryParams};
use super::users::Audit;
use super::{ApiContext, CurrentUser, Error, Result};
use crate::people::import::{ImportFailure, ImportOptions, TextEncoding};
use crate::people::{self, PeopleError};
use api::people::{
    ColumnMapping, ImportReport, OnExisting, PeopleBulkAction, PeopleBulkRequest,
    PeopleBulkResponse, PeoplePage, PeopleSort, PersonDetail, PersonFields, PersonPatch,
};
use api::users::AuditAction;
use api::{Person, PersonId, Text};
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};

const DEFAULT_PAGE: u64 = 50;
const MAX_PAGE: u64 = 500;
/// The most people one bulk request names.
const MAX_BULK: usize = 1000;

pub fn router() -> Router<ApiContext> {
    use api::endpoints::paths;
    Router::new()
        .route(paths::PEOPLE, get(list).post(create))
        .route(
            paths::PEOPLE_IMPORT,
            // The body is read as it arrives, never whole: no size limit applies to it here.
            post(import).layer(DefaultBodyLimit::disable()),
        )
        .route(paths::PEOPLE_BULK, post(bulk))
        .route(paths::PEOPLE_EXPORT, get(export))
        .route(paths::PERSON, get(detail).patch(update).delete(delete))
        .route(paths::PERSON_RESTORE, post(restore))
}

impl From<PeopleError> for Error {
    fn from(error: PeopleError) -> Self {
        match error {
            PeopleError::Invalid(ref invalid) => {
                Error::unprocessable(invalid.field.as_str(), error.text())
            }
            PeopleError::Duplicate { .. } => Error::Conflict(error.text()),
            PeopleError::NotFound => Error::NotFound(error.text()),
            PeopleError::Db(db) => Error::Database(db),
        }
    }
}

fn parse_id(text: &str) -> Result<PersonId> {
    text.parse().map_err(|_| Error::from(PeopleError::NotFound))
}

#[derive(serde::Deserialize)]
struct ListParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    sort: Option<String>,
    #[serde(default)]
    offset: Option<u64>,
    #[serde(default)]
    limit: Option<u64>,
}

async fn list(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    QueryParams(params): QueryParams<ListParams>,
) -> Result<Json<PeoplePage>> {
    let sort = match params.sort.as_deref() {
        None => PeopleSort::default(),
        Some(name) => name.parse::<PeopleSort>().map_err(|_| {
            Error::bad_field(
                "sort",
                Text::fixed(
                    "Sort by name, company, email or added.",
                    "並べ替えは name、company、email、added のいずれかです。",
                ),
            )
        })?,
    };
    let limit = params.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(Error::bad_field(
            "limit",
            Text::new(
                format!("limit must be between 1 and {MAX_PAGE}."),
                format!("limit は 1 から {MAX_PAGE} の間にしてください。"),
            ),
        ));
    }
    let offset = params.offset.unwrap_or(0);
    if offset > i32::MAX as u64 {
        return Err(Error::bad_field(
            "offset",
            Text::fixed(
                "offset is at most 2147483647.",
                "offset は 2147483647 までです。",
            ),
        ));
    }
    let page = people::list(&ctx.db, current.id(), &params.q, sort, offset, limit).await?;
    Ok(Json(page))
}

/// Every one of the rep's people as a CSV file (see `people::export`); each export is in the
/// audit log with how many people it carried.
async fn export(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    ClientAddress(address): ClientAddress,
) -> Result<impl axum::response::IntoResponse> {
    let (csv, count) = people::export::csv(&ctx.db, current.id()).await?;
    Audit::of(AuditAction::Exported, Some(current.id()), address)
        .saying(format!("people: {count}"))
        .record(&ctx)
        .await?;
    let filename = format!("people-{}.csv", chrono::Utc::now().format("%Y-%m-%d"));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        csv,
    ))
}

async fn create(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    JsonBody(fields): JsonBody<PersonFields>,
) -> Result<(StatusCode, Json<Person>)> {
    let person = people::create(&ctx.db, current.id(), fields).await?;
    Ok((StatusCode::CREATED, Json(person)))
}

async fn detail(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<PersonDetail>> {
    let (owner, id) = (current.id(), parse_id(&id)?);
    let person = people::get(&ctx.db, owner, id).await?;
    let (opted_out_at, do_not_contact_at) = people::contact_marks(&ctx.db, owner, id).await?;
    Ok(Json(PersonDetail {
        person,
        opted_out_at: crate::time::from_ms_opt(opted_out_at),
        do_not_contact_at: crate::time::from_ms_opt(do_not_contact_at),
        emails: crate::outbox::reads::summaries_of_person(&ctx.db, owner, id).await?,
        campaigns: people::campaigns(&ctx.db, owner, id).await?,
        timeline: people::timeline(&ctx.db, owner, id).await?,
    }))
}

async fn update(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path(id): Path<String>,
    JsonBody(patch): JsonBody<PersonPatch>,
) -> Result<Json<Person>> {
    let person = people::update(&ctx.db, current.id(), parse_id(&id)?, patch).await?;
    Ok(Json(person))
}

async fn delete(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    let id = parse_id(&id)?;
    if people::set_deleted(&ctx.db, current.id(), &[id], true).await? == 0 {
        return Err(PeopleError::NotFound.into());
    }
    // Their campaigns' pending steps went with them.
    ctx.changes.emails(current.id(), vec![]);
    ctx.changes.tasks(current.id(), vec![]);
    Ok(StatusCode::NO_CONTENT)
}

/// Undoes a delete.
async fn restore(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Person>> {
    let (owner, id) = (current.id(), parse_id(&id)?);
    if !people::exists(&ctx.db, owner, id).await? {
        return Err(PeopleError::NotFound.into());
    }
    people::set_deleted(&ctx.db, owner, &[id], false).await?;
    match people::get(&ctx.db, owner, id).await {
        Ok(person) => Ok(Json(person)),
        // Still deleted: someone else has their address now.
        Err(PeopleError::NotFound) => Err(Error::Conflict(Text::fixed(
            "Another of your people has this person's email address now; they stay deleted.",
            "このメールアドレスは今は別の連絡先のものです。この人は削除されたままです。",
        ))),
        Err(other) => Err(other.into()),
    }
}

async fn bulk(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    JsonBody(request): JsonBody<PeopleBulkRequest>,
) -> Result<Json<PeopleBulkResponse>> {
    let owner = current.id();
    if request.ids.is_empty() || request.ids.len() > MAX_BULK {
        return Err(Error::unprocessable(
            "ids",
            Text::fixed(
                "Choose between 1 and 1,000 people.",
                "1 人から 1,000 人までを選んでください。",
            ),
        ));
    }
    let delete = request.action == PeopleBulkAction::Delete;
    let changed = people::set_deleted(&ctx.db, owner, &request.ids, delete).await?;
    if delete {
        ctx.changes.emails(owner, vec![]);
        ctx.changes.tasks(owner, vec![]);
    }
    Ok(Json(PeopleBulkResponse { changed }))
}

#[derive(serde::Deserialize)]
struct ImportParams {
    /// `email:2,first_name:0`: which column fills which field (default: by the header row).
    #[serde(default)]
    mapping: Option<String>,
    #[serde(default)]
    on_existing: Option<OnExisting>,
    /// `utf-8` or `shift_jis` (default: found from the file).
    #[serde(default)]
    encoding: Option<String>,
    /// The first line's row number, for a file sent in parts (default 1).
    #[serde(default)]
    first_row: Option<u64>,
}

async fn import(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    headers: HeaderMap,
    QueryParams(params): QueryParams<ImportParams>,
    body: Body,
) -> Result<Json<ImportReport>> {
    let mapping = match params.mapping.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(
            ColumnMapping::parse_param(text)
                .map_err(|message| Error::unprocessable("mapping", message))?,
        ),
    };
    let encoding = match params.encoding.as_deref() {
        None | Some("") => None,
        Some(name) => Some(TextEncoding::from_name(name).ok_or_else(|| {
            Error::bad_field(
                "encoding",
                Text::fixed(
                    "The encoding is utf-8 or shift_jis.",
                    "文字コードは utf-8 か shift_jis です。",
                ),
            )
        })?),
    };
    let lang = super::extract::callers_lang(&headers);
    let options = ImportOptions {
        mapping,
        on_existing: params.on_existing.unwrap_or_default(),
        encoding,
        first_row: params.first_row.unwrap_or(1),
        lang,
    };
    let report = people::import::import(&ctx.db, current.id(), body.into_data_stream(), options)
        .await
        .map_err(|failure| match failure {
            ImportFailure::Malformed(reason) => Error::unprocessable("file", reason),
            ImportFailure::Db(db) => Error::Database(db),
            ImportFailure::Body(reason) => Error::bad_field(
                "file",
                Text::new(
                    format!("The upload broke off ({reason}); rows before the break were imported."),
                    format!("アップロードが途中で切れました（{reason}）。それまでの行は取り込みました。"),
                ),
            ),
        })?;
    Ok(Json(report))
}
