//! Who an email or a task is for: a combobox over the rep's people, or the fixed recipient of an
//! email being edited.

use crate::components::combobox::{Combobox, Suggestion};
use crate::i18n::Msg;
use crate::state::use_app;
use api::PersonRef;
use leptos::prelude::*;

/// People suggested in a picker.
const SUGGESTED: u64 = 8;

/// The recipient: a search over the rep's people (a combobox), or the fixed recipient of an
/// email being edited.
#[component]
pub fn RecipientPicker(
    person: RwSignal<Option<PersonRef>>,
    locked: bool,
    #[prop(default = Msg::Recipient)] label: Msg,
    /// The search field's id: unique on the page.
    #[prop(default = "cc-recipient-search")]
    id: &'static str,
) -> impl IntoView {
    let state = use_app();
    let query = RwSignal::new(String::new());
    let found = LocalResource::new(move || {
        let q = query.get();
        let api = state.api();
        async move {
            if q.trim().is_empty() {
                return Vec::new();
            }
            let page = api.call(api::endpoints::people::find(&q, SUGGESTED)).await;
            page.map(|page| page.items).unwrap_or_default()
        }
    });
    let found = Memo::new(move |_| found.get().unwrap_or_default());
    // Those who cannot be emailed say so before they are chosen.
    let suggestions = Signal::derive(move || {
        found.with(|people| {
            people
                .iter()
                .map(|p| {
                    let badge = match (p.opted_out, p.do_not_contact) {
                        (true, _) => format!(" — {}", state.t(Msg::Unsubscribed)),
                        (false, true) => format!(" — {}", state.t(Msg::DoNotContact)),
                        _ => String::new(),
                    };
                    Suggestion {
                        key: p.id.to_string(),
                        label: format!("{} <{}> · {}{badge}", p.name, p.email, p.company),
                    }
                })
                .collect::<Vec<_>>()
        })
    });
    let pick = move |key: String| {
        let chosen = found.with_untracked(|people| {
            people
                .iter()
                .find(|p| p.id.to_string() == key)
                .map(|p| PersonRef {
                    id: p.id,
                    name: p.name.clone(),
                    email: p.email.clone(),
                    company: p.company.clone(),
                    opted_out: p.opted_out || p.do_not_contact,
                })
        });
        if let Some(chosen) = chosen {
            person.set(Some(chosen));
            query.set(String::new());
        }
    };
    let chosen = move || {
        person.get().map(|p| {
            let badge = if p.opted_out {
                format!(" — {}", state.t(Msg::Unsubscribed))
            } else {
                String::new()
            };
            format!("{} <{}> · {}{badge}", p.name, p.email, p.company)
        })
    };
    let label_id = format!("{id}-label");
    view! {
        <div class="cc-field">
            <span id=label_id.clone()>{move || state.t(label)}</span>
            <p class="cc-recipient" aria-labelledby=label_id>{chosen}</p>
            <Show when=move || !locked>
                <Combobox id=id label=Signal::derive(move || state.t(Msg::RecipientSearch).to_owned())
                    placeholder=Signal::derive(move || state.t(Msg::RecipientSearch).to_owned())
                    query=query suggestions=suggestions on_pick=pick/>
            </Show>
        </div>
    }
}
