//! Actions on the chosen tasks, and the undo offered after one.

use super::filters::SnoozeSelect;
use super::model::TasksModel;
use super::row::task_action_label;
use crate::components::bulk_run::BulkProgress;
use crate::i18n::Msg;
use crate::state::use_app;
use api::TaskAction;
use leptos::prelude::*;
use std::collections::HashSet;

#[component]
pub fn TaskBulkBar(model: TasksModel) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let (selected, progress) = (model.selected, model.progress);
    let count =
        move || t(Msg::SelectedCount).replace("{n}", &selected.with(HashSet::len).to_string());
    // A button shown when its action applies to a chosen task: "Complete 3 of 5" when it does
    // not apply to all of them.
    let button = move |action: TaskAction| {
        let label = move || {
            let (n, total) = (model.applying(action).len(), selected.with(HashSet::len));
            let name = t(task_action_label(action));
            if n < total {
                t(Msg::BulkActionSome)
                    .replace("{action}", name)
                    .replace("{n}", &n.to_string())
                    .replace("{total}", &total.to_string())
            } else {
                name.to_owned()
            }
        };
        view! {
            <button type="button" class="cc-button cc-small" data-bulk-action=action.as_str()
                on:click=move |_| model.run(model.applying(action), action, None)>{label}</button>
        }
    };
    let offers = move |action: TaskAction| !model.applying(action).is_empty();
    view! {
        <Show when=move || !selected.with(HashSet::is_empty) || progress.with(Option::is_some)>
            <div class="cc-bulk-bar" role="region" aria-label=count>
                <span>{count}</span>
                <Show when=move || offers(TaskAction::Complete)>
                    {button(TaskAction::Complete)}
                    {button(TaskAction::Skip)}
                    <SnoozeSelect on_pick=move |choice: String| model.snooze(model.applying(TaskAction::Reschedule), &choice)/>
                </Show>
                <Show when=move || offers(TaskAction::Reopen)>{button(TaskAction::Reopen)}</Show>
                {button(TaskAction::Delete)}
                <button type="button" class="cc-link-button" on:click=move |_| { selected.set(HashSet::new()); progress.set(None); }>
                    {move || t(Msg::ClearSelection)}
                </button>
                <BulkProgress progress=progress/>
            </div>
        </Show>
    }
}

#[component]
pub fn UndoNote(model: TasksModel) -> impl IntoView {
    let state = use_app();
    move || {
        model.undo.get().map(|undo| view! {
            <div class="cc-undo" role="status">
                <span>{undo.message}</span>
                <button type="button" class="cc-button cc-small" on:click=move |_| model.undo_now()>{state.t(Msg::Undo)}</button>
            </div>
        })
    }
}
