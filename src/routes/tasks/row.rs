//! One task's row: its main action as a button, the others in its "More actions" menu.

use super::model::TasksModel;
use crate::components::row_menu::{more_actions_label, MenuItem, MENU_ID};
use crate::components::task_labels::{kind_label, priority_label, Snooze};
use crate::i18n::{Locale, Msg};
use crate::state::use_app;
use api::{Task, TaskAction, TaskStatus};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

pub fn task_action_label(action: TaskAction) -> Msg {
    match action {
        TaskAction::Complete => Msg::TaskComplete,
        TaskAction::Skip => Msg::TaskSkip,
        TaskAction::Reopen => Msg::TaskReopen,
        TaskAction::Delete => Msg::ActionDelete,
        TaskAction::Reschedule => Msg::TaskSnooze,
        TaskAction::Restore => Msg::Undo,
    }
}

/// A row's main action: what most often comes next for a task in this status.
fn main_action(status: TaskStatus) -> Option<TaskAction> {
    status
        .offered()
        .find(|a| matches!(a, TaskAction::Complete | TaskAction::Reopen))
}

/// The row's menu: what the status offers besides the main action (api::TaskStatus::offered),
/// snoozing by each preset or a picked time, and editing where deleting is offered.
pub fn menu_items(status: TaskStatus, locale: Locale) -> Vec<MenuItem> {
    let main = main_action(status);
    let mut items = Vec::new();
    for action in status.offered().filter(|a| Some(*a) != main) {
        match action {
            TaskAction::Reschedule => {
                let snooze = |key: &str, when: &str| {
                    let label = locale.t(Msg::SnoozeFor).replace("{when}", when);
                    MenuItem::new(format!("snooze:{key}"), label)
                };
                items.extend(
                    Snooze::ALL
                        .iter()
                        .map(|s| snooze(s.key(), locale.t(s.label()))),
                );
                items.push(snooze("custom", locale.t(Msg::SnoozeCustom)));
            }
            TaskAction::Delete => {
                items.push(MenuItem::new("edit", locale.t(Msg::ActionEdit)));
                items.push(MenuItem::new("delete", locale.t(Msg::ActionDelete)));
            }
            action => items.push(MenuItem::new(
                action.as_str(),
                locale.t(task_action_label(action)),
            )),
        }
    }
    items
}

#[component]
pub fn TaskRow(task: Task, model: TasksModel) -> impl IntoView {
    let state = use_app();
    let router = crate::router::use_router();
    let t = move |msg| state.t(msg);
    let (id, status, due) = (task.id, task.status, task.due_at);
    let selected = model.selected;
    let is_selected = move || selected.with(|s| s.contains(&id));
    let overdue = status == TaskStatus::Open && due.is_some_and(|d| d < chrono::Utc::now());
    let dialogs = model.dialogs;
    let person = match task.person.as_ref() {
        Some(p) => {
            let href = state
                .people_href(&router)
                .map(|people| format!("{people}{}", p.id));
            view! { <a class="cc-person" href=href>{p.name.clone()}</a>" · "{p.company.clone()} }
                .into_any()
        }
        None => "—".into_any(),
    };
    let actions = (!model.read_only).then(|| {
        let main = main_action(status).map(|action| view! {
            <button type="button" class="cc-button cc-small" data-task-action=action.as_str()
                on:click=move |_| model.run(vec![id], action, None)>{move || t(task_action_label(action))}</button>
        });
        let title = task.title.clone();
        let more = move |ev: leptos::ev::MouseEvent| {
            let button = ev.current_target().and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(button) = button {
                model.menu.toggle(id, button, menu_items(status, state.locale.get_untracked()));
            }
        };
        view! {
            <td class="cc-row-actions">
                {main}
                <button type="button" class="cc-button cc-small cc-more" aria-haspopup="menu" aria-expanded="false"
                    aria-controls=MENU_ID aria-label=move || more_actions_label(state.locale.get(), &title)
                    on:click=more>{move || t(Msg::MoreActions)}</button>
            </td>
        }
    });
    view! {
        <tr data-task-id=id.0 class:cc-selected=is_selected class:cc-overdue=overdue>
            {(!model.read_only).then(|| view! {
                <td class="cc-select-col">
                    <input type="checkbox" aria-label=format!("{} {}", state.t(Msg::ColSelect), task.title) prop:checked=is_selected
                        on:change=move |_| crate::selection::toggle_one(selected, id)/>
                </td>
            })}
            <td class="cc-clip cc-task-main">
                <span class="cc-task-title">{task.title.clone()}</span>
                {task.email_id.map(|email_id| view! {
                    <button type="button" class="cc-link-button cc-secondary" on:click=move |_| dialogs.email.set(Some(email_id))>
                        {task.email_subject.clone().unwrap_or_else(|| t(Msg::OpenLinkedEmail).to_owned())}
                    </button>
                })}
            </td>
            <td class="cc-task-kind">{move || t(kind_label(task.kind))}</td>
            <td class="cc-clip cc-task-person">{person}</td>
            <td class="cc-date">{move || due.map(|d| state.locale.get().date_time(d)).unwrap_or_else(|| t(Msg::NoDue).to_owned())}</td>
            <td class="cc-task-priority">{move || t(priority_label(task.priority))}</td>
            {actions}
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::menu_items;
    use crate::i18n::Locale;
    use api::TaskStatus;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn an_open_tasks_menu_holds_what_its_main_action_does_not() {
        let keys = |status| -> Vec<String> {
            menu_items(status, Locale::En)
                .into_iter()
                .map(|i| i.key)
                .collect()
        };
        assert_eq!(
            keys(TaskStatus::Open),
            [
                "skip",
                "snooze:hour",
                "snooze:tomorrow",
                "snooze:next_week",
                "snooze:custom",
                "edit",
                "delete"
            ]
        );
        assert_eq!(keys(TaskStatus::Completed), ["edit", "delete"]);
        let japanese = menu_items(TaskStatus::Open, Locale::Ja);
        assert_eq!(japanese[1].label, "スヌーズ: 1時間後");
    }
}
