//! The REST API's calls, one typed function each: its method, its path and query (encoded), its
//! body, and the type of its answer. The SPA and the server's API tests call the API through
//! these, and the server's routers are made from the same paths, so a route or a field that
//! changes on one side fails to compile on the other.
//!
//! Every call the SPA makes is here. Routes that browsers or other servers reach without the
//! SPA (tracking pixels and clicks, unsubscribe pages, webhooks, health, OpenAPI, OpenID
//! Connect's redirects) are named in their own routers.

use crate::ids::{CampaignId, PersonId, UserId};
use crate::search::{
    NewSavedSearch, SavedSearch, SavedSearchPatch, SavedSearchResults, SearchRequest,
    SearchResponse,
};
use crate::{
    NewTask, Page, Person, Priority, Task, TaskAction, TaskActionRequest, TaskBulkRequest,
    TaskBulkResponse, TaskCounts, TaskKind, TaskPatch, TaskView,
};
use serde::Serialize;
use std::marker::PhantomData;

pub mod accounts;
pub mod campaigns;
pub mod emails;
pub mod people;
pub mod search;
pub mod tasks;
pub mod templates;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// One call: what to ask, and (as its type) what the answer reads as. An answer with no content
/// reads as `()`.
#[derive(Debug)]
pub struct Call<Answer> {
    pub method: Method,
    /// From the API's root (`/tasks?view=today`), every value in it encoded.
    pub path: String,
    pub body: Option<String>,
    /// The body's type: JSON but for an import's CSV.
    pub content_type: &'static str,
    answer: PhantomData<fn() -> Answer>,
}

impl<Answer> Call<Answer> {
    fn new(method: Method, path: String) -> Self {
        Call {
            method,
            path,
            body: None,
            content_type: "application/json",
            answer: PhantomData,
        }
    }

    fn get(path: String) -> Self {
        Call::new(Method::Get, path)
    }

    fn delete(path: String) -> Self {
        Call::new(Method::Delete, path)
    }

    fn with(method: Method, path: String, body: &impl Serialize) -> Self {
        Call {
            body: Some(serde_json::to_string(body).expect("request bodies are plain data")),
            ..Call::new(method, path)
        }
    }

    /// The same call, its answer not read: the SPA re-reads what it shows, and not decoding an
    /// answer keeps its reader out of the first download.
    pub fn answer_ignored(self) -> Call<serde::de::IgnoredAny> {
        Call {
            method: self.method,
            path: self.path,
            body: self.body,
            content_type: self.content_type,
            answer: PhantomData,
        }
    }

    /// The same call for the member a manager or an admin views (`as=`), if one.
    pub fn viewed_as(mut self, member: Option<UserId>) -> Self {
        if let Some(member) = member {
            let joint = if self.path.contains('?') { '&' } else { '?' };
            self.path = format!("{}{joint}as={member}", self.path);
        }
        self
    }
}

/// `{}`: a request body without fields (written without `serde_json::Value`, whose code the SPA
/// would otherwise download for these few bodies).
#[derive(Serialize)]
struct NoFields {}

/// An answer that is a CSV file: read as bytes, not JSON.
#[derive(Debug)]
pub struct Csv;

/// The routes, as the server's routers name them (`{id}` where a path holds one).
pub mod paths {
    pub const TASKS: &str = "/tasks";
    pub const TASK_COUNTS: &str = "/tasks/counts";
    pub const TASK_BULK: &str = "/tasks/bulk";
    pub const TASK: &str = "/tasks/{id}";
    pub const TASK_ACTION: &str = "/tasks/{id}/{action}";
    pub const SEARCH: &str = "/search";
    pub const SAVED_SEARCHES: &str = "/saved-searches";
    pub const SAVED_SEARCH: &str = "/saved-searches/{id}";
    pub const SAVED_SEARCH_RESULTS: &str = "/saved-searches/{id}/results";
    pub const PEOPLE: &str = "/people";
    pub const EMAILS: &str = "/emails";
    pub const EMAIL_COUNTS: &str = "/emails/counts";
    pub const EMAIL_BULK: &str = "/emails/bulk";
    pub const EMAIL_BATCH: &str = "/emails/batch";
    pub const MOST_ENGAGED: &str = "/emails/most-engaged";
    pub const EMAIL: &str = "/emails/{id}";
    pub const EMAIL_ACTION: &str = "/emails/{id}/{action}";
    pub const PERSON: &str = "/people/{id}";
    pub const PERSON_RESTORE: &str = "/people/{id}/restore";
    pub const PEOPLE_EXPORT: &str = "/people/export";
    pub const PEOPLE_IMPORT: &str = "/people/import";
    pub const PEOPLE_BULK: &str = "/people/bulk";
    pub const CAMPAIGNS: &str = "/campaigns";
    pub const CAMPAIGN: &str = "/campaigns/{id}";
    pub const CAMPAIGN_COMMAND: &str = "/campaigns/{id}/{command}";
    pub const CAMPAIGN_PEOPLE: &str = "/campaigns/{id}/people";
    pub const CAMPAIGN_REPORT: &str = "/campaigns/{id}/report";
    pub const CAMPAIGN_STEPS: &str = "/campaigns/{id}/steps";
    pub const CAMPAIGN_STEP: &str = "/campaigns/{id}/steps/{step}";
    pub const ENROLMENTS: &str = "/campaigns/{id}/enrolments";
    pub const ENROLMENT_COMMAND: &str = "/campaigns/{id}/enrolments/{person}/{command}";
    pub const TEMPLATES: &str = "/templates";
    pub const TEMPLATE: &str = "/templates/{id}";
    pub const SESSION: &str = "/session";
    pub const SESSIONS: &str = "/sessions";
    pub const EMBED_SESSION: &str = "/session/embed";
    pub const STREAM_TICKETS: &str = "/stream/tickets";
    /// The live stream (an EventSource, not a call): `?ticket=` a ticket from `STREAM_TICKETS`.
    pub const STREAM: &str = "/stream";
    pub const AUTH_METHODS: &str = "/auth/methods";
    pub const SSO_START: &str = "/auth/oidc/start";
    pub const SSO_CALLBACK: &str = "/auth/oidc/callback";
    pub const SSO_SESSION: &str = "/auth/oidc/session";
    pub const ME: &str = "/me";
    pub const MY_PASSWORD: &str = "/me/password";
    pub const MY_PROFILE: &str = "/me/profile";
    pub const MY_MAILBOX: &str = "/me/mailbox";
    pub const USERS: &str = "/users";
    pub const USER: &str = "/users/{id}";
    pub const USER_HAND_OVER: &str = "/users/{id}/hand-over";
    pub const USER_COMMAND: &str = "/users/{id}/{command}";
    pub const TEAMS: &str = "/teams";
    pub const TEAM: &str = "/teams/{id}";
    pub const INVITATION: &str = "/invitations/{token}";
    pub const AUDIT: &str = "/audit";
}

fn at(route: &str, id: impl std::fmt::Display) -> String {
    route.replace("{id}", &id.to_string())
}

/// `path?name=value&…`, each value encoded (RFC 3986: all but the unreserved characters).
fn with_query(path: &str, pairs: &[(&str, String)]) -> String {
    if pairs.is_empty() {
        return path.to_owned();
    }
    let query: Vec<String> = pairs
        .iter()
        .map(|(name, value)| format!("{name}={}", encode(value)))
        .collect();
    format!("{path}?{}", query.join("&"))
}

pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// The order of a task list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TaskSort {
    #[default]
    Due,
    /// High first, then by due date.
    Priority,
}

impl TaskSort {
    pub fn as_str(self) -> &'static str {
        match self {
            TaskSort::Due => "due",
            TaskSort::Priority => "priority",
        }
    }
}

/// What a task list is read for.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskListQuery {
    pub view: TaskView,
    pub sort: TaskSort,
    /// For `TaskView::Range`: the rep's local days, both included.
    pub range: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    pub kind: Option<TaskKind>,
    pub priority: Option<Priority>,
    pub person: Option<PersonId>,
    pub campaign: Option<CampaignId>,
}

impl TaskListQuery {
    pub fn of(view: TaskView) -> Self {
        TaskListQuery {
            view,
            sort: TaskSort::Due,
            range: None,
            kind: None,
            priority: None,
            person: None,
            campaign: None,
        }
    }
}

/// What changes a campaign as a whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CampaignCommand {
    Pause,
    Resume,
}

/// What changes one person's place in a campaign.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnrolmentCommand {
    Pause,
    Resume,
    Remove,
}

/// What an admin does to an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountCommand {
    Deactivate,
    Reactivate,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{SavedSearchId, TaskId};

    #[test]
    fn values_in_a_query_are_encoded_and_routes_filled() {
        assert_eq!(encode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
        let call = people::find(" Globex & Co ", 8);
        assert_eq!(
            call.path,
            "/people?q=Globex%20%26%20Co&sort=name&offset=0&limit=8"
        );
        assert_eq!(call.method, Method::Get);
        let mut query = TaskListQuery::of(TaskView::Range);
        query.range = Some((
            chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        ));
        query.campaign = Some(CampaignId(7));
        assert_eq!(
            tasks::list(&query).path,
            "/tasks?view=range&sort=due&from=2026-11-01&to=2026-11-30&campaign_id=7"
        );
        let act = tasks::act(
            TaskId(3),
            TaskAction::Complete,
            &TaskActionRequest::default(),
        );
        assert_eq!(
            (act.method, act.path.as_str()),
            (Method::Post, "/tasks/3/complete")
        );
        assert_eq!(
            tasks::counts().viewed_as(Some(UserId(9))).path,
            "/tasks/counts?as=9"
        );
        assert_eq!(
            search::saved_results(SavedSearchId(4), true)
                .viewed_as(Some(UserId(2)))
                .path,
            "/saved-searches/4/results?mark_seen=true&as=2"
        );
    }
}
