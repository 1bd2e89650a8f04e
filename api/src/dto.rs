//! Request and response bodies of `/api/v1`. Timestamps are UTC, RFC 3339 on the wire.

use crate::folder::{Channel, EmailStatus, Folder, FolderDate, PrimaryTab};
use crate::ids::{CampaignId, EmailId, PersonId, TeamId, TemplateId, UserId};
use crate::wire::wire_enum;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub type Id = i64;
pub type Timestamp = DateTime<Utc>;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

wire_enum!(
    pub enum Role {
        /// Works their own emails, tasks, people and campaigns.
        Rep = "rep",
        /// A rep who may also view (read-only) the data of their team's members.
        Manager = "manager",
        /// Administers users and teams, and may view everyone's data.
        Admin = "admin",
    }
);

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// IANA time zone, e.g. `Asia/Tokyo`: the rep's day boundaries follow it.
    pub time_zone: String,
    /// `ja` or `en`.
    pub locale: String,
    /// The rep's default for new emails: count opens (a view pixel) and clicks (links that
    /// pass through the server). Either off, that email shows no views or no clicks.
    #[serde(default = "yes")]
    pub track_opens: bool,
    #[serde(default = "yes")]
    pub track_links: bool,
    /// The team the user belongs to, if any.
    #[serde(default)]
    pub team_id: Option<TeamId>,
}

fn yes() -> bool {
    true
}

/// `PATCH /me`: the rep's own defaults that may change.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MePatch {
    #[serde(default)]
    pub track_opens: Option<bool>,
    #[serde(default)]
    pub track_links: Option<bool>,
}

/// `GET /auth/methods`: how users sign in on this server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuthMethods {
    /// With an email and password (`POST /session`).
    pub password: bool,
    /// Through the organisation's OpenID provider (`POST /auth/oidc/start`).
    pub oidc: bool,
}

/// `POST /auth/oidc/start`: a single sign-on begun by one tab of the app. `tab_key` is a random
/// secret the tab keeps to itself (in its session storage); only a tab that holds it can turn the
/// sign-in's one-time code into a session, so a hand-off link made by someone else does nothing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SsoStart {
    /// A path of the app to land on afterwards (`/tasks/today`); anything else lands on `/`.
    #[serde(default)]
    pub return_to: Option<String>,
    pub tab_key: String,
}

/// Where to send the browser: the provider's sign-in page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SsoRedirect {
    pub url: String,
}

/// `POST /auth/oidc/session`: the one-time code the provider's callback handed to the app, with
/// the key of the tab that started the sign-in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SsoExchange {
    pub code: String,
    pub tab_key: String,
}

/// What a tab's key for single sign-on looks like: 32 to 128 URL-safe characters.
pub fn is_sso_tab_key(key: &str) -> bool {
    (32..=128).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// `POST /session/embed`: a portal's signed token for its user.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmbedSignIn {
    pub token: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionResponse {
    pub token: String,
    pub user: User,
}

/// How many emails each folder holds, field names as the folders' wire names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FolderCounts {
    pub delivered: u64,
    pub archived: u64,
    pub scheduled: u64,
    pub drafts: u64,
    pub in_progress: u64,
    pub failed: u64,
    pub bounced: u64,
    pub spam: u64,
}

impl FolderCounts {
    pub fn get(&self, folder: Folder) -> u64 {
        match folder {
            Folder::Delivered => self.delivered,
            Folder::Archived => self.archived,
            Folder::Scheduled => self.scheduled,
            Folder::Drafts => self.drafts,
            Folder::InProgress => self.in_progress,
            Folder::Failed => self.failed,
            Folder::Bounced => self.bounced,
            Folder::Spam => self.spam,
        }
    }

    pub fn get_mut(&mut self, folder: Folder) -> &mut u64 {
        match folder {
            Folder::Delivered => &mut self.delivered,
            Folder::Archived => &mut self.archived,
            Folder::Scheduled => &mut self.scheduled,
            Folder::Drafts => &mut self.drafts,
            Folder::InProgress => &mut self.in_progress,
            Folder::Failed => &mut self.failed,
            Folder::Bounced => &mut self.bounced,
            Folder::Spam => &mut self.spam,
        }
    }

    /// The count a primary tab shows: the sum of its sub tabs.
    pub fn tab_total(&self, tab: PrimaryTab) -> u64 {
        tab.folders().iter().map(|folder| self.get(*folder)).sum()
    }
}

/// A person's name as shown: Japanese names read family name first.
pub fn full_name(first: &str, last: &str) -> String {
    let japanese = |s: &str| s.chars().any(|c| ('\u{3040}'..='\u{9fff}').contains(&c));
    if japanese(first) || japanese(last) {
        format!("{last} {first}")
    } else {
        format!("{first} {last}")
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonRef {
    pub id: PersonId,
    pub name: String,
    pub email: String,
    pub company: String,
    /// They unsubscribed from the rep's emails.
    #[serde(default)]
    pub opted_out: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CampaignRef {
    pub id: CampaignId,
    pub name: String,
}

/// A campaign: a sequence of steps the rep's people enrolled in it move through
/// (`api::sequence`), with where they stand counted (`GET /campaigns`). Emails sent as part of
/// it carry it, and the search's campaign filter reads those.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Campaign {
    pub id: CampaignId,
    pub name: String,
    pub people: u64,
    pub emails: u64,
    pub steps: u64,
    pub active: u64,
    pub paused: u64,
    /// Finished for any reason, replies and bounces included.
    pub finished: u64,
    pub replied: u64,
    pub bounced: u64,
    /// When the rep paused the whole campaign; `None`: running.
    #[serde(default)]
    pub paused_at: Option<Timestamp>,
}

/// `POST /campaigns`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NewCampaign {
    pub name: String,
}

/// `POST /campaigns/{id}/people`: people to add (those already in it stay once).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CampaignPeople {
    pub person_ids: Vec<PersonId>,
}

/// One row of a folder's list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmailSummary {
    pub id: EmailId,
    pub person: PersonRef,
    pub campaign: Option<CampaignRef>,
    pub subject: String,
    pub status: EmailStatus,
    pub channel: Channel,
    #[cfg_attr(
        target_arch = "wasm32",
        serde(deserialize_with = "crate::wire_time::timestamp")
    )]
    pub created_at: Timestamp,
    #[cfg_attr(
        target_arch = "wasm32",
        serde(deserialize_with = "crate::wire_time::timestamp")
    )]
    pub updated_at: Timestamp,
    #[cfg_attr(
        target_arch = "wasm32",
        serde(default, deserialize_with = "crate::wire_time::optional_timestamp")
    )]
    pub scheduled_at: Option<Timestamp>,
    #[cfg_attr(
        target_arch = "wasm32",
        serde(default, deserialize_with = "crate::wire_time::optional_timestamp")
    )]
    pub sent_at: Option<Timestamp>,
    #[cfg_attr(
        target_arch = "wasm32",
        serde(default, deserialize_with = "crate::wire_time::optional_timestamp")
    )]
    pub failed_at: Option<Timestamp>,
    pub failure_reason: Option<String>,
    pub views: u32,
    pub clicks: u32,
    pub replies: u32,
    #[cfg_attr(
        target_arch = "wasm32",
        serde(default, deserialize_with = "crate::wire_time::optional_timestamp")
    )]
    pub last_activity_at: Option<Timestamp>,
    /// The rep marked it a success.
    #[serde(default)]
    pub marked_success: bool,
    /// Made from a step of a campaign's sequence: while scheduled, "Skip this step" moves its
    /// person on.
    #[serde(default)]
    pub campaign_step: bool,
}

impl EmailSummary {
    /// The date a folder lists and sorts by: when it was sent, is due, failed or was last edited.
    pub fn folder_date(&self) -> Timestamp {
        let date = match self.status.folder_date() {
            FolderDate::SentAt => self.sent_at,
            FolderDate::ScheduledAt => self.scheduled_at,
            FolderDate::FailedAt => self.failed_at,
            FolderDate::UpdatedAt => None,
        };
        date.unwrap_or(self.updated_at)
    }

    /// Whether this email comes after `other` in `folder`'s list (by the folder's date, then id:
    /// newest first, or soonest first where the folder lists oldest first), as the server pages it.
    pub fn listed_after(&self, other: &EmailSummary, folder: Folder) -> bool {
        let (this, that) = (
            (self.folder_date(), self.id),
            (other.folder_date(), other.id),
        );
        if folder.lists_oldest_first() {
            this > that
        } else {
            this < that
        }
    }
}

wire_enum!(
    pub enum EventKind {
        View = "view",
        Click = "click",
        Reply = "reply",
        Bounce = "bounce",
        Spam = "spam",
    }
);

/// One entry of an email's engagement timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EngagementEvent {
    pub kind: EventKind,
    /// The link clicked, for `click` events.
    pub url: Option<String>,
    /// A reply's first words (from the watched mailbox), a bounce's diagnostic.
    #[serde(default)]
    pub detail: Option<String>,
    #[cfg_attr(
        target_arch = "wasm32",
        serde(deserialize_with = "crate::wire_time::timestamp")
    )]
    pub occurred_at: Timestamp,
}

/// An email with its body and engagement timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmailDetail {
    #[serde(flatten)]
    pub summary: EmailSummary,
    /// Sanitized HTML; show it in a sandboxed frame, never as inner HTML of the app.
    pub body_html: String,
    pub message_id: Option<String>,
    pub events: Vec<EngagementEvent>,
    /// Whether the subject and body are the rep's text (with merge fields) or what was sent.
    #[serde(default)]
    pub text_is: TextIs,
    /// For an email not sent yet whose text has merge fields: what its person will get.
    #[serde(default)]
    pub preview: Option<MergePreview>,
}

wire_enum!(
    /// What an email's subject and body hold.
    #[derive(Default)]
    pub enum TextIs {
        /// The rep's text, merge fields unfilled: the email has not gone out.
        #[default]
        Template = "template",
        /// The text its person got, merge fields filled.
        AsSent = "as_sent",
        /// Sent before the product kept what was sent, with a merge field it cannot fill now.
        AsWritten = "as_written",
    }
);

/// An unsent email's text filled in for its person, or the merge fields that would stay empty.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MergePreview {
    pub subject: String,
    /// Sanitized HTML, as `EmailDetail::body_html`.
    pub body_html: String,
    /// Fields its person has no value for (`{{company}}`); when any, the text above is unfilled.
    pub unfilled: Vec<String>,
}

/// `POST /emails`: a draft (`draft: true`), scheduled (`send_at`), or sent now (neither).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NewEmail {
    pub person_id: PersonId,
    pub subject: String,
    /// HTML; sanitized by the server.
    pub body: String,
    #[serde(default)]
    pub send_at: Option<Timestamp>,
    #[serde(default)]
    pub draft: bool,
    /// A rep has one draft: saving another replaces it only when this says so.
    #[serde(default)]
    pub replace_draft: bool,
    #[serde(default)]
    pub campaign_id: Option<CampaignId>,
    /// The rep's template it was written from, so that the template's sends are counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_id: Option<TemplateId>,
    /// Count this email's opens / clicks; by default as the rep's settings say when it is sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub track_opens: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub track_links: Option<bool>,
}

/// `PATCH /emails/{id}` of a draft or scheduled email: the fields given change.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EmailPatch {
    #[serde(default)]
    pub person_id: Option<PersonId>,
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub send_at: Option<Timestamp>,
}

/// The body of `POST /emails/{id}/{action}`; `send_at` is for `reschedule`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ActionRequest {
    #[serde(default)]
    pub send_at: Option<Timestamp>,
}

/// `POST /emails/bulk`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BulkRequest {
    pub ids: Vec<EmailId>,
    pub action: crate::EmailAction,
    #[serde(default)]
    pub send_at: Option<Timestamp>,
}

/// One email's result in a bulk action: its new status, or why it was refused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BulkResult {
    pub id: EmailId,
    pub ok: bool,
    #[serde(default)]
    pub status: Option<EmailStatus>,
    #[serde(default)]
    pub error: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BulkResponse {
    pub results: Vec<BulkResult>,
}

wire_enum!(
    pub enum DeliveryEventKind {
        Bounce = "bounce",
        Spam = "spam",
        Reply = "reply",
    }
);

/// `POST /webhooks/delivery`, signed with HMAC-SHA256 of the body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeliveryEvent {
    pub message_id: String,
    pub event: DeliveryEventKind,
    #[serde(default)]
    pub reason: Option<String>,
}

/// A short-lived, single-use ticket for `GET /stream` (EventSource cannot send headers).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StreamTicket {
    pub ticket: String,
}

/// What `GET /stream` sends: something of the rep's changed, re-read it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub topic: ChangeTopic,
    #[serde(default)]
    pub ids: Vec<Id>,
}

wire_enum!(
    pub enum ChangeTopic {
        Emails = "emails",
        Tasks = "tasks",
    }
);

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub id: PersonId,
    pub first_name: String,
    pub last_name: String,
    pub name: String,
    pub email: String,
    pub company: String,
    pub title: String,
    pub phone: String,
    pub linkedin_url: String,
    /// They unsubscribed from the rep's emails: nothing more can be sent to them.
    #[serde(default)]
    pub opted_out: bool,
    /// The rep marked them do-not-contact (and can take that back): nothing is sent to them
    /// either.
    #[serde(default)]
    pub do_not_contact: bool,
}

impl Person {
    pub fn merge_values(&self) -> crate::merge::MergeValues {
        crate::merge::MergeValues {
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            company: self.company.clone(),
            title: self.title.clone(),
        }
    }
}

/// A delivered email ranked by its engagement in a recent window (`GET /emails/most-engaged`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EngagedEmail {
    pub email: EmailSummary,
    pub views: u32,
    pub clicks: u32,
    pub replies: u32,
}

/// A page of a cursor-paginated list; pass `next_cursor` back as `cursor` for the next page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// An error body, `application/problem+json` (RFC 9457).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The request field at fault, where there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email(id: Id, status: EmailStatus, at_ms: i64) -> EmailSummary {
        let at = DateTime::from_timestamp_millis(at_ms).unwrap();
        EmailSummary {
            id: EmailId(id),
            person: PersonRef {
                id: PersonId(1),
                name: "Aiko".into(),
                email: "aiko@example.com".into(),
                company: "ACME".into(),
                opted_out: false,
            },
            campaign: None,
            subject: "Hi".into(),
            status,
            channel: Channel::Msc,
            created_at: at,
            updated_at: at,
            scheduled_at: Some(at),
            sent_at: Some(at),
            failed_at: Some(at),
            failure_reason: None,
            campaign_step: false,
            views: 0,
            clicks: 0,
            replies: 0,
            last_activity_at: None,
            marked_success: false,
        }
    }

    #[test]
    fn lists_run_newest_first_but_scheduled_runs_soonest_first() {
        let (earlier, later) = (1_000, 2_000);
        let delivered = |id, at| email(id, EmailStatus::Delivered, at);
        assert!(delivered(1, earlier).listed_after(&delivered(2, later), Folder::Delivered));
        assert!(!delivered(2, later).listed_after(&delivered(1, earlier), Folder::Delivered));
        // The same moment: the lower id comes after, as the server's cursor pages them.
        assert!(delivered(1, later).listed_after(&delivered(2, later), Folder::Delivered));
        let scheduled = |id, at| email(id, EmailStatus::Scheduled, at);
        assert!(scheduled(2, later).listed_after(&scheduled(1, earlier), Folder::Scheduled));
        assert!(!scheduled(1, earlier).listed_after(&scheduled(2, later), Folder::Scheduled));
    }

    #[test]
    fn japanese_names_read_family_name_first() {
        assert_eq!(full_name("愛子", "佐藤"), "佐藤 愛子");
        assert_eq!(full_name("Ben", "Carter"), "Ben Carter");
    }

    #[test]
    fn counts_serialize_with_the_folder_wire_names() {
        let mut counts = FolderCounts::default();
        for (n, folder) in Folder::ALL.into_iter().enumerate() {
            *counts.get_mut(folder) = n as u64 + 1;
        }
        let json = serde_json::to_value(counts).unwrap();
        for (n, folder) in Folder::ALL.into_iter().enumerate() {
            assert_eq!(json[folder.as_str()], n as u64 + 1, "{folder}");
        }
        assert_eq!(counts.tab_total(PrimaryTab::Pending), 3 + 4 + 5);
    }
}
