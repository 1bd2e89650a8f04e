//! Tasks: the rep's to-dos (email, call, LinkedIn, custom), bucketed by when they are due in the
//! rep's own time zone.

use crate::dto::{CampaignRef, Timestamp};
use crate::ids::{CampaignId, EmailId, PersonId, TaskId};
use crate::wire::wire_enum;
use serde::{Deserialize, Serialize};

wire_enum!(
    /// What kind of work a task is; it decides the action at hand (call: the number, ...).
    pub enum TaskKind {
        Email = "email",
        Call = "call",
        Linkedin = "linkedin",
        Custom = "custom",
    }
);
wire_enum!(
    pub enum Priority {
        Normal = "normal",
        High = "high",
    }
);
wire_enum!(
    pub enum TaskStatus {
        Open = "open",
        Completed = "completed",
        Skipped = "skipped",
    }
);
wire_enum!(
    /// The task list's views by due date. Open tasks only, but `Done`.
    pub enum TaskView {
        Overdue = "overdue",
        Today = "today",
        Tomorrow = "tomorrow",
        Next7 = "next7",
        Range = "range",
        NoDate = "nodate",
        Done = "done",
    }
);
wire_enum!(
    /// `POST /tasks/{id}/{action}`, or in bulk. `reopen` and `restore` undo complete/skip and delete.
    pub enum TaskAction {
        Complete = "complete",
        Skip = "skip",
        Reschedule = "reschedule",
        Reopen = "reopen",
        Delete = "delete",
        Restore = "restore",
    }
);

impl TaskAction {
    /// Whether this action applies to a task in `status`, deleted or not: the one rule the
    /// server checks and the task rows, bulk bar and "work through" mode offer by.
    pub fn applies(self, status: TaskStatus, deleted: bool) -> bool {
        match self {
            TaskAction::Complete | TaskAction::Skip | TaskAction::Reschedule => {
                !deleted && status == TaskStatus::Open
            }
            TaskAction::Reopen => !deleted && status != TaskStatus::Open,
            TaskAction::Delete => !deleted,
            TaskAction::Restore => deleted,
        }
    }
}

impl TaskStatus {
    /// The actions a row of a task in this status offers, in the order it shows them (edit
    /// aside, which any task offers).
    pub fn offered(self) -> impl Iterator<Item = TaskAction> {
        [
            TaskAction::Complete,
            TaskAction::Skip,
            TaskAction::Reschedule,
            TaskAction::Reopen,
            TaskAction::Delete,
        ]
        .into_iter()
        .filter(move |action| action.applies(self, false))
    }
}

/// The person a task is about, with what it takes to reach them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskPerson {
    pub id: PersonId,
    pub name: String,
    pub email: String,
    pub company: String,
    pub phone: String,
    pub linkedin_url: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Task {
    pub id: TaskId,
    pub title: String,
    pub kind: TaskKind,
    pub priority: Priority,
    pub status: TaskStatus,
    #[cfg_attr(
        target_arch = "wasm32",
        serde(default, deserialize_with = "crate::wire_time::optional_timestamp")
    )]
    pub due_at: Option<Timestamp>,
    pub notes: String,
    pub person: Option<TaskPerson>,
    /// The email this task follows up, if any.
    pub email_id: Option<EmailId>,
    pub email_subject: Option<String>,
    pub campaign: Option<CampaignRef>,
    #[cfg_attr(
        target_arch = "wasm32",
        serde(deserialize_with = "crate::wire_time::timestamp")
    )]
    pub created_at: Timestamp,
    #[cfg_attr(
        target_arch = "wasm32",
        serde(default, deserialize_with = "crate::wire_time::optional_timestamp")
    )]
    pub completed_at: Option<Timestamp>,
}

/// `POST /tasks`. `kind` and `priority` are names checked by the server (422 naming the field).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NewTask {
    pub title: String,
    pub kind: String,
    #[serde(default)]
    pub priority: Option<String>,
    #[serde(default)]
    pub due_at: Option<Timestamp>,
    #[serde(default)]
    pub person_id: Option<PersonId>,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub email_id: Option<EmailId>,
    #[serde(default)]
    pub campaign_id: Option<CampaignId>,
}

/// `PATCH /tasks/{id}`: the fields given change; `clear_due` removes the due date.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskPatch {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub priority: Option<String>,
    #[serde(default)]
    pub due_at: Option<Timestamp>,
    #[serde(default)]
    pub clear_due: bool,
    #[serde(default)]
    pub person_id: Option<PersonId>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskActionRequest {
    /// For `reschedule`.
    #[serde(default)]
    pub due_at: Option<Timestamp>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskBulkRequest {
    pub ids: Vec<TaskId>,
    pub action: TaskAction,
    #[serde(default)]
    pub due_at: Option<Timestamp>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskBulkResult {
    pub id: TaskId,
    pub ok: bool,
    #[serde(default)]
    pub error: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskBulkResponse {
    pub results: Vec<TaskBulkResult>,
}

/// Open tasks per view (and done ones), as the view tabs show them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskCounts {
    pub overdue: u64,
    pub today: u64,
    pub tomorrow: u64,
    pub next7: u64,
    pub nodate: u64,
    pub done: u64,
}

impl TaskCounts {
    pub fn get(&self, view: TaskView) -> Option<u64> {
        Some(match view {
            TaskView::Overdue => self.overdue,
            TaskView::Today => self.today,
            TaskView::Tomorrow => self.tomorrow,
            TaskView::Next7 => self.next7,
            TaskView::NoDate => self.nodate,
            TaskView::Done => self.done,
            TaskView::Range => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_round_trip() {
        for kind in TaskKind::ALL {
            assert_eq!(kind.as_str().parse::<TaskKind>(), Ok(kind));
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
        for view in TaskView::ALL {
            assert_eq!(view.as_str().parse::<TaskView>(), Ok(view));
        }
        assert!("meeting".parse::<TaskKind>().is_err());
        assert_eq!(TaskAction::Reopen.as_str(), "reopen");
    }
}
