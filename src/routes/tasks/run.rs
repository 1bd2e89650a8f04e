//! Actions on tasks, one or many, through the one bulk runner; then the undo offered for what
//! can be undone (complete and skip reopen, delete restores).

use super::model::TasksModel;
use crate::components::bulk_run::{in_batches, outcome};
use crate::i18n::Msg;
use api::endpoints;
use api::{TaskAction, TaskBulkRequest, TaskId, Timestamp};
use leptos::prelude::*;

const UNDO_SECONDS: u64 = 8;

#[derive(Clone, Debug, PartialEq)]
pub struct Undo {
    pub ids: Vec<TaskId>,
    /// What undoes it: reopen (complete, skip) or restore (delete).
    pub action: TaskAction,
    pub message: String,
    /// When it was offered: the same words offered again are another offer.
    pub offered_at: f64,
}

impl TasksModel {
    /// Runs `action` on `ids`; a progress bar shows for many, and stays when some failed.
    pub fn run(self, ids: Vec<TaskId>, action: TaskAction, due_at: Option<Timestamp>) {
        if ids.is_empty() {
            return;
        }
        let (state, live) = (self.app, self.live);
        let api = state.api();
        let progress = self.progress;
        leptos::task::spawn_local(async move {
            let send = |ids| {
                let api = api.clone();
                async move {
                    let request = TaskBulkRequest {
                        ids,
                        action,
                        due_at,
                    };
                    let response = api.call(endpoints::tasks::bulk(&request)).await?;
                    Ok(response
                        .results
                        .into_iter()
                        .map(|r| outcome(r.id, r.ok, r.error))
                        .collect())
                }
            };
            let (done, stopped) = in_batches(ids, progress, send).await;
            self.action_error.set(stopped);
            if progress.with_untracked(|p| p.as_ref().is_some_and(|p| p.failures.is_empty())) {
                progress.set(None);
            }
            let undo_with = match action {
                TaskAction::Complete => Some((TaskAction::Reopen, Msg::UndoCompleted)),
                TaskAction::Skip => Some((TaskAction::Reopen, Msg::UndoSkipped)),
                TaskAction::Delete => Some((TaskAction::Restore, Msg::UndoDeleted)),
                _ => None,
            };
            if let (Some((undo_action, msg)), false) = (undo_with, done.is_empty()) {
                self.offer_undo(Undo {
                    ids: done.clone(),
                    action: undo_action,
                    message: state.t(msg).replace("{n}", &done.len().to_string()),
                    offered_at: js_sys::Date::now(),
                });
            }
            self.selected.update(|s| s.retain(|id| !done.contains(id)));
            live.tasks.update(|n| *n += 1);
        });
    }

    /// Offers `undo` for a few seconds, until something else replaces it.
    fn offer_undo(self, undo: Undo) {
        self.undo.set(Some(undo.clone()));
        set_timeout(
            move || {
                self.undo.update(|shown| {
                    if shown.as_ref() == Some(&undo) {
                        *shown = None
                    }
                })
            },
            std::time::Duration::from_secs(UNDO_SECONDS),
        );
    }

    /// Undoes the last action offered (reopening and restoring offer no undo of their own).
    pub fn undo_now(self) {
        if let Some(undo) = self.undo.get_untracked() {
            self.undo.set(None);
            self.run(undo.ids, undo.action, None);
        }
    }
}
