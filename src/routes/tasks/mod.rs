//! The task list: views by due date (each at its own URL), filters, actions on one task or many
//! with undo, "work through my tasks", and keyboard shortcuts (`?`).
//!
//! The page owns a model (`model.rs`); its parts each draw one concern of it.

mod bulk;
mod dialogs;
mod filters;
mod model;
mod row;
mod run;

use crate::components::error_banner::ErrorBanner;
use crate::components::folder_tabs::focus_by_id;
use crate::components::row_menu::RowMenu;
use crate::components::task_form::TaskFormMode;
use crate::components::task_labels::view_label;
use crate::i18n::Msg;
use crate::state::use_app;
use api::{TaskAction, TaskId};
use bulk::{TaskBulkBar, UndoNote};
use dialogs::TaskDialogs;
use filters::{OverdueNote, TaskFilters, TaskTabs, FILTER_ID};
use leptos::prelude::*;
use model::TasksModel;
use row::TaskRow;

#[component]
pub fn TasksPage() -> impl IntoView {
    let state = use_app();
    let model = TasksModel::new();
    let (dialogs, read_only) = (model.dialogs, model.read_only);
    list_shortcuts(model);
    let t = move |msg| state.t(msg);
    let visible = Memo::new(move |_| model.visible());
    let visible_ids = move || visible.with(|v| v.iter().map(|t| t.id).collect::<Vec<TaskId>>());
    let all_selected = move || crate::selection::all_selected(model.selected, &visible_ids());
    let toggle_all = move |_| crate::selection::toggle_all(model.selected, visible_ids());
    // A row's menu item: (task, what). Editing needs the task as loaded.
    let on_pick = move |(id, key): (TaskId, String)| match key.as_str() {
        "edit" => {
            let task = model
                .loaded
                .with_untracked(|l| l.tasks.iter().find(|t| t.id == id).cloned());
            if let Some(task) = task {
                dialogs.form.set(Some(TaskFormMode::Edit(Box::new(task))));
            }
        }
        key => match key.strip_prefix("snooze:") {
            Some(choice) => model.snooze(vec![id], choice),
            None => {
                if let Ok(action) = key.parse::<TaskAction>() {
                    model.run(vec![id], action, None);
                }
            }
        },
    };

    view! {
        <section class="cc-page cc-tasks">
            <div class="cc-outbox-bar">
                <h1 class="cc-page-title">{move || t(Msg::TasksTitle)}</h1>
                <button type="button" class="cc-button" aria-keyshortcuts="?" on:click=move |_| dialogs.help.set(true)>{move || t(Msg::Shortcuts)}</button>
                // Another's tasks (view as) are for reading.
                {(!read_only).then(|| view! {
                    <button type="button" class="cc-button" aria-keyshortcuts="w" aria-haspopup="dialog"
                        on:click=move |_| dialogs.working.set(true)>{move || t(Msg::WorkThrough)}</button>
                    <button type="button" class="cc-button cc-button-primary" aria-keyshortcuts="n" aria-haspopup="dialog"
                        on:click=move |_| model.new_task()>{move || t(Msg::NewTask)}</button>
                })}
            </div>
            <TaskTabs model=model/>
            <div role="tabpanel" id="cc-task-panel" aria-labelledby=move || format!("cc-task-tab-{}", model.view.get().as_str())>
                <OverdueNote model=model/>
                <TaskFilters model=model/>
                {move || model.load_error().map(|e| view! { <ErrorBanner error=e on_retry=move |_| model.reload()/> })}
                {move || model.action_error.get().map(|e| view! { <ErrorBanner error=e on_retry=move |_| model.action_error.set(None)/> })}
                <UndoNote model=model/>
                <TaskBulkBar model=model/>
                <div class="cc-table-scroll">
                    <table class="cc-table cc-task-table">
                        <caption class="cc-visually-hidden">{move || t(view_label(model.view.get()))}</caption>
                        <thead>
                            <tr>
                                {(!read_only).then(|| view! {
                                    <th scope="col" class="cc-select-col">
                                        <input type="checkbox" aria-label=move || t(Msg::SelectAll) prop:checked=all_selected on:change=toggle_all/>
                                    </th>
                                })}
                                <th scope="col" class="cc-task-main">{move || t(Msg::TaskTitle)}</th>
                                <th scope="col" class="cc-task-kind">{move || t(Msg::TaskType)}</th>
                                <th scope="col">{move || t(Msg::TaskPerson)}</th>
                                <th scope="col">{move || t(Msg::TaskDue)}</th>
                                <th scope="col" class="cc-task-priority">{move || t(Msg::TaskPriority)}</th>
                                {(!read_only).then(|| view! { <th scope="col" class="cc-actions-col">{move || t(Msg::ColActions)}</th> })}
                            </tr>
                        </thead>
                        <tbody>
                            <For each=move || visible.get() key=|task| (task.id, task.status, task.due_at, task.title.clone(), task.priority) let(task)>
                                <TaskRow task=task model=model/>
                            </For>
                        </tbody>
                    </table>
                </div>
                <RowMenu menu=model.menu on_pick=on_pick/>
                <div class="cc-table-footer">
                    {move || if model.loading() && model.loaded.with(|l| l.tasks.is_empty()) {
                        view! { <p class="cc-status" role="status">{t(Msg::Loading)}</p> }.into_any()
                    } else if visible.with(Vec::is_empty) {
                        view! { <p class="cc-empty">{t(Msg::NoTasks)}</p> }.into_any()
                    } else {
                        ().into_any()
                    }}
                </div>
            </div>
            <TaskDialogs model=model/>
        </section>
    }
}

/// The list's keys: `?` shortcuts, `n` new task, `w` work through, `/` the filter. Typing in a
/// field, or a dialog being open, leaves keys alone.
fn list_shortcuts(model: TasksModel) {
    let dialogs = model.dialogs;
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        let typing = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        if typing || dialogs.any_open() || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        match ev.key().as_str() {
            "?" => dialogs.help.set(true),
            "n" if !model.read_only => model.new_task(),
            "w" if !model.read_only => dialogs.working.set(true),
            "/" => focus_by_id(FILTER_ID),
            _ => return,
        }
        ev.prevent_default();
    });
    on_cleanup(move || handle.remove());
}
