//! The REST API's calls, one typed function each: its method, its path and query (encoded), its
//! body, and the type of its answer. The SPA and the server's API tests call the API through
//! these, and the server's routers are made from the same paths, so a route or a field that
//! changes on one side fails to compile on the other.
//!
//! Every call the SPA makes is here. Routes that browsers or other servers reach without the
//! SPA (tracking pixels and clicks, unsubscribe pages, webhooks, health, OpenAPI, OpenID
//! Connect's redirects) are named in their own routers.

use crate::search::{
    NewSavedSearch, SavedSearch, SavedSearchPatch, SavedSearchResults, SearchRequest,
    SearchResponse,
};
use crate::{
    Id, NewTask, Page, Person, Priority, Task, TaskAction, TaskActionRequest, TaskBulkRequest,
    TaskBulkResponse, TaskCounts, TaskKind, TaskPatch, TaskView,
};
use serde::Serialize;
use std::marker::PhantomData;

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
    pub fn viewed_as(mut self, member: Option<Id>) -> Self {
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

fn at(route: &str, id: Id) -> String {
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
    pub person: Option<Id>,
    pub campaign: Option<Id>,
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

pub mod tasks {
    use super::*;

    pub fn list(query: &TaskListQuery) -> Call<Page<Task>> {
        let mut pairs = vec![
            ("view", query.view.as_str().to_owned()),
            ("sort", query.sort.as_str().to_owned()),
        ];
        if let Some((from, to)) = query.range {
            pairs.push(("from", from.format("%Y-%m-%d").to_string()));
            pairs.push(("to", to.format("%Y-%m-%d").to_string()));
        }
        if let Some(kind) = query.kind {
            pairs.push(("kind", kind.as_str().to_owned()));
        }
        if let Some(priority) = query.priority {
            pairs.push(("priority", priority.as_str().to_owned()));
        }
        if let Some(person) = query.person {
            pairs.push(("person_id", person.to_string()));
        }
        if let Some(campaign) = query.campaign {
            pairs.push(("campaign_id", campaign.to_string()));
        }
        Call::get(with_query(paths::TASKS, &pairs))
    }

    pub fn counts() -> Call<TaskCounts> {
        Call::get(paths::TASK_COUNTS.to_owned())
    }

    pub fn one(id: Id) -> Call<Task> {
        Call::get(at(paths::TASK, id))
    }

    pub fn create(task: &NewTask) -> Call<Task> {
        Call::with(Method::Post, paths::TASKS.to_owned(), task)
    }

    pub fn edit(id: Id, patch: &TaskPatch) -> Call<Task> {
        Call::with(Method::Patch, at(paths::TASK, id), patch)
    }

    pub fn delete(id: Id) -> Call<()> {
        Call::delete(at(paths::TASK, id))
    }

    /// An action on one task (deleting answers nothing, the others the task as it now is).
    pub fn act(id: Id, action: TaskAction, request: &TaskActionRequest) -> Call<Option<Task>> {
        let path = at(paths::TASK_ACTION, id).replace("{action}", action.as_str());
        Call::with(Method::Post, path, request)
    }

    pub fn bulk(request: &TaskBulkRequest) -> Call<TaskBulkResponse> {
        Call::with(Method::Post, paths::TASK_BULK.to_owned(), request)
    }
}

pub mod search {
    use super::*;

    pub fn run(request: &SearchRequest) -> Call<SearchResponse> {
        Call::with(Method::Post, paths::SEARCH.to_owned(), request)
    }

    pub fn saved_list() -> Call<Vec<SavedSearch>> {
        Call::get(paths::SAVED_SEARCHES.to_owned())
    }

    pub fn saved(id: Id) -> Call<SavedSearch> {
        Call::get(at(paths::SAVED_SEARCH, id))
    }

    pub fn save(new: &NewSavedSearch) -> Call<SavedSearch> {
        Call::with(Method::Post, paths::SAVED_SEARCHES.to_owned(), new)
    }

    pub fn change_saved(id: Id, patch: &SavedSearchPatch) -> Call<SavedSearch> {
        Call::with(Method::Patch, at(paths::SAVED_SEARCH, id), patch)
    }

    pub fn delete_saved(id: Id) -> Call<()> {
        Call::delete(at(paths::SAVED_SEARCH, id))
    }

    /// Who matches a saved search now; `mark_seen` (its opening) makes its newcomers seen.
    pub fn saved_results(id: Id, mark_seen: bool) -> Call<SavedSearchResults> {
        let pairs = [("mark_seen", mark_seen.to_string())];
        Call::get(with_query(&at(paths::SAVED_SEARCH_RESULTS, id), &pairs))
    }
}

pub mod emails {
    use super::*;
    use crate::batch::{BatchCreated, NewBatch};
    use crate::{
        ActionRequest, BulkRequest, BulkResponse, EmailAction, EmailDetail, EmailPatch,
        EmailSummary, EngagedEmail, Folder, FolderCounts, NewEmail,
    };

    /// A folder's emails, `limit` at a time, after `cursor` (the first page without one).
    pub fn folder(folder: Folder, limit: usize, cursor: Option<&str>) -> Call<Page<EmailSummary>> {
        let mut pairs = vec![("folder", folder.to_string()), ("limit", limit.to_string())];
        if let Some(cursor) = cursor {
            pairs.push(("cursor", cursor.to_owned()));
        }
        Call::get(with_query(paths::EMAILS, &pairs))
    }

    pub fn counts() -> Call<FolderCounts> {
        Call::get(paths::EMAIL_COUNTS.to_owned())
    }

    /// The emails with the most engagement in the last `days`.
    pub fn most_engaged(days: u32, limit: u32) -> Call<Vec<EngagedEmail>> {
        let pairs = [("days", days.to_string()), ("limit", limit.to_string())];
        Call::get(with_query(paths::MOST_ENGAGED, &pairs))
    }

    pub fn one(id: Id) -> Call<EmailDetail> {
        Call::get(at(paths::EMAIL, id))
    }

    pub fn create(email: &NewEmail) -> Call<EmailDetail> {
        Call::with(Method::Post, paths::EMAILS.to_owned(), email)
    }

    pub fn edit(id: Id, patch: &EmailPatch) -> Call<EmailDetail> {
        Call::with(Method::Patch, at(paths::EMAIL, id), patch)
    }

    pub fn delete(id: Id) -> Call<()> {
        Call::delete(at(paths::EMAIL, id))
    }

    /// A quick action on one email; the email as it now is comes back (skipping a campaign
    /// step answers nothing).
    pub fn act(id: Id, action: EmailAction, request: &ActionRequest) -> Call<Option<EmailDetail>> {
        let path = at(paths::EMAIL_ACTION, id).replace("{action}", action.as_str());
        Call::with(Method::Post, path, request)
    }

    pub fn bulk(request: &BulkRequest) -> Call<BulkResponse> {
        Call::with(Method::Post, paths::EMAIL_BULK.to_owned(), request)
    }

    /// Select and Send, or a group email.
    pub fn batch(batch: &NewBatch) -> Call<BatchCreated> {
        Call::with(Method::Post, paths::EMAIL_BATCH.to_owned(), batch)
    }
}

pub mod people {
    use super::*;
    use crate::people::{
        ColumnMapping, ImportReport, OnExisting, PeopleBulkRequest, PeopleBulkResponse, PeoplePage,
        PeopleSort, PersonDetail, PersonFields, PersonPatch,
    };

    /// The rep's people whose name, email or company holds `text`, in `sort`'s order, `limit`
    /// from `offset`.
    pub fn page(text: &str, sort: PeopleSort, offset: u64, limit: u64) -> Call<PeoplePage> {
        let pairs = [
            ("q", text.trim().to_owned()),
            ("sort", sort.as_str().to_owned()),
            ("offset", offset.to_string()),
            ("limit", limit.to_string()),
        ];
        Call::get(with_query(paths::PEOPLE, &pairs))
    }

    /// The first people found for `text`, for a picker.
    pub fn find(text: &str) -> Call<PeoplePage> {
        Call::get(with_query(paths::PEOPLE, &[("q", text.trim().to_owned())]))
    }

    pub fn one(id: Id) -> Call<PersonDetail> {
        Call::get(at(paths::PERSON, id))
    }

    pub fn create(person: &PersonFields) -> Call<Person> {
        Call::with(Method::Post, paths::PEOPLE.to_owned(), person)
    }

    pub fn edit(id: Id, patch: &PersonPatch) -> Call<Person> {
        Call::with(Method::Patch, at(paths::PERSON, id), patch)
    }

    pub fn delete(id: Id) -> Call<()> {
        Call::delete(at(paths::PERSON, id))
    }

    pub fn restore(id: Id) -> Call<Person> {
        Call::with(Method::Post, at(paths::PERSON_RESTORE, id), &NoFields {})
    }

    /// A part of a CSV file, its header row first: `first_row` is its first row's number in
    /// the whole file.
    pub fn import(
        mapping: &ColumnMapping,
        on_existing: OnExisting,
        first_row: usize,
        csv: String,
    ) -> Call<ImportReport> {
        let on_existing = match on_existing {
            OnExisting::Skip => "skip",
            OnExisting::Update => "update",
        };
        let pairs = [
            ("mapping", mapping.to_param()),
            ("on_existing", on_existing.to_owned()),
            ("first_row", first_row.to_string()),
        ];
        Call {
            body: Some(csv),
            content_type: "text/csv; charset=utf-8",
            ..Call::new(Method::Post, with_query(paths::PEOPLE_IMPORT, &pairs))
        }
    }

    pub fn bulk(request: &PeopleBulkRequest) -> Call<PeopleBulkResponse> {
        Call::with(Method::Post, paths::PEOPLE_BULK.to_owned(), request)
    }

    /// Every person as CSV.
    pub fn export() -> Call<Csv> {
        Call::get(paths::PEOPLE_EXPORT.to_owned())
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

pub mod campaigns {
    use super::*;
    use crate::sequence::{
        CampaignReport, CampaignStep, EnrolledPerson, EnrolmentReport, EnrolmentState, StepInput,
    };
    use crate::{Campaign, CampaignPeople, NewCampaign};

    fn of(route: &str, campaign: Id) -> String {
        at(route, campaign)
    }

    pub fn list() -> Call<Vec<Campaign>> {
        Call::get(paths::CAMPAIGNS.to_owned())
    }

    pub fn one(id: Id) -> Call<Campaign> {
        Call::get(of(paths::CAMPAIGN, id))
    }

    pub fn create(campaign: &NewCampaign) -> Call<Campaign> {
        Call::with(Method::Post, paths::CAMPAIGNS.to_owned(), campaign)
    }

    pub fn delete(id: Id) -> Call<()> {
        Call::delete(of(paths::CAMPAIGN, id))
    }

    pub fn command(id: Id, command: CampaignCommand) -> Call<Campaign> {
        let name = match command {
            CampaignCommand::Pause => "pause",
            CampaignCommand::Resume => "resume",
        };
        let path = of(paths::CAMPAIGN_COMMAND, id).replace("{command}", name);
        Call::with(Method::Post, path, &())
    }

    pub fn report(id: Id) -> Call<CampaignReport> {
        Call::get(of(paths::CAMPAIGN_REPORT, id))
    }

    pub fn steps(id: Id) -> Call<Vec<CampaignStep>> {
        Call::get(of(paths::CAMPAIGN_STEPS, id))
    }

    /// A step added; the campaign's steps as they now are come back.
    pub fn add_step(id: Id, step: &StepInput) -> Call<Vec<CampaignStep>> {
        Call::with(Method::Post, of(paths::CAMPAIGN_STEPS, id), step)
    }

    pub fn edit_step(id: Id, step: Id, input: &StepInput) -> Call<Vec<CampaignStep>> {
        let path = of(paths::CAMPAIGN_STEP, id).replace("{step}", &step.to_string());
        Call::with(Method::Put, path, input)
    }

    pub fn remove_step(id: Id, step: Id) -> Call<()> {
        Call::delete(of(paths::CAMPAIGN_STEP, id).replace("{step}", &step.to_string()))
    }

    /// Its people, or those in one state.
    pub fn enrolled(id: Id, state: Option<EnrolmentState>) -> Call<Vec<EnrolledPerson>> {
        let state = state.map_or("", EnrolmentState::as_str).to_owned();
        Call::get(with_query(&of(paths::ENROLMENTS, id), &[("state", state)]))
    }

    pub fn enrol(id: Id, people: &CampaignPeople) -> Call<EnrolmentReport> {
        Call::with(Method::Post, of(paths::ENROLMENTS, id), people)
    }

    pub fn enrolment(id: Id, person: Id, command: EnrolmentCommand) -> Call<()> {
        let name = match command {
            EnrolmentCommand::Pause => "pause",
            EnrolmentCommand::Resume => "resume",
            EnrolmentCommand::Remove => "remove",
        };
        let path = of(paths::ENROLMENT_COMMAND, id)
            .replace("{person}", &person.to_string())
            .replace("{command}", name);
        Call::with(Method::Post, path, &NoFields {})
    }
}

pub mod templates {
    use super::*;
    use crate::templates::{Template, TemplateInput};

    pub fn list() -> Call<Vec<Template>> {
        Call::get(paths::TEMPLATES.to_owned())
    }

    pub fn create(template: &TemplateInput) -> Call<Template> {
        Call::with(Method::Post, paths::TEMPLATES.to_owned(), template)
    }

    pub fn edit(id: Id, template: &TemplateInput) -> Call<Template> {
        Call::with(Method::Put, at(paths::TEMPLATE, id), template)
    }

    pub fn delete(id: Id) -> Call<()> {
        Call::delete(at(paths::TEMPLATE, id))
    }
}

/// What an admin does to an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountCommand {
    Deactivate,
    Reactivate,
}

pub mod accounts {
    use super::*;
    use crate::users::AccountInput;
    use crate::users::{
        Account, AuditAction, AuditPage, HandOver, HandedOver, InvitationInfo, Invited,
        MailboxSettings, MailboxStatus, PasswordChange, Profile, SetPassword, Team, TeamInput,
    };
    use crate::{
        AuthMethods, EmbedSignIn, LoginRequest, MePatch, SessionResponse, StreamTicket, User,
    };

    pub fn sign_in(request: &LoginRequest) -> Call<SessionResponse> {
        Call::with(Method::Post, paths::SESSION.to_owned(), request)
    }

    /// Signs this session out.
    pub fn sign_out() -> Call<()> {
        Call::delete(paths::SESSION.to_owned())
    }

    /// Signs every session of the user out.
    pub fn sign_out_everywhere() -> Call<()> {
        Call::delete(paths::SESSIONS.to_owned())
    }

    /// A session for the user a portal's signed token names (embedding).
    pub fn sign_in_embedded(request: &EmbedSignIn) -> Call<SessionResponse> {
        Call::with(Method::Post, paths::EMBED_SESSION.to_owned(), request)
    }

    /// Who this session is.
    pub fn me() -> Call<User> {
        Call::get(paths::ME.to_owned())
    }

    /// A one-time ticket that opens the live stream.
    pub fn stream_ticket() -> Call<StreamTicket> {
        Call::with(Method::Post, paths::STREAM_TICKETS.to_owned(), &NoFields {})
    }

    pub fn auth_methods() -> Call<AuthMethods> {
        Call::get(paths::AUTH_METHODS.to_owned())
    }

    pub fn change_me(patch: &MePatch) -> Call<User> {
        Call::with(Method::Patch, paths::ME.to_owned(), patch)
    }

    pub fn change_profile(profile: &Profile) -> Call<User> {
        Call::with(Method::Put, paths::MY_PROFILE.to_owned(), profile)
    }

    pub fn change_password(change: &PasswordChange) -> Call<()> {
        Call::with(Method::Put, paths::MY_PASSWORD.to_owned(), change)
    }

    /// The rep's own mailbox for replies, if they set one.
    pub fn my_mailbox() -> Call<Option<MailboxStatus>> {
        Call::get(paths::MY_MAILBOX.to_owned())
    }

    pub fn set_my_mailbox(settings: &MailboxSettings) -> Call<MailboxStatus> {
        Call::with(Method::Put, paths::MY_MAILBOX.to_owned(), settings)
    }

    pub fn remove_my_mailbox() -> Call<()> {
        Call::delete(paths::MY_MAILBOX.to_owned())
    }

    pub fn users() -> Call<Vec<Account>> {
        Call::get(paths::USERS.to_owned())
    }

    /// A new account, with the invitation link that sets its password.
    pub fn invite(account: &AccountInput) -> Call<Invited> {
        Call::with(Method::Post, paths::USERS.to_owned(), account)
    }

    pub fn update(id: Id, account: &AccountInput) -> Call<Account> {
        Call::with(Method::Put, at(paths::USER, id), account)
    }

    pub fn command(id: Id, command: AccountCommand) -> Call<Account> {
        let name = match command {
            AccountCommand::Deactivate => "deactivate",
            AccountCommand::Reactivate => "reactivate",
        };
        let path = at(paths::USER_COMMAND, id).replace("{command}", name);
        Call::with(Method::Post, path, &())
    }

    /// A new invitation link in place of the password.
    pub fn reset_password(id: Id) -> Call<Invited> {
        let path = at(paths::USER_COMMAND, id).replace("{command}", "reset-password");
        Call::with(Method::Post, path, &())
    }

    pub fn hand_over(from: Id, to: &HandOver) -> Call<HandedOver> {
        Call::with(Method::Post, at(paths::USER_HAND_OVER, from), to)
    }

    pub fn teams() -> Call<Vec<Team>> {
        Call::get(paths::TEAMS.to_owned())
    }

    pub fn create_team(team: &TeamInput) -> Call<Team> {
        Call::with(Method::Post, paths::TEAMS.to_owned(), team)
    }

    pub fn rename_team(id: Id, team: &TeamInput) -> Call<Team> {
        Call::with(Method::Put, at(paths::TEAM, id), team)
    }

    pub fn delete_team(id: Id) -> Call<()> {
        Call::delete(at(paths::TEAM, id))
    }

    pub fn invitation(token: &str) -> Call<InvitationInfo> {
        Call::get(paths::INVITATION.replace("{token}", &encode(token)))
    }

    pub fn accept_invitation(token: &str, password: &SetPassword) -> Call<SessionResponse> {
        let path = paths::INVITATION.replace("{token}", &encode(token));
        Call::with(Method::Post, path, password)
    }

    /// The audit log, newest first, before a cursor, of one kind of event.
    pub fn audit(action: Option<AuditAction>, before: Option<&str>) -> Call<AuditPage> {
        let mut pairs = Vec::new();
        if let Some(action) = action {
            pairs.push(("action", action.as_str().to_owned()));
        }
        if let Some(before) = before {
            pairs.push(("before", before.to_owned()));
        }
        Call::get(with_query(paths::AUDIT, &pairs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_in_a_query_are_encoded_and_routes_filled() {
        assert_eq!(encode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
        let call = people::find(" Globex & Co ");
        assert_eq!(call.path, "/people?q=Globex%20%26%20Co");
        assert_eq!(call.method, Method::Get);
        let mut query = TaskListQuery::of(TaskView::Range);
        query.range = Some((
            chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        ));
        query.campaign = Some(7);
        assert_eq!(
            tasks::list(&query).path,
            "/tasks?view=range&sort=due&from=2026-11-01&to=2026-11-30&campaign_id=7"
        );
        let act = tasks::act(3, TaskAction::Complete, &TaskActionRequest::default());
        assert_eq!(
            (act.method, act.path.as_str()),
            (Method::Post, "/tasks/3/complete")
        );
        assert_eq!(
            tasks::counts().viewed_as(Some(9)).path,
            "/tasks/counts?as=9"
        );
        assert_eq!(
            search::saved_results(4, true).viewed_as(Some(2)).path,
            "/saved-searches/4/results?mark_seen=true&as=2"
        );
    }
}
