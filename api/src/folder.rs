//! Folders are views of an email's status: an email lands in its folder automatically.

use crate::wire::wire_enum;
use std::fmt;

wire_enum!(
    /// The lifecycle status of an email, as stored and as sent on the wire.
    pub enum EmailStatus {
        Draft = "draft",
        Scheduled = "scheduled",
        InProgress = "in_progress",
        Delivered = "delivered",
        Archived = "archived",
        Failed = "failed",
        Bounced = "bounced",
        Spam = "spam",
    }
);

impl EmailStatus {
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

/// The date a folder shows for its emails: when they were sent, are due, failed, or last changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FolderDate {
    SentAt,
    ScheduledAt,
    FailedAt,
    UpdatedAt,
}

wire_enum!(
    /// A sub tab of the outbox, declared (and so in `ALL`) in tab order: Sent, then Pending,
    /// then Undelivered.
    pub enum Folder {
        Delivered = "delivered",
        Archived = "archived",
        Scheduled = "scheduled",
        Drafts = "drafts",
        InProgress = "in_progress",
        Failed = "failed",
        Bounced = "bounced",
        Spam = "spam",
    }
);

impl Folder {
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

wire_enum!(
    /// How an email leaves: the product's own delivery server (`msc`) or the rep's mailbox.
    pub enum Channel {
        Msc = "msc",
        Gmail = "gmail",
        Exchange = "exchange",
    }
);

impl Channel {
    /// Bounces and spam reports reach us only through our own delivery server.
    pub fn detects_bounces(self) -> bool {
        self == Channel::Msc
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
