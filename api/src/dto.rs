//! Request and response bodies of `/api/v1`. Timestamps are UTC, RFC 3339 on the wire.

use crate::folder::{Channel, EmailStatus, Folder, FolderDate, PrimaryTab};
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Rep,
    Admin,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: Id,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// IANA time zone, e.g. `Asia/Tokyo`: the rep's day boundaries follow it.
    pub time_zone: String,
    /// `ja` or `en`.
    pub locale: String,
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonRef {
    pub id: Id,
    pub name: String,
    pub email: String,
    pub company: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CampaignRef {
    pub id: Id,
    pub name: String,
}

/// One row of a folder's list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmailSummary {
    pub id: Id,
    pub person: PersonRef,
    pub campaign: Option<CampaignRef>,
    pub subject: String,
    pub status: EmailStatus,
    pub channel: Channel,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub scheduled_at: Option<Timestamp>,
    pub sent_at: Option<Timestamp>,
    pub failed_at: Option<Timestamp>,
    pub failure_reason: Option<String>,
    pub views: u32,
    pub clicks: u32,
    pub replies: u32,
    pub last_activity_at: Option<Timestamp>,
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
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    View,
    Click,
    Reply,
    Bounce,
    Spam,
}

/// One entry of an email's engagement timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EngagementEvent {
    pub kind: EventKind,
    /// The link clicked, for `click` events.
    pub url: Option<String>,
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
