//! Actions on the selected emails: sent in small batches with a progress bar, then a result
//! that names each email that was not done and why.

use crate::components::actions::{action_label, run_bulk};
use crate::i18n::Msg;
use crate::live::use_live;
use crate::state::use_app;
use api::{BulkResult, EmailAction, EmailState, Folder, Id};
use leptos::prelude::*;
use std::collections::HashSet;

/// Emails per request: small enough for the progress bar to move.
const BATCH: usize = 25;

#[derive(Clone, Debug, PartialEq)]
struct Progress {
    done: usize,
    total: usize,
    failures: Vec<BulkResult>,
    finished: bool,
}

/// The selected emails an action applies to.
fn applying(states: &[(Id, EmailState)], action: EmailAction) -> Vec<Id> {
    states
        .iter()
        .filter(|(_, email)| action.check(email).is_ok())
        .map(|(id, _)| *id)
        .collect()
}

#[component]
pub fn BulkBar(
    folder: Memo<Folder>,
    selected: RwSignal<HashSet<Id>>,
    /// The selected emails, with what decides their actions.
    states: Signal<Vec<(Id, EmailState)>>,
) -> impl IntoView {
    let state = use_app();
    let live = use_live();
    let progress = RwSignal::new(None::<Progress>);
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
        let mut ids = states.with_untracked(|states| applying(states, action));
        ids.sort_unstable();
        let total = ids.len();
        progress.set(Some(Progress {
            done: 0,
            total,
            failures: Vec::new(),
            finished: false,
        }));
        error.set(None);
        let api = state.api();
        leptos::task::spawn_local(async move {
            for batch in ids.chunks(BATCH) {
                match run_bulk(&api, batch.to_vec(), action).await {
                    Ok(response) => progress.update(|p| {
                        if let Some(p) = p {
                            p.done += batch.len();
                            p.failures
                                .extend(response.results.into_iter().filter(|r| !r.ok));
                        }
                    }),
                    Err(e) => {
                        error.set(Some(e.message(state.locale.get_untracked())));
                        break;
                    }
                }
            }
            progress.update(|p| {
                if let Some(p) = p {
                    p.finished = true;
                    let failed: HashSet<Id> = p.failures.iter().map(|f| f.id).collect();
                    // What was done leaves the selection; what was not stays, to try again.
                    selected.update(|s| s.retain(|id| failed.contains(id)));
                }
            });
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
                {move || progress.get().map(|p| view! {
                    <div class="cc-progress">
                        <progress max=p.total value=p.done aria-label=t(Msg::BulkProgress).replace("{done}", &p.done.to_string()).replace("{total}", &p.total.to_string())></progress>
                        <span role="status">{if p.finished {
                            t(Msg::BulkDone).replace("{ok}", &(p.done - p.failures.len()).to_string()).replace("{failed}", &(p.failures.len() + p.total - p.done).to_string())
                        } else {
                            t(Msg::BulkProgress).replace("{done}", &p.done.to_string()).replace("{total}", &p.total.to_string())
                        }}</span>
                        <ul class="cc-bulk-failures">
                            {p.failures.iter().map(|f| view! {
                                <li>{t(Msg::BulkFailedItem).replace("{id}", &f.id.to_string()).replace("{reason}", f.error.as_deref().unwrap_or(""))}</li>
                            }).collect_view()}
                        </ul>
                    </div>
                })}
                <p class="cc-error" role="alert" hidden=move || error.with(Option::is_none)>{move || error.get()}</p>
            </div>
        </Show>
    }
}
