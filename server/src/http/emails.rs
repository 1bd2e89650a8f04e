//! The outbox: folder counts, a folder's emails page by page, one email with its timeline. The
//! reads and their SQL live in `crate::outbox::reads`; this module checks the parameters.

use super::email_commands as commands;
use super::extract::QueryParams;
use super::view_as::ViewAs;
use super::{ApiContext, Error, Result};
use crate::outbox::reads::{self, Cursor, FolderPage, SortOrder};
use api::Text;
use api::{EmailDetail, EmailId, EmailSummary, EngagedEmail, Folder, FolderCounts, Page};
use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

pub use crate::outbox::NO_SUCH_EMAIL;

const DEFAULT_PAGE_SIZE: u32 = 50;
const MAX_PAGE_SIZE: u32 = 200;

pub fn router() -> Router<ApiContext> {
    use api::endpoints::paths;
    Router::new()
        .route(paths::EMAIL_COUNTS, get(counts))
        .route(paths::EMAILS, get(list).post(commands::create))
        .route(paths::EMAIL_BULK, post(commands::bulk))
        .route(paths::EMAIL_BATCH, post(commands::batch))
        .route(paths::MOST_ENGAGED, get(most_engaged))
        .route(
            paths::EMAIL,
            get(detail).patch(commands::edit).delete(commands::delete),
        )
        .route(paths::EMAIL_ACTION, post(commands::act))
}

async fn counts(
    State(ctx): State<ApiContext>,
    ViewAs(viewed): ViewAs,
) -> Result<Json<FolderCounts>> {
    Ok(Json(reads::counts(&ctx.db, viewed.owner).await?))
}

#[derive(Deserialize)]
struct ListParams {
    folder: Option<String>,
    #[serde(default)]
    q: String,
    sort: Option<String>,
    cursor: Option<String>,
    limit: Option<u32>,
}

impl TryFrom<ListParams> for FolderPage {
    type Error = Error;

    fn try_from(params: ListParams) -> Result<Self> {
        let folder = params.folder.ok_or_else(|| {
            Error::bad_field(
                "folder",
                Text::fixed(
                    "Say which folder to list: folder=delivered, scheduled, ...",
                    "一覧にするフォルダーを指定してください: folder=delivered, scheduled, …",
                ),
            )
        })?;
        let folder = folder.parse::<Folder>().map_err(|_| {
            let names: Vec<&str> = Folder::ALL.iter().map(|f| f.as_str()).collect();
            Error::bad_field(
                "folder",
                Text::new(
                    format!(
                        "`{folder}` is not a folder; use one of {}.",
                        names.join(", ")
                    ),
                    format!(
                        "`{folder}` はフォルダーではありません。{} のいずれかです。",
                        names.join(", ")
                    ),
                ),
            )
        })?;
        let order = match params.sort.as_deref() {
            None if folder.lists_oldest_first() => SortOrder::OldestFirst,
            None | Some("-date") => SortOrder::NewestFirst,
            Some("date") => SortOrder::OldestFirst,
            Some(other) => {
                return Err(Error::bad_field(
                    "sort",
                    Text::new(
                        format!("`{other}` is not a sort order; use `-date` or `date`."),
                        format!("`{other}` は並び順ではありません。`-date` か `date` です。"),
                    ),
                ))
            }
        };
        let after = match params.cursor.as_deref() {
            None | Some("") => None,
            Some(text) => Some(Cursor::parse(text).ok_or_else(|| {
                Error::unprocessable(
                    "cursor",
                    Text::fixed(
                        "That cursor was not issued by this server; start from the first page.",
                        "このカーソルはこのサーバーのものではありません。最初のページからやり直してください。",
                    ),
                )
            })?),
        };
        let limit = params.limit.unwrap_or(DEFAULT_PAGE_SIZE);
        if !(1..=MAX_PAGE_SIZE).contains(&limit) {
            return Err(Error::bad_field(
                "limit",
                Text::new(
                    format!("limit must be between 1 and {MAX_PAGE_SIZE}."),
                    format!("limit は 1 から {MAX_PAGE_SIZE} の間にしてください。"),
                ),
            ));
        }
        Ok(FolderPage {
            folder,
            order,
            after,
            limit,
            pattern: reads::like_pattern(params.q.trim()),
        })
    }
}

async fn list(
    State(ctx): State<ApiContext>,
    ViewAs(viewed): ViewAs,
    QueryParams(params): QueryParams<ListParams>,
) -> Result<Json<Page<EmailSummary>>> {
    let page = FolderPage::try_from(params)?;
    let (items, next_cursor) = reads::folder_page(&ctx.db, viewed.owner, &page).await?;
    Ok(Json(Page { items, next_cursor }))
}

#[derive(Deserialize)]
struct EngagedParams {
    days: Option<u32>,
    limit: Option<u32>,
}

/// Delivered emails ranked by their views, clicks and replies in the last `days` (default 7):
/// a reply weighs most, then a click, then a view.
async fn most_engaged(
    State(ctx): State<ApiContext>,
    ViewAs(viewed): ViewAs,
    QueryParams(params): QueryParams<EngagedParams>,
) -> Result<Json<Vec<EngagedEmail>>> {
    let days = params.days.unwrap_or(7);
    if !(1..=90).contains(&days) {
        return Err(Error::bad_field(
            "days",
            Text::fixed(
                "days must be between 1 and 90.",
                "days は 1 から 90 の間にしてください。",
            ),
        ));
    }
    let limit = params.limit.unwrap_or(10);
    if !(1..=50).contains(&limit) {
        return Err(Error::bad_field(
            "limit",
            Text::fixed(
                "limit must be between 1 and 50.",
                "limit は 1 から 50 の間にしてください。",
            ),
        ));
    }
    let since = crate::time::now_ms() - i64::from(days) * 24 * 60 * 60 * 1000;
    Ok(Json(
        reads::most_engaged(&ctx.db, viewed.owner, since, limit).await?,
    ))
}

async fn detail(
    State(ctx): State<ApiContext>,
    ViewAs(viewed): ViewAs,
    Path(id): Path<String>,
) -> Result<Json<EmailDetail>> {
    let id = parse_id(&id)?;
    Ok(Json(reads::detail(&ctx.db, viewed.owner, id).await?))
}

/// An id in a path: anything but a number names no email.
pub fn parse_id(text: &str) -> Result<EmailId> {
    text.parse().map_err(|_| Error::NotFound(NO_SUCH_EMAIL))
}
