//! What a click or a change in the table's body does. One listener for every row's buttons and
//! checkbox, instead of a handful per row created and dropped as rows scroll by: the row says
//! which email, the control says what to do (open it, its main action, its "More" menu, tick it).

use super::loader::FolderRows;
use crate::api_client::ApiError;
use crate::components::actions::{self, action_label, RowAction};
use crate::components::email_rows::email_state;
use crate::components::row_menu::{MenuItem, RowMenuState};
use crate::i18n::Msg;
use crate::live::Live;
use crate::state::AppState;
use api::{EmailAction, EmailId};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Made while the table is made: contexts are read then, not in an event handler.
#[derive(Clone, Copy)]
pub struct RowEvents {
    pub state: AppState,
    pub live: Live,
    pub loader: FolderRows,
    pub rep_has_draft: Signal<bool>,
    pub on_open: Callback<EmailId>,
    pub on_edit: Callback<EmailId>,
    /// What the last action did, for the status line.
    pub notice: RwSignal<Option<String>>,
    pub action_error: RwSignal<Option<ApiError>>,
    /// The table's one "More actions" menu.
    pub menu: RowMenuState<EmailId>,
}

/// The email of the row a control is in.
fn row_email(control: &web_sys::Element) -> Option<EmailId> {
    control
        .closest("tr[data-email-id]")
        .ok()
        .flatten()
        .and_then(|row| row.get_attribute("data-email-id"))
        .and_then(|id| id.parse::<EmailId>().ok())
}

impl RowEvents {
    pub fn click(self, ev: &leptos::ev::MouseEvent) {
        let button = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("button").ok().flatten());
        let Some((button, id)) = button.and_then(|b| row_email(&b).map(|id| (b, id))) else {
            return;
        };
        if button.has_attribute("data-open") {
            self.on_open.run(id);
        } else if button.has_attribute("data-more") {
            self.open_menu(id, button);
        } else if let Some(action) = button
            .get_attribute("data-row-action")
            .and_then(|key| RowAction::from_key(&key))
        {
            self.run(id, action);
        }
    }

    pub fn change(self, ev: &leptos::ev::Event) {
        let checkbox = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .filter(|el| el.has_attribute("data-select"));
        if let Some(id) = checkbox.and_then(|c| row_email(&c)) {
            crate::selection::toggle_one(self.loader.selected, id);
        }
    }

    /// An item of a row's "More actions" menu.
    pub fn pick(self, (id, key): (EmailId, String)) {
        if let Some(action) = RowAction::from_key(&key) {
            self.run(id, action);
        }
    }

    /// The menu holds what the row offers after its main action.
    fn open_menu(self, id: EmailId, button: web_sys::Element) {
        let state = self.state;
        let more = self.loader.rows.with_untracked(|rows| {
            let email = rows.iter().find(|e| e.id == id)?;
            let offered =
                RowAction::offered(&email_state(email, self.rep_has_draft.get_untracked()));
            Some(
                offered
                    .into_iter()
                    .skip(1)
                    .map(|action| MenuItem::new(action.key(), state.t(action.label())))
                    .collect(),
            )
        });
        if let (Some(items), Ok(button)) = (more, button.dyn_into::<web_sys::HtmlElement>()) {
            self.menu.toggle(id, button, items);
        }
    }

    fn run(self, id: EmailId, action: RowAction) {
        match action {
            RowAction::Edit => self.on_edit.run(id),
            RowAction::Act(action) => self.act(id, action),
        }
    }

    fn act(self, id: EmailId, action: EmailAction) {
        let state = self.state;
        if action == EmailAction::Reschedule {
            self.on_edit.run(id);
            return;
        }
        if action == EmailAction::Delete
            && !window()
                .confirm_with_message(state.t(Msg::ConfirmDelete))
                .unwrap_or(false)
        {
            return;
        }
        let api = state.api();
        let live = self.live;
        let (notice, action_error) = (self.notice, self.action_error);
        action_error.set(None);
        leptos::task::spawn_local(async move {
            match actions::run(&api, id, action, None).await {
                Ok(()) => {
                    notice.try_set(Some(
                        state
                            .t(Msg::ActionDone)
                            .replace("{action}", state.t(action_label(action))),
                    ));
                }
                Err(error) => {
                    action_error.try_set(Some(error));
                }
            }
            live.emails.update(|n| *n += 1);
        });
    }
}
