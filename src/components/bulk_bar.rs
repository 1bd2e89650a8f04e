//! Actions on the selected emails: sent in small batches with a progress bar, then a result
//! that names each email that was not done and why.

use crate::components::actions::{action_label, run_bulk};
use crate::components::bulk_run::{in_batches, outcome, BulkProgress, Progress};
use crate::i18n::Msg;
use crate::live::use_live;
use crate::state::use_app;
use api::{EmailAction, EmailId, EmailState, Folder};
use leptos::prelude::*;
use std::collections::HashSet;

/// The selected emails an action applies to.
fn applying(states: &[(EmailId, EmailState)], action: EmailAction) -> Vec<EmailId> {
    states
        .iter()
        .filter(|(_, email)| action.check(email).is_ok())
        .map(|(id, _)| *id)
        .collect()
}

#[component]
pub fn BulkBar(
    folder: Memo<Folder>,
    selected: RwSignal<HashSet<EmailId>>,
    /// The selected emails, with what decides their actions.
    states: Signal<Vec<(EmailId, EmailState)>>,
) -> impl IntoView {
    let state = use_app();
    let live = use_live();
    let progress = RwSignal::new(None::<Progress<EmailId>>);
    let error = RwSignal::new(None::<String>);
    // The folder's actions that apply to at least one selected email, with how many they apply
    // to. Rescheduling needs a time per email: it is a row action, not a bulk one.
    let bulk_actions = move || -> Vec<(EmailAction, usize)> {
        states.with(|states| {
            folder
                .get()
                .status()
                .quick_actions()
                .iter()
                .copied()
                .filter(|a| *a != EmailAction::Reschedule)
                .map(|a| (a, applying(states, a).len()))
                .filter(|(_, n)| *n > 0)
                .collect()
        })
    };
    let start = move |action: EmailAction| {
        if action == EmailAction::Delete
            && !window()
                .confirm_with_message(state.t(Msg::ConfirmDelete))
                .unwrap_or(false)
        {
            return;
        }
        let ids = states.with_untracked(|states| applying(states, action));
        error.set(None);
        let api = state.api();
        leptos::task::spawn_local(async move {
            let send = |batch| {
                let api = api.clone();
                async move {
                    let response = run_bulk(&api, batch, action).await?;
                    Ok(response
                        .results
                        .into_iter()
                        .map(|r| outcome(r.id, r.ok, r.error))
                        .collect())
                }
            };
            let (_, stopped) = in_batches(ids, progress, send).await;
            if let Some(e) = stopped {
                error.set(Some(e.message(state.locale.get_untracked())));
            }
            // What was done leaves the selection; what was not stays, to try again.
            let failed: HashSet<EmailId> = progress
                .with_untracked(|p| p.iter().flat_map(|p| &p.failures).map(|f| f.id).collect());
            selected.update(|s| s.retain(|id| failed.contains(id)));
            live.emails.update(|n| *n += 1);
        });
    };
    let t = move |msg| state.t(msg);
    view! {
        <Show when=move || !selected.with(HashSet::is_empty) || progress.with(Option::is_some)>
            <div class="cc-bulk-bar" role="region" aria-label=move || t(Msg::SelectedCount).replace("{n}", &selected.with(HashSet::len).to_string())>
                <span>{move || t(Msg::SelectedCount).replace("{n}", &selected.with(HashSet::len).to_string())}</span>
                {move || bulk_actions().into_iter().map(|(action, n)| {
                    let total = selected.with(HashSet::len);
                    // "Archive 12 of 15": said before running when it does not apply to all.
                    let label = move || if n < total {
                        t(Msg::BulkActionSome)
                            .replace("{action}", t(action_label(action)))
                            .replace("{n}", &n.to_string())
                            .replace("{total}", &total.to_string())
                    } else {
                        t(action_label(action)).to_owned()
                    };
                    view! {
                        <button type="button" class="cc-button cc-small" data-bulk-action=action.as_str()
                            disabled=move || selected.with(HashSet::is_empty) || progress.with(|p| p.as_ref().is_some_and(|p| !p.finished))
                            on:click=move |_| start(action)>
                            {label}
                        </button>
                    }
                }).collect_view()}
                <button type="button" class="cc-link-button" on:click=move |_| { selected.set(HashSet::new()); progress.set(None); }>
                    {move || t(Msg::ClearSelection)}
                </button>
                <BulkProgress progress=progress/>
                <p class="cc-error" role="alert" hidden=move || error.with(Option::is_none)>{move || error.get()}</p>
            </div>
        </Show>
    }
}
