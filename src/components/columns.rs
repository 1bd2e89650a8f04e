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

    /// How wide the column is: the email table's layout is fixed, so the header's width rules.
    pub fn width(self) -> Width {
        match self {
            Column::Campaign => Width::Percent(10),
            Column::Date => Width::Tenths(120),
            Column::Views | Column::Clicks => Width::Tenths(45),
            Column::Replied => Width::Tenths(55),
            Column::LastActivity => Width::Tenths(85),
            Column::Reason => Width::Percent(16),
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

/// A column's width in the email table: a share of the table, tenths of a spacing unit, or what
/// the others leave.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Width {
    Percent(u32),
    Tenths(u32),
    Rest,
}

impl Width {
    /// The CSS length (integers written out: no float formatting in the download).
    pub fn css(self) -> String {
        match self {
            Width::Percent(percent) => format!("{percent}%"),
            Width::Tenths(tenths) => {
                format!("calc({}.{} * var(--cc-unit))", tenths / 10, tenths % 10)
            }
            Width::Rest => "auto".into(),
        }
    }
}

/// The width under which the email table scrolls sideways rather than squeeze the subject (the
/// one column without a width of its own, given what the others leave) below `subject` tenths
/// of a unit: the columns in units plus that, over what the shares leave of the table.
pub fn table_min_width(widths: impl IntoIterator<Item = Width>, subject: u32) -> Width {
    let (mut tenths, mut percent) = (subject, 0);
    for width in widths {
        match width {
            Width::Percent(p) => percent += p,
            Width::Tenths(t) => tenths += t,
            Width::Rest => {}
        }
    }
    let left = 100u32.saturating_sub(percent).max(1);
    Width::Tenths((tenths * 100).div_ceil(left))
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn widths_are_css_lengths() {
        assert_eq!(Width::Percent(13).css(), "13%");
        assert_eq!(Width::Tenths(45).css(), "calc(4.5 * var(--cc-unit))");
        assert_eq!(Width::Rest.css(), "auto");
    }

    #[test]
    fn the_table_is_as_wide_as_its_columns_leave_the_subject_its_minimum() {
        // 50 units of columns, 20% in shares, an 8-unit subject: 58 units are 80% of 72.5.
        let widths = [Width::Tenths(300), Width::Percent(20), Width::Tenths(200)];
        assert_eq!(table_min_width(widths, 80), Width::Tenths(725));
        // Rounded up, never down: the subject keeps at least its minimum.
        assert_eq!(
            table_min_width([Width::Percent(30)], 80),
            Width::Tenths(115)
        );
        assert_eq!(table_min_width([], 80), Width::Tenths(80));
    }
}
