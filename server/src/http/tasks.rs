//! The task list: views by due date in the rep's own time zone, with filters and counts.

use super::extract::QueryParams;
use super::view_as::ViewAs;
use super::{ApiContext, Error, Result};
use crate::tasks::list::{self, Filters, Window};
use crate::time::{day_bounds, now_ms, start_of_day, zone};
use api::Text;
use api::{CampaignId, Page, PersonId, Task, TaskCounts, TaskView};
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

pub fn router() -> Router<ApiContext> {
    use super::task_commands as commands;
    use api::endpoints::paths;
    Router::new()
        .route(paths::TASKS, get(list).post(commands::create))
        .route(paths::TASK_COUNTS, get(counts))
        .route(paths::TASK_BULK, post(commands::bulk))
        .route(
            paths::TASK,
            get(commands::one)
                .patch(commands::edit)
                .delete(commands::delete),
        )
        .route(paths::TASK_ACTION, post(commands::act))
}

#[derive(Deserialize)]
struct ListParams {
    view: Option<String>,
    /// For `view=range`: local dates, `YYYY-MM-DD`, both included.
    from: Option<String>,
    to: Option<String>,
    kind: Option<String>,
    priority: Option<String>,
    person_id: Option<PersonId>,
    campaign_id: Option<CampaignId>,
    /// `due` (default) or `priority` (high first, then by due date).
    sort: Option<String>,
    limit: Option<u32>,
}

/// A date parameter, read whenever it is given (empty is absent): malformed is 400.
fn parse_date(field: &str, text: Option<&str>) -> Result<Option<chrono::NaiveDate>> {
    let Some(text) = text.filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| {
            Error::bad_field(
                field,
                Text::new(
                    format!("`{text}` is not a date (YYYY-MM-DD)."),
                    format!("`{text}` は日付ではありません（YYYY-MM-DD）。"),
                ),
            )
        })
}

async fn list(
    State(ctx): State<ApiContext>,
    ViewAs(viewed): ViewAs,
    QueryParams(params): QueryParams<ListParams>,
) -> Result<Json<Page<Task>>> {
    let view_name = params.view.as_deref().unwrap_or("today");
    let view: TaskView = view_name.parse().map_err(|_| {
        Error::bad_field(
            "view",
            Text::new(
                format!("`{view_name}` is not a view; use overdue, today, tomorrow, next7, range, nodate or done."),
                format!("`{view_name}` は表示ではありません。overdue、today、tomorrow、next7、range、nodate、done のいずれかです。"),
            ),
        )
    })?;
    if let Some(kind) = &params.kind {
        kind.parse::<api::TaskKind>().map_err(|_| {
            Error::bad_field(
                "kind",
                Text::new(
                    format!("`{kind}` is not a task type."),
                    format!("`{kind}` はタスクの種類ではありません。"),
                ),
            )
        })?;
    }
    if let Some(priority) = &params.priority {
        priority.parse::<api::Priority>().map_err(|_| {
            Error::bad_field(
                "priority",
                Text::new(
                    format!("`{priority}` is not a priority."),
                    format!("`{priority}` は優先度ではありません。"),
                ),
            )
        })?;
    }
    let by_priority = match params.sort.as_deref() {
        None | Some("due") => false,
        Some("priority") => true,
        Some(other) => {
            return Err(Error::bad_field(
                "sort",
                Text::new(
                    format!("`{other}` is not a sort; use due or priority."),
                    format!("`{other}` は並び順ではありません。due か priority です。"),
                ),
            ))
        }
    };
    let limit = params.limit.unwrap_or(500);
    if !(1..=1000).contains(&limit) {
        return Err(Error::bad_field(
            "limit",
            Text::fixed(
                "limit must be between 1 and 1000.",
                "limit は 1 から 1000 の間にしてください。",
            ),
        ));
    }
    let (from, to) = (
        parse_date("from", params.from.as_deref())?,
        parse_date("to", params.to.as_deref())?,
    );
    let bounds = day_bounds(&viewed.time_zone, now_ms());
    let (lo, hi) = match view {
        TaskView::Overdue => (i64::MIN, bounds.today),
        TaskView::Today => (bounds.today, bounds.tomorrow),
        TaskView::Tomorrow => (bounds.tomorrow, bounds.day_after),
        TaskView::Next7 => (bounds.tomorrow, bounds.next7_end),
        TaskView::Range => {
            let tz = zone(&viewed.time_zone);
            let needed = |field: &str, date: Option<chrono::NaiveDate>| {
                date.ok_or_else(|| {
                    Error::unprocessable(
                        field,
                        Text::new(
                            format!("A range needs `{field}` (YYYY-MM-DD)."),
                            format!("期間には `{field}`（YYYY-MM-DD）が必要です。"),
                        ),
                    )
                })
            };
            let (from, to) = (needed("from", from)?, needed("to", to)?);
            if to < from {
                return Err(Error::unprocessable(
                    "to",
                    Text::fixed(
                        "The range ends before it starts.",
                        "期間の終わりが始まりより前です。",
                    ),
                ));
            }
            (
                start_of_day(tz, from),
                start_of_day(tz, to + chrono::Days::new(1)),
            )
        }
        TaskView::NoDate | TaskView::Done => (0, 0),
    };
    let window = match view {
        TaskView::NoDate => Window::NoDate,
        TaskView::Done => Window::Done,
        _ => Window::Due { from: lo, to: hi },
    };
    let filters = Filters {
        kind: params.kind.as_deref(),
        priority: params.priority.as_deref(),
        person_id: params.person_id,
        campaign_id: params.campaign_id,
        by_priority,
    };
    let items = list::list(&ctx.db, viewed.owner, window, &filters, limit).await?;
    Ok(Json(Page {
        items,
        next_cursor: None,
    }))
}

async fn counts(State(ctx): State<ApiContext>, ViewAs(viewed): ViewAs) -> Result<Json<TaskCounts>> {
    let bounds = day_bounds(&viewed.time_zone, now_ms());
    Ok(Json(list::counts(&ctx.db, viewed.owner, &bounds).await?))
}
