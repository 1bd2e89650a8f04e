//! Folders are views of an email's status: an email lands in its folder automatically.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The lifecycle status of an email, as stored and as sent on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmailStatus {
    Draft,
    Scheduled,
    InProgress,
    Delivered,
    Archived,
    Failed,
    Bounced,
    Spam,
}

impl EmailStatus {
    pub const ALL: [EmailStatus; 8] = [
        EmailStatus::Draft,
        EmailStatus::Scheduled,
        EmailStatus::InProgress,
        EmailStatus::Delivered,
        EmailStatus::Archived,
        EmailStatus::Failed,
        EmailStatus::Bounced,
        EmailStatus::Spam,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EmailStatus::Draft => "draft",
            EmailStatus::Scheduled => "scheduled",
            EmailStatus::InProgress => "in_progress",
            EmailStatus::Delivered => "delivered",
            EmailStatus::Archived => "archived",
            EmailStatus::Failed => "failed",
            EmailStatus::Bounced => "bounced",
            EmailStatus::Spam => "spam",
        }
    }

    /// The one Japanese word for the status: the server's messages, the search's description of
    /// a query and the app's folder tabs all say it so.
    pub fn ja(self) -> &'static str {
        match self {
            EmailStatus::Draft => "下書き",
            EmailStatus::Scheduled => "予約済み",
            EmailStatus::InProgress => "処理中",
            EmailStatus::Delivered => "配信済み",
            EmailStatus::Archived => "アーカイブ済み",
            EmailStatus::Failed => "送信失敗",
            EmailStatus::Bounced => "バウンス",
            EmailStatus::Spam => "迷惑メール報告",
        }
    }

    /// Which of an email's dates its folder lists and sorts by.
    pub fn folder_date(self) -> FolderDate {
        match self {
            EmailStatus::Delivered
            | EmailStatus::Archived
            | EmailStatus::Bounced
            | EmailStatus::Spam => FolderDate::SentAt,
            EmailStatus::Scheduled => FolderDate::ScheduledAt,
            EmailStatus::Failed => FolderDate::FailedAt,
            EmailStatus::Draft | EmailStatus::InProgress => FolderDate::UpdatedAt,
        }
    }

    /// The folder an email with this status is shown in.
    pub fn folder(self) -> Folder {
        match self {
            EmailStatus::Draft => Folder::Drafts,
            EmailStatus::Scheduled => Folder::Scheduled,
            EmailStatus::InProgress => Folder::InProgress,
            EmailStatus::Delivered => Folder::Delivered,
            EmailStatus::Archived => Folder::Archived,
            EmailStatus::Failed => Folder::Failed,
            EmailStatus::Bounced => Folder::Bounced,
            EmailStatus::Spam => Folder::Spam,
        }
    }
}

impl FromStr for EmailStatus {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EmailStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| UnknownName(s.to_owned()))
    }
}

/// The date a folder shows for its emails: when they were sent, are due, failed, or last changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FolderDate {
    SentAt,
    ScheduledAt,
    FailedAt,
    UpdatedAt,
}

/// A sub tab of the outbox. Wire names: delivered, archived, scheduled, drafts, in_progress,
/// failed, bounced, spam.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Folder {
    Delivered,
    Archived,
    Scheduled,
    Drafts,
    InProgress,
    Failed,
    Bounced,
    Spam,
}

impl Folder {
    /// In tab order: Sent, then Pending, then Undelivered.
    pub const ALL: [Folder; 8] = [
        Folder::Delivered,
        Folder::Archived,
        Folder::Scheduled,
        Folder::Drafts,
        Folder::InProgress,
        Folder::Failed,
        Folder::Bounced,
        Folder::Spam,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Folder::Delivered => "delivered",
            Folder::Archived => "archived",
            Folder::Scheduled => "scheduled",
            Folder::Drafts => "drafts",
            Folder::InProgress => "in_progress",
            Folder::Failed => "failed",
            Folder::Bounced => "bounced",
            Folder::Spam => "spam",
        }
    }

    /// The one status whose emails this folder shows.
    pub fn status(self) -> EmailStatus {
        match self {
            Folder::Delivered => EmailStatus::Delivered,
            Folder::Archived => EmailStatus::Archived,
            Folder::Scheduled => EmailStatus::Scheduled,
            Folder::Drafts => EmailStatus::Draft,
            Folder::InProgress => EmailStatus::InProgress,
            Folder::Failed => EmailStatus::Failed,
            Folder::Bounced => EmailStatus::Bounced,
            Folder::Spam => EmailStatus::Spam,
        }
    }

    pub fn primary(self) -> PrimaryTab {
        match self {
            Folder::Delivered | Folder::Archived => PrimaryTab::Sent,
            Folder::Scheduled | Folder::Drafts | Folder::InProgress => PrimaryTab::Pending,
            Folder::Failed | Folder::Bounced | Folder::Spam => PrimaryTab::Undelivered,
        }
    }

    /// Scheduled emails are listed soonest first (what goes out next); every other folder
    /// newest first.
    pub fn lists_oldest_first(self) -> bool {
        self == Folder::Scheduled
    }

    /// Bounced and Spam are only known for emails sent through the product's own server.
    pub fn needs_msc_channel(self) -> bool {
        matches!(self, Folder::Bounced | Folder::Spam)
    }
}

impl FromStr for Folder {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Folder::ALL
            .into_iter()
            .find(|folder| folder.as_str() == s)
            .ok_or_else(|| UnknownName(s.to_owned()))
    }
}

impl fmt::Display for Folder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The primary tabs of the outbox, each grouping sub tabs (folders).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PrimaryTab {
    Sent,
    Pending,
    Undelivered,
}

impl PrimaryTab {
    pub const ALL: [PrimaryTab; 3] = [
        PrimaryTab::Sent,
        PrimaryTab::Pending,
        PrimaryTab::Undelivered,
    ];

    pub fn folders(self) -> &'static [Folder] {
        match self {
            PrimaryTab::Sent => &[Folder::Delivered, Folder::Archived],
            PrimaryTab::Pending => &[Folder::Scheduled, Folder::Drafts, Folder::InProgress],
            PrimaryTab::Undelivered => &[Folder::Failed, Folder::Bounced, Folder::Spam],
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PrimaryTab::Sent => "sent",
            PrimaryTab::Pending => "pending",
            PrimaryTab::Undelivered => "undelivered",
        }
    }
}

/// How an email leaves: the product's own delivery server (`msc`) or the rep's mailbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Msc,
    Gmail,
    Exchange,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::Msc, Channel::Gmail, Channel::Exchange];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Msc => "msc",
            Channel::Gmail => "gmail",
            Channel::Exchange => "exchange",
        }
    }

    /// Bounces and spam reports reach us only through our own delivery server.
    pub fn detects_bounces(self) -> bool {
        self == Channel::Msc
    }
}

impl FromStr for Channel {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Channel::ALL
            .into_iter()
            .find(|channel| channel.as_str() == s)
            .ok_or_else(|| UnknownName(s.to_owned()))
    }
}

/// A name that is not one of an enum's wire names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownName(pub String);

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown name `{}`", self.0)
    }
}

impl std::error::Error for UnknownName {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_folder_round_trips_through_its_wire_name() {
        for folder in Folder::ALL {
            assert_eq!(folder.as_str().parse::<Folder>(), Ok(folder));
            let json = serde_json::to_string(&folder).unwrap();
            assert_eq!(json, format!("\"{}\"", folder.as_str()));
        }
        assert!("draft".parse::<Folder>().is_err());
    }

    #[test]
    fn each_status_has_exactly_one_folder_and_back() {
        for status in EmailStatus::ALL {
            assert_eq!(status.folder().status(), status);
            assert_eq!(status.as_str().parse::<EmailStatus>(), Ok(status));
        }
    }

    #[test]
    fn primary_tabs_partition_the_folders_in_tab_order() {
        let flattened: Vec<Folder> = PrimaryTab::ALL
            .iter()
            .flat_map(|tab| tab.folders().iter().copied())
            .collect();
        assert_eq!(flattened, Folder::ALL.to_vec());
        for folder in Folder::ALL {
            assert!(folder.primary().folders().contains(&folder));
        }
    }

    #[test]
    fn only_msc_detects_bounces() {
        assert!(Channel::Msc.detects_bounces());
        assert!(!Channel::Gmail.detects_bounces());
        assert!(!Channel::Exchange.detects_bounces());
    }
}
