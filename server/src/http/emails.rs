//! The outbox: folder counts, a folder's emails page by page, one email with its timeline.

use super::email_commands as commands;
use super::extract::QueryParams;
use super::view_as::ViewAs;
use super::{ApiContext, Error, Result};
use crate::time::{from_ms, from_ms_opt};
use api::Text;
use api::{
    CampaignRef, EmailDetail, EmailStatus, EmailSummary, EngagedEmail, EngagementEvent, EventKind,
    Folder, FolderCounts, MergePreview, Page, PersonRef, TextIs,
};
use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

pub use crate::outbox::NO_SUCH_EMAIL;

const DEFAULT_PAGE_SIZE: u32 = 50;
const MAX_PAGE_SIZE: u32 = 200;

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/emails/counts", get(counts))
        .route("/emails", get(list).post(commands::create))
        .route("/emails/bulk", post(commands::bulk))
        .route("/emails/batch", post(commands::batch))
        .route("/emails/most-engaged", get(most_engaged))
        .route(
            "/emails/{id}",
            get(detail).patch(commands::edit).delete(commands::delete),
        )
        .route("/emails/{id}/{action}", post(commands::act))
}

/// Every folder's count: kept per rep and status by triggers (migration 0006), so one indexed
/// read however long the rep's history (the bench runs it bare, too).
pub const COUNTS_SQL: &str = "SELECT status, n FROM folder_counts WHERE owner_id = $1";

async fn counts(
    State(ctx): State<ApiContext>,
    ViewAs(viewed): ViewAs,
) -> Result<Json<FolderCounts>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(COUNTS_SQL)
        .bind(viewed.owner)
        .fetch_all(&ctx.db)
        .await?;
    let mut counts = FolderCounts::default();
    for (status, n) in rows {
        let status: EmailStatus = status.parse().map_err(anyhow::Error::from)?;
        *counts.get_mut(status.folder()) = n as u64;
    }
    Ok(Json(counts))
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

/// The order of a folder page, by the folder's date.
#[derive(Clone, Copy, PartialEq)]
enum SortOrder {
    NewestFirst,
    OldestFirst,
}

/// Where the previous page ended: the last row's (folder date, id), rows strictly after it follow.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Cursor {
    folder_at: i64,
    id: i64,
}

impl Cursor {
    fn encode(self) -> String {
        format!("{}.{}", self.folder_at, self.id)
    }

    fn parse(text: &str) -> Option<Self> {
        let (folder_at, id) = text.split_once('.')?;
        Some(Cursor {
            folder_at: folder_at.parse().ok()?,
            id: id.parse().ok()?,
        })
    }
}

struct ListRequest {
    folder: Folder,
    order: SortOrder,
    after: Option<Cursor>,
    limit: u32,
    /// A LIKE pattern for the quick search, `%` when there is none.
    pattern: String,
}

impl TryFrom<ListParams> for ListRequest {
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
        Ok(ListRequest {
            folder,
            order,
            after,
            limit,
            pattern: like_pattern(params.q.trim()),
        })
    }
}

/// `%text%`, with LIKE's own wildcards in the text matched literally.
pub fn like_pattern(text: &str) -> String {
    format!("%{}%", crate::search::escape_like(text))
}

#[derive(sqlx::FromRow)]
struct EmailRow {
    id: i64,
    subject: String,
    status: String,
    channel: String,
    created_at: i64,
    updated_at: i64,
    scheduled_at: Option<i64>,
    sent_at: Option<i64>,
    failed_at: Option<i64>,
    folder_at: i64,
    failure_reason: Option<String>,
    views: i64,
    clicks: i64,
    replies: i64,
    last_activity_at: Option<i64>,
    #[sqlx(try_from = "crate::db::Flag")]
    marked_success: bool,
    person_id: i64,
    first_name: String,
    last_name: String,
    person_email: String,
    company: String,
    #[sqlx(try_from = "crate::db::Flag")]
    person_opted_out: bool,
    campaign_id: Option<i64>,
    campaign_name: Option<String>,
    #[sqlx(try_from = "crate::db::Flag")]
    campaign_step: bool,
}

impl TryFrom<EmailRow> for EmailSummary {
    type Error = Error;

    fn try_from(row: EmailRow) -> Result<Self> {
        Ok(EmailSummary {
            id: row.id,
            person: PersonRef {
                id: row.person_id,
                name: api::full_name(&row.first_name, &row.last_name),
                email: row.person_email,
                company: row.company,
                opted_out: row.person_opted_out,
            },
            campaign: row
                .campaign_id
                .zip(row.campaign_name)
                .map(|(id, name)| CampaignRef { id, name }),
            subject: row.subject,
            status: row.status.parse().map_err(anyhow::Error::from)?,
            channel: row.channel.parse().map_err(anyhow::Error::from)?,
            created_at: from_ms(row.created_at),
            updated_at: from_ms(row.updated_at),
            scheduled_at: from_ms_opt(row.scheduled_at),
            sent_at: from_ms_opt(row.sent_at),
            failed_at: from_ms_opt(row.failed_at),
            failure_reason: row.failure_reason,
            views: row.views as u32,
            clicks: row.clicks as u32,
            replies: row.replies as u32,
            last_activity_at: from_ms_opt(row.last_activity_at),
            marked_success: row.marked_success,
            campaign_step: row.campaign_step,
        })
    }
}

/// The columns of an `EmailRow`; a macro so that `concat!` keeps every query a static string.
macro_rules! select_email {
    ($clause:literal $(,)?) => {
        concat!(
            "SELECT e.id, e.subject, e.status, e.channel, e.created_at, e.updated_at,
                    e.scheduled_at, e.sent_at, e.failed_at, e.folder_at, e.failure_reason, e.views,
                    e.clicks, e.replies, e.last_activity_at, (e.marked_success = TRUE) AS marked_success,
                    p.id AS person_id, p.first_name,
                    p.last_name, p.email AS person_email, p.company,
                    COALESCE(p.opted_out_at, p.do_not_contact_at) IS NOT NULL AS person_opted_out, c.id AS campaign_id,
                    c.name AS campaign_name, (e.campaign_step_id IS NOT NULL) AS campaign_step
             FROM emails e
             JOIN people p ON p.id = e.person_id
             LEFT JOIN campaigns c ON c.id = e.campaign_id ",
            $clause
        )
    };
}

/// A folder page, newest first: owner, status, cursor (folder_at, folder_at, id), LIKE pattern,
/// limit.
pub const FOLDER_PAGE_NEWEST_SQL: &str = select_email!(
    "WHERE e.owner_id = $1 AND e.status = $2
       AND (e.folder_at < $3 OR (e.folder_at = $4 AND e.id < $5))
       AND ($6 = '%' OR lower(e.subject) LIKE lower($6) ESCAPE '\\'
            OR lower(p.first_name) LIKE lower($6) ESCAPE '\\'
            OR lower(p.last_name) LIKE lower($6) ESCAPE '\\'
            OR lower(p.email) LIKE lower($6) ESCAPE '\\'
            OR lower(p.company) LIKE lower($6) ESCAPE '\\')
     ORDER BY e.folder_at DESC, e.id DESC LIMIT $7"
);

/// Outbox rows of the rep's emails with these ids (a JSON id list), most recently active first:
/// the search's results as emails.
pub(super) async fn summaries_by_id(
    ctx: &ApiContext,
    owner: i64,
    ids: &str,
) -> Result<Vec<EmailSummary>> {
    let rows: Vec<EmailRow> = sqlx::query_as(select_email!(
        "WHERE e.owner_id = $1 AND e.id IN (SELECT CAST(value AS BIGINT) FROM json_each($2))
         ORDER BY e.last_activity_at IS NULL, e.last_activity_at DESC, e.id DESC"
    ))
    .bind(owner)
    .bind(ids)
    .fetch_all(&ctx.db)
    .await?;
    rows.into_iter().map(EmailSummary::try_from).collect()
}

/// Outbox rows of every email to one of the rep's people, newest first.
pub(super) async fn summaries_of_person(
    ctx: &ApiContext,
    owner: i64,
    person: i64,
) -> Result<Vec<EmailSummary>> {
    let rows: Vec<EmailRow> = sqlx::query_as(select_email!(
        "WHERE e.owner_id = $1 AND e.person_id = $2 ORDER BY e.folder_at DESC, e.id DESC LIMIT 1000"
    ))
    .bind(owner)
    .bind(person)
    .fetch_all(&ctx.db)
    .await?;
    rows.into_iter().map(EmailSummary::try_from).collect()
}

async fn list(
    State(ctx): State<ApiContext>,
    ViewAs(viewed): ViewAs,
    QueryParams(params): QueryParams<ListParams>,
) -> Result<Json<Page<EmailSummary>>> {
    let request = ListRequest::try_from(params)?;
    // Both orders are spelled out in full so that every query is a static, parameterized string.
    let sql = match request.order {
        SortOrder::NewestFirst => FOLDER_PAGE_NEWEST_SQL,
        SortOrder::OldestFirst => select_email!(
            "WHERE e.owner_id = $1 AND e.status = $2
               AND (e.folder_at > $3 OR (e.folder_at = $4 AND e.id > $5))
               AND ($6 = '%' OR lower(e.subject) LIKE lower($6) ESCAPE '\\'
                    OR lower(p.first_name) LIKE lower($6) ESCAPE '\\'
                    OR lower(p.last_name) LIKE lower($6) ESCAPE '\\'
                    OR lower(p.email) LIKE lower($6) ESCAPE '\\'
                    OR lower(p.company) LIKE lower($6) ESCAPE '\\')
             ORDER BY e.folder_at ASC, e.id ASC LIMIT $7",
        ),
    };
    let start = request.after.unwrap_or(match request.order {
        SortOrder::NewestFirst => Cursor {
            folder_at: i64::MAX,
            id: i64::MAX,
        },
        SortOrder::OldestFirst => Cursor {
            folder_at: i64::MIN,
            id: i64::MIN,
        },
    });
    // One row more than asked tells whether another page follows.
    let rows: Vec<EmailRow> = sqlx::query_as(sql)
        .bind(viewed.owner)
        .bind(request.folder.status().as_str())
        .bind(start.folder_at)
        .bind(start.folder_at)
        .bind(start.id)
        .bind(&request.pattern)
        .bind(request.limit as i64 + 1)
        .fetch_all(&ctx.db)
        .await?;
    let has_more = rows.len() > request.limit as usize;
    let rows: Vec<EmailRow> = rows.into_iter().take(request.limit as usize).collect();
    let next_cursor = has_more
        .then(|| {
            rows.last().map(|row| {
                Cursor {
                    folder_at: row.folder_at,
                    id: row.id,
                }
                .encode()
            })
        })
        .flatten();
    let items = rows
        .into_iter()
        .map(EmailSummary::try_from)
        .collect::<Result<_>>()?;
    Ok(Json(Page { items, next_cursor }))
}

/// The rep's delivered emails with the most engagement since a moment: owner, since, limit.
/// Driven from the rep's people through the events' (person_id, kind, occurred_at) index, so it
/// reads only the window's events, not every delivered email's (330 ms -> a few ms at 90,000
/// delivered emails). The join order is fixed (CROSS JOIN): started from the emails, SQLite
/// probes each email's events.
pub const MOST_ENGAGED_SQL: &str =
    "SELECT ev.email_id, COUNT(*) FILTER (WHERE ev.kind = 'view') AS views,
            COUNT(*) FILTER (WHERE ev.kind = 'click') AS clicks,
            COUNT(*) FILTER (WHERE ev.kind = 'reply') AS replies
     FROM people p
     CROSS JOIN email_events ev
     CROSS JOIN emails e
     WHERE p.owner_id = $1 AND ev.person_id = p.id AND ev.kind IN ('view', 'click', 'reply')
       AND ev.occurred_at >= $2 AND e.id = ev.email_id AND e.owner_id = $1
       AND e.status = 'delivered'
     GROUP BY ev.email_id
     ORDER BY COUNT(*) FILTER (WHERE ev.kind = 'view')
              + 3 * COUNT(*) FILTER (WHERE ev.kind = 'click')
              + 10 * COUNT(*) FILTER (WHERE ev.kind = 'reply') DESC,
              MAX(ev.occurred_at) DESC
     LIMIT $3";

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
    let ranked: Vec<(i64, i64, i64, i64)> = sqlx::query_as(MOST_ENGAGED_SQL)
        .bind(viewed.owner)
        .bind(since)
        .bind(i64::from(limit))
        .fetch_all(&ctx.db)
        .await?;
    // The ranked emails themselves, in one query; then back in their rank order.
    let ids = crate::db::id_list(ranked.iter().map(|r| r.0));
    let rows: Vec<EmailRow> = sqlx::query_as(select_email!(
        "WHERE e.id IN (SELECT CAST(value AS BIGINT) FROM json_each($1))"
    ))
    .bind(ids)
    .fetch_all(&ctx.db)
    .await?;
    let mut by_id: std::collections::HashMap<i64, EmailRow> =
        rows.into_iter().map(|row| (row.id, row)).collect();
    let mut engaged = Vec::with_capacity(ranked.len());
    for (id, views, clicks, replies) in ranked {
        let Some(row) = by_id.remove(&id) else {
            continue;
        };
        engaged.push(EngagedEmail {
            email: row.try_into()?,
            views: views as u32,
            clicks: clicks as u32,
            replies: replies as u32,
        });
    }
    Ok(Json(engaged))
}

#[derive(sqlx::FromRow)]
struct EventRow {
    kind: String,
    url: Option<String>,
    detail: Option<String>,
    occurred_at: i64,
}

async fn detail(
    State(ctx): State<ApiContext>,
    ViewAs(viewed): ViewAs,
    Path(id): Path<String>,
) -> Result<Json<EmailDetail>> {
    let id = parse_id(&id)?;
    Ok(Json(load_detail(&ctx.db, viewed.owner, id).await?))
}

/// An id in a path: anything but a number names no email.
pub fn parse_id(text: &str) -> Result<i64> {
    text.parse().map_err(|_| Error::NotFound(NO_SUCH_EMAIL))
}

/// One of the rep's emails with its body and timeline; another rep's is "not found".
pub async fn load_detail(db: &crate::db::Db, owner: i64, id: i64) -> Result<EmailDetail> {
    let row: Option<EmailRow> =
        sqlx::query_as(select_email!("WHERE e.id = $1 AND e.owner_id = $2"))
            .bind(id)
            .bind(owner)
            .fetch_optional(db)
            .await?;
    let summary = EmailSummary::try_from(row.ok_or(Error::NotFound(NO_SUCH_EMAIL))?)?;
    #[allow(clippy::type_complexity)]
    let (body_html, message_id, text_is, first_name, last_name, company, title): (
        String,
        Option<String>,
        String,
        String,
        String,
        String,
        String,
    ) = sqlx::query_as(
        "SELECT e.body_html, e.message_id, e.text_is, p.first_name, p.last_name, p.company, p.title
         FROM emails e JOIN people p ON p.id = e.person_id WHERE e.id = $1",
    )
    .bind(id)
    .fetch_one(db)
    .await?;
    let text_is: TextIs =
        serde_json::from_value(serde_json::Value::String(text_is)).map_err(anyhow::Error::from)?;
    let has_fields = summary.subject.contains("{{") || body_html.contains("{{");
    let preview = (text_is == TextIs::Template && has_fields).then(|| {
        let values = api::merge::MergeValues {
            first_name,
            last_name,
            company,
            title,
        };
        match api::merge::render_email(&summary.subject, &body_html, &values) {
            Ok((subject, body_html)) => MergePreview {
                subject,
                body_html,
                unfilled: Vec::new(),
            },
            Err(unfilled) => MergePreview {
                subject: summary.subject.clone(),
                body_html: body_html.clone(),
                unfilled,
            },
        }
    });
    let events: Vec<EventRow> = sqlx::query_as(
        "SELECT kind, url, detail, occurred_at FROM email_events WHERE email_id = $1 ORDER BY occurred_at, id",
    )
    .bind(id)
    .fetch_all(db)
    .await?;
    let events = events
        .into_iter()
        .map(|event| {
            Ok(EngagementEvent {
                kind: event_kind(&event.kind)?,
                url: event.url,
                detail: event.detail,
                occurred_at: from_ms(event.occurred_at),
            })
        })
        .collect::<Result<_>>()?;
    Ok(EmailDetail {
        summary,
        body_html,
        message_id,
        events,
        text_is,
        preview,
    })
}

fn event_kind(kind: &str) -> Result<EventKind> {
    serde_json::from_value(serde_json::Value::String(kind.to_owned()))
        .map_err(|e| Error::Internal(anyhow::anyhow!("unknown event kind {kind}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let cursor = Cursor {
            folder_at: 1_700_000_000_000,
            id: 42,
        };
        assert_eq!(Cursor::parse(&cursor.encode()), Some(cursor));
        assert_eq!(Cursor::parse("42"), None);
        assert_eq!(Cursor::parse("a.b"), None);
    }

    #[test]
    fn like_wildcards_in_a_search_are_literal() {
        assert_eq!(like_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
        assert_eq!(like_pattern(""), "%%");
    }
}
