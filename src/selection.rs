//! The checkbox selection shared by the outbox, the task list and search results.

use api::Id;
use leptos::prelude::*;
use std::collections::HashSet;

/// Whether every one of `visible` (and at least one) is selected.
pub fn all_selected(selected: RwSignal<HashSet<Id>>, visible: &[Id]) -> bool {
    !visible.is_empty() && selected.with(|s| visible.iter().all(|id| s.contains(id)))
}

/// The header checkbox: selects all of `visible`, or clears them when all already are.
pub fn toggle_all(selected: RwSignal<HashSet<Id>>, visible: Vec<Id>) {
    if all_selected(selected, &visible) {
        selected.update(|s| s.retain(|id| !visible.contains(id)));
    } else {
        selected.update(|s| s.extend(visible));
    }
}

/// A row's checkbox.
pub fn toggle_one(selected: RwSignal<HashSet<Id>>, id: Id) {
    selected.update(|s| {
        if !s.remove(&id) {
            s.insert(id);
        }
    });
}
