//! The outbox's reads: every folder's count, a folder's page, the rows of chosen emails, the
//! most engaged emails, and one email with its timeline. The HTTP layer checks the parameters and
//! passes them on; the bench runs the same SQL bare (`COUNTS_SQL`, `FOLDER_PAGE_NEWEST_SQL`,
//! `MOST_ENGAGED_SQL`).

use super::{Error, NO_SUCH_EMAIL};
use crate::db::Db;
use crate::time::{from_ms, from_ms_opt};
use api::{
    CampaignId, CampaignRef, EmailDetail, EmailId, EmailStatus, EmailSummary, EngagedEmail,
    EngagementEvent, EventKind, Folder, FolderCounts, MergePreview, PersonId, PersonRef, TextIs,
    UserId,
};

type Result<T, E = Error> = std::result::Result<T, E>;

/// Every folder's count: kept per rep and status by triggers (migration 0006), so one indexed
/// read however long the rep's history (the bench runs it bare, too).
pub const COUNTS_SQL: &str = "SELECT status, n FROM folder_counts WHERE owner_id = $1";

pub async fn counts(db: &Db, owner: UserId) -> Result<FolderCounts> {
    let rows: Vec<(String, i64)> = sqlx::query_as(COUNTS_SQL).bind(owner).fetch_all(db).await?;
    let mut counts = FolderCounts::default();
    for (status, n) in rows {
        let status: EmailStatus = status.parse().map_err(anyhow::Error::from)?;
        *counts.get_mut(status.folder()) = n as u64;
    }
    Ok(counts)
}

/// The order of a folder page, by the folder's date.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SortOrder {
    NewestFirst,
    OldestFirst,
}

/// Where the previous page ended: the last row's (folder date, id), rows strictly after it follow.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cursor {
    folder_at: i64,
    id: EmailId,
}

impl Cursor {
    pub fn encode(self) -> String {
        format!("{}.{}", self.folder_at, self.id)
    }

    pub fn parse(text: &str) -> Option<Self> {
        let (folder_at, id) = text.split_once('.')?;
        Some(Cursor {
            folder_at: folder_at.parse().ok()?,
            id: id.parse().ok()?,
        })
    }
}

/// What a folder page shows: its folder in an order, after a cursor, the rows whose person or
/// subject match a LIKE pattern (`like_pattern`), at most `limit`.
pub struct FolderPage {
    pub folder: Folder,
    pub order: SortOrder,
    pub after: Option<Cursor>,
    pub limit: u32,
    pub pattern: String,
}

/// `%text%`, with LIKE's own wildcards in the text matched literally.
pub fn like_pattern(text: &str) -> String {
    format!("%{}%", crate::search::escape_like(text))
}

#[derive(sqlx::FromRow)]
struct EmailRow {
    id: EmailId,
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
    person_id: PersonId,
    first_name: String,
    last_name: String,
    person_email: String,
    company: String,
    #[sqlx(try_from = "crate::db::Flag")]
    person_opted_out: bool,
    campaign_id: Option<CampaignId>,
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
    ($($clause:literal),+ $(,)?) => {
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
            $($clause),+
        )
    };
}

/// A folder page's statement, one direction: owner, status, cursor (folder_at, folder_at, id),
/// LIKE pattern, limit. `$past` compares with the cursor, `$order` sorts.
macro_rules! folder_page_sql {
    ($past:literal, $order:literal) => {
        select_email!(
            "WHERE e.owner_id = $1 AND e.status = $2
       AND (e.folder_at ",
            $past,
            " $3 OR (e.folder_at = $4 AND e.id ",
            $past,
            " $5))
       AND ($6 = '%' OR lower(e.subject) LIKE lower($6) ESCAPE '\\'
            OR lower(p.first_name) LIKE lower($6) ESCAPE '\\'
            OR lower(p.last_name) LIKE lower($6) ESCAPE '\\'
            OR lower(p.email) LIKE lower($6) ESCAPE '\\'
            OR lower(p.company) LIKE lower($6) ESCAPE '\\')
     ORDER BY e.folder_at ",
            $order,
            ", e.id ",
            $order,
            " LIMIT $7"
        )
    };
}

/// A folder page, newest first.
pub const FOLDER_PAGE_NEWEST_SQL: &str = folder_page_sql!("<", "DESC");

/// The same, oldest first.
const FOLDER_PAGE_OLDEST_SQL: &str = folder_page_sql!(">", "ASC");

/// A page of the owner's folder, and the cursor of the next page when there is one.
pub async fn folder_page(
    db: &Db,
    owner: UserId,
    page: &FolderPage,
) -> Result<(Vec<EmailSummary>, Option<String>)> {
    // Both orders are spelled out in full so that every query is a static, parameterized string.
    let (sql, first) = match page.order {
        SortOrder::NewestFirst => (FOLDER_PAGE_NEWEST_SQL, i64::MAX),
        SortOrder::OldestFirst => (FOLDER_PAGE_OLDEST_SQL, i64::MIN),
    };
    let start = page.after.unwrap_or(Cursor {
        folder_at: first,
        id: EmailId(first),
    });
    // One row more than asked tells whether another page follows.
    let rows: Vec<EmailRow> = sqlx::query_as(sql)
        .bind(owner)
        .bind(page.folder.status().as_str())
        .bind(start.folder_at)
        .bind(start.folder_at)
        .bind(start.id)
        .bind(&page.pattern)
        .bind(page.limit as i64 + 1)
        .fetch_all(db)
        .await?;
    let has_more = rows.len() > page.limit as usize;
    let rows: Vec<EmailRow> = rows.into_iter().take(page.limit as usize).collect();
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
    Ok((items, next_cursor))
}

/// Outbox rows of the rep's emails with these ids (a JSON id list), most recently active first:
/// the search's results as emails.
pub async fn summaries_by_id(db: &Db, owner: UserId, ids: &str) -> Result<Vec<EmailSummary>> {
    let rows: Vec<EmailRow> = sqlx::query_as(select_email!(
        "WHERE e.owner_id = $1 AND e.id IN (SELECT CAST(value AS BIGINT) FROM json_each($2))
         ORDER BY e.last_activity_at IS NULL, e.last_activity_at DESC, e.id DESC"
    ))
    .bind(owner)
    .bind(ids)
    .fetch_all(db)
    .await?;
    rows.into_iter().map(EmailSummary::try_from).collect()
}

/// Outbox rows of every email to one of the rep's people, newest first.
pub async fn summaries_of_person(
    db: &Db,
    owner: UserId,
    person: PersonId,
) -> Result<Vec<EmailSummary>> {
    let rows: Vec<EmailRow> = sqlx::query_as(select_email!(
        "WHERE e.owner_id = $1 AND e.person_id = $2 ORDER BY e.folder_at DESC, e.id DESC LIMIT 1000"
    ))
    .bind(owner)
    .bind(person)
    .fetch_all(db)
    .await?;
    rows.into_iter().map(EmailSummary::try_from).collect()
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

/// The owner's delivered emails ranked by their views, clicks and replies since `since` (ms): a
/// reply weighs most, then a click, then a view.
pub async fn most_engaged(
    db: &Db,
    owner: UserId,
    since: i64,
    limit: u32,
) -> Result<Vec<EngagedEmail>> {
    let ranked: Vec<(EmailId, i64, i64, i64)> = sqlx::query_as(MOST_ENGAGED_SQL)
        .bind(owner)
        .bind(since)
        .bind(i64::from(limit))
        .fetch_all(db)
        .await?;
    // The ranked emails themselves, in one query; then back in their rank order.
    let ids = crate::db::id_list(ranked.iter().map(|r| r.0));
    let rows: Vec<EmailRow> = sqlx::query_as(select_email!(
        "WHERE e.id IN (SELECT CAST(value AS BIGINT) FROM json_each($1))"
    ))
    .bind(ids)
    .fetch_all(db)
    .await?;
    let mut by_id: std::collections::HashMap<EmailId, EmailRow> =
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
    Ok(engaged)
}

#[derive(sqlx::FromRow)]
struct EventRow {
    kind: String,
    url: Option<String>,
    detail: Option<String>,
    occurred_at: i64,
}

/// One of the rep's emails with its body and timeline; another rep's is "not found".
pub async fn detail(db: &Db, owner: UserId, id: EmailId) -> Result<EmailDetail> {
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
            id: EmailId(42),
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
