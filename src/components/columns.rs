//! The optional columns of a folder's table: which exist, which the rep shows, remembered per
//! folder in local storage.

use crate::i18n::Msg;
use api::{Folder, FolderDate};
use std::collections::HashSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    Campaign,
    Date,
    Views,
    Clicks,
    Replied,
    LastActivity,
    Reason,
}

impl Column {
    pub const ALL: [Column; 7] = [
        Column::Campaign,
        Column::Date,
        Column::Views,
        Column::Clicks,
        Column::Replied,
        Column::LastActivity,
        Column::Reason,
    ];

    /// The column's name in storage and in the table's markup (`data-col`).
    pub fn key(self) -> &'static str {
        match self {
            Column::Campaign => "campaign",
            Column::Date => "date",
            Column::Views => "views",
            Column::Clicks => "clicks",
            Column::Replied => "replied",
            Column::LastActivity => "last_activity",
            Column::Reason => "reason",
        }
    }

    pub fn label(self, folder: Folder) -> Msg {
        match self {
            Column::Campaign => Msg::ColCampaign,
            Column::Date => match folder.status().folder_date() {
                FolderDate::SentAt => Msg::ColSent,
                FolderDate::ScheduledAt => Msg::ColScheduled,
                FolderDate::FailedAt => Msg::ColFailed,
                FolderDate::UpdatedAt => Msg::ColEdited,
            },
            Column::Views => Msg::ColViews,
            Column::Clicks => Msg::ColClicks,
            Column::Replied => Msg::ColReplied,
            Column::LastActivity => Msg::ColLastActivity,
            Column::Reason => Msg::ColReason,
        }
    }

    pub fn numeric(self) -> bool {
        matches!(self, Column::Views | Column::Clicks)
    }

    /// Whether the column means anything in the folder (a reason only where emails failed,
    /// engagement only where they were sent).
    pub fn applies_to(self, folder: Folder) -> bool {
        match self {
            Column::Reason => matches!(folder, Folder::Failed | Folder::Bounced),
            Column::Views | Column::Clicks | Column::Replied | Column::LastActivity => {
                matches!(
                    folder,
                    Folder::Delivered | Folder::Archived | Folder::Bounced | Folder::Spam
                )
            }
            Column::Campaign | Column::Date => true,
        }
    }
}

fn storage_key(folder: Folder) -> String {
    format!("cc.columns.hidden.{folder}")
}

/// The columns the rep hid in a folder.
pub fn load_hidden(folder: Folder) -> HashSet<Column> {
    let stored = leptos::prelude::window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(&storage_key(folder)).ok().flatten())
        .unwrap_or_default();
    stored
        .split(',')
        .filter_map(|key| Column::ALL.into_iter().find(|c| c.key() == key))
        .collect()
}

pub fn save_hidden(folder: Folder, hidden: &HashSet<Column>) {
    let keys: Vec<&str> = Column::ALL
        .iter()
        .filter(|c| hidden.contains(c))
        .map(|c| c.key())
        .collect();
    if let Some(storage) = leptos::prelude::window().local_storage().ok().flatten() {
        let _ = storage.set_item(&storage_key(folder), &keys.join(","));
    }
}
