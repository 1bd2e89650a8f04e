//! The checkbox selection shared by the outbox, the task list and search results.

use leptos::prelude::*;
use std::collections::HashSet;
use std::hash::Hash;

/// What can be selected: a row's id (`EmailId`, `TaskId`, `PersonId`).
pub trait RowId: Copy + Eq + Hash + Send + Sync + 'static {}
impl<T: Copy + Eq + Hash + Send + Sync + 'static> RowId for T {}

/// Whether every one of `visible` (and at least one) is selected.
pub fn all_selected<Id: RowId>(selected: RwSignal<HashSet<Id>>, visible: &[Id]) -> bool {
    !visible.is_empty() && selected.with(|s| visible.iter().all(|id| s.contains(id)))
}

/// The header checkbox: selects all of `visible`, or clears them when all already are.
pub fn toggle_all<Id: RowId>(selected: RwSignal<HashSet<Id>>, visible: Vec<Id>) {
    if all_selected(selected, &visible) {
        selected.update(|s| s.retain(|id| !visible.contains(id)));
    } else {
        selected.update(|s| s.extend(visible));
    }
}

/// A row's checkbox.
pub fn toggle_one<Id: RowId>(selected: RwSignal<HashSet<Id>>, id: Id) {
    selected.update(|s| {
        if !s.remove(&id) {
            s.insert(id);
        }
    });
}
