//! One condition's place in the query being built: what each field component reads and edits,
//! and how its controls are named.

use super::{list, list_mut, tidy, Group};
use crate::i18n::Msg;
use crate::state::AppState;
use api::search::{Condition, SearchQuery};
use api::CampaignRef;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Place {
    pub query: RwSignal<SearchQuery>,
    pub group: Group,
    pub index: usize,
    pub campaigns: Signal<Vec<CampaignRef>>,
    pub state: AppState,
}

impl Place {
    /// The condition here (tracked), if it is still there.
    pub fn current(self) -> Option<Condition> {
        self.query
            .with(|q| list(q, self.group).get(self.index).cloned())
    }

    pub fn set(self, condition: Condition) {
        self.query.update(|q| {
            if let Some(slot) = list_mut(q, self.group).get_mut(self.index) {
                *slot = condition;
            }
        })
    }

    /// Changes the condition here; the field components match their own kind in `change`.
    pub fn edit(self, change: impl FnOnce(&mut Condition)) {
        if let Some(mut condition) = self
            .query
            .with_untracked(|q| list(q, self.group).get(self.index).cloned())
        {
            change(&mut condition);
            self.set(condition);
        }
    }

    pub fn remove(self) {
        self.query.update(|q| {
            let conditions = list_mut(q, self.group);
            if self.index < conditions.len() {
                conditions.remove(self.index);
            }
            tidy(q);
        })
    }

    pub fn t(self, msg: Msg) -> &'static str {
        self.state.t(msg)
    }

    /// "condition 2 (all)": every control's name ends with it, so no two are named alike.
    pub fn position(self) -> String {
        let group = match self.group {
            Group::All => Msg::ConditionInAll,
            Group::Any => Msg::ConditionInAny,
        };
        self.t(group).replace("{n}", &(self.index + 1).to_string())
    }

    /// A control's name: "Engagement, condition 2 (all)".
    pub fn named(self, msg: Msg) -> String {
        format!("{}, {}", self.t(msg), self.position())
    }

    /// The id of the condition's type picker, which also names its group.
    pub fn id(self) -> String {
        let group = match self.group {
            Group::All => "all",
            Group::Any => "any",
        };
        format!("cc-cond-{group}-{}", self.index)
    }
}

/// Checks or unchecks one value in a condition's list of them.
pub fn toggle<T: PartialEq>(list: &mut Vec<T>, value: T, on: bool) {
    let present = list.contains(&value);
    if on && !present {
        list.push(value);
    } else if !on && present {
        list.retain(|v| *v != value);
    }
}
