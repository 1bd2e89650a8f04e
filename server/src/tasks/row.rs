//! A task as the database holds it, read into the API's `Task`.

use super::Error;
use crate::time::{from_ms, from_ms_opt};
use api::{CampaignId, CampaignRef, EmailId, PersonId, Task, TaskId, TaskPerson};

/// The columns of a `TaskRow`; a macro so that `concat!` keeps every query a static string.
macro_rules! select_task {
    ($clause:literal $(,)?) => {
        concat!(
            "SELECT t.id, t.title, t.kind, t.priority, t.status, t.due_at, t.notes, t.email_id,
                    t.created_at, t.completed_at, p.id AS person_id, p.first_name, p.last_name,
                    p.email AS person_email, p.company, p.phone, p.linkedin_url,
                    c.id AS campaign_id, c.name AS campaign_name, e.subject AS email_subject
             FROM tasks t
             LEFT JOIN people p ON p.id = t.person_id
             LEFT JOIN campaigns c ON c.id = t.campaign_id
             LEFT JOIN emails e ON e.id = t.email_id ",
            $clause
        )
    };
}
pub(crate) use select_task;

#[derive(sqlx::FromRow)]
pub struct TaskRow {
    id: TaskId,
    title: String,
    kind: String,
    priority: String,
    status: String,
    due_at: Option<i64>,
    notes: String,
    email_id: Option<EmailId>,
    created_at: i64,
    completed_at: Option<i64>,
    person_id: Option<PersonId>,
    first_name: Option<String>,
    last_name: Option<String>,
    person_email: Option<String>,
    company: Option<String>,
    phone: Option<String>,
    linkedin_url: Option<String>,
    campaign_id: Option<CampaignId>,
    campaign_name: Option<String>,
    email_subject: Option<String>,
}

impl TryFrom<TaskRow> for Task {
    type Error = Error;

    fn try_from(row: TaskRow) -> Result<Self, Error> {
        let parse = |e: api::folder::UnknownName| Error::Internal(e.into());
        Ok(Task {
            id: row.id,
            title: row.title,
            kind: row.kind.parse().map_err(parse)?,
            priority: row.priority.parse().map_err(parse)?,
            status: row.status.parse().map_err(parse)?,
            due_at: from_ms_opt(row.due_at),
            notes: row.notes,
            person: row.person_id.map(|id| TaskPerson {
                id,
                name: api::full_name(
                    row.first_name.as_deref().unwrap_or(""),
                    row.last_name.as_deref().unwrap_or(""),
                ),
                email: row.person_email.unwrap_or_default(),
                company: row.company.unwrap_or_default(),
                phone: row.phone.unwrap_or_default(),
                linkedin_url: row.linkedin_url.unwrap_or_default(),
            }),
            email_id: row.email_id,
            email_subject: row.email_subject,
            campaign: row
                .campaign_id
                .zip(row.campaign_name)
                .map(|(id, name)| CampaignRef { id, name }),
            created_at: from_ms(row.created_at),
            completed_at: from_ms_opt(row.completed_at),
        })
    }
}
