//! "Work through my tasks": one open task at a time, with the right action at hand, driven from
//! the keyboard: c complete, s skip, z snooze to tomorrow 9:00, n / → next, p / ← previous.

use crate::components::modal::Modal;
use crate::components::task_labels::{kind_label, priority_label, Snooze};
use crate::i18n::Msg;
use crate::state::use_app;
use api::{EmailId, Task, TaskAction, TaskId, TaskKind, Timestamp};
use leptos::prelude::*;

#[component]
pub fn WorkThrough(
    /// The open tasks of the current view, in list order.
    tasks: Signal<Vec<Task>>,
    #[prop(into)] on_action: Callback<(Vec<TaskId>, TaskAction, Option<Timestamp>)>,
    /// Write the email of an email task (the task itself).
    #[prop(into)]
    on_compose: Callback<Task>,
    #[prop(into)] on_open_email: Callback<EmailId>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let state = use_app();
    let index = RwSignal::new(0usize);
    // A handled task leaves the list; the same index is then the next task.
    let current = Memo::new(move |_| {
        tasks.with(|list| {
            list.get(index.get().min(list.len().saturating_sub(1)))
                .cloned()
        })
    });
    let len = move || tasks.with(Vec::len);
    let step = move |delta: isize| {
        let n = len();
        if n > 0 {
            index.update(|i| *i = ((*i as isize + delta).rem_euclid(n as isize)) as usize);
        }
    };
    let act = move |action: TaskAction, due: Option<Timestamp>| {
        if let Some(task) = current.get_untracked() {
            on_action.run((vec![task.id], action, due));
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let handled = match ev.key().as_str() {
            "c" => {
                act(TaskAction::Complete, None);
                true
            }
            "s" => {
                act(TaskAction::Skip, None);
                true
            }
            "z" => {
                act(
                    TaskAction::Reschedule,
                    Some(Snooze::Tomorrow9.until(chrono::Utc::now())),
                );
                true
            }
            "n" | "ArrowRight" => {
                step(1);
                true
            }
            "p" | "ArrowLeft" => {
                step(-1);
                true
            }
            _ => false,
        };
        if handled {
            ev.prevent_default();
        }
    };
    let t = move |msg| state.t(msg);
    let title = Signal::derive(move || t(Msg::WorkThrough).to_owned());
    view! {
        <Modal id="cc-work-through" title=title on_close=on_close>
            <div class="cc-work" tabindex="0" on:keydown=on_keydown autofocus>
                {move || match current.get() {
                    None => view! { <p class="cc-empty" role="status">{t(Msg::WorkDone)}</p> }.into_any(),
                    Some(task) => {
                        let position = index.get().min(len().saturating_sub(1)) + 1;
                        let progress = t(Msg::WorkProgress).replace("{n}", &position.to_string()).replace("{total}", &len().to_string());
                        let due = task.due_at.map(|at| state.locale.get().date_time(at)).unwrap_or_else(|| t(Msg::NoDue).to_owned());
                        let person = task.person.clone();
                        let at_hand = match (task.kind, &person) {
                            (TaskKind::Call, Some(p)) if !p.phone.is_empty() => {
                                let label = t(Msg::CallNumber).replace("{phone}", &p.phone);
                                view! { <a class="cc-button cc-button-primary" href=format!("tel:{}", p.phone)>{label}</a> }.into_any()
                            }
                            (TaskKind::Linkedin, Some(p)) if p.linkedin_url.starts_with("https://") => view! {
                                <a class="cc-button cc-button-primary" href=p.linkedin_url.clone() target="_blank" rel="noopener noreferrer">{t(Msg::OpenLinkedin)}</a>
                            }.into_any(),
                            (TaskKind::Email, Some(_)) => {
                                let task = task.clone();
                                view! { <button type="button" class="cc-button cc-button-primary" on:click=move |_| on_compose.run(task.clone())>{t(Msg::ComposeEmail)}</button> }.into_any()
                            }
                            _ => ().into_any(),
                        };
                        view! {
                            <p class="cc-status" role="status">{progress}</p>
                            <h3 class="cc-work-title">{task.title.clone()}</h3>
                            <dl class="cc-headers">
                                <dt>{t(Msg::TaskType)}</dt><dd>{t(kind_label(task.kind))}</dd>
                                <dt>{t(Msg::TaskDue)}</dt><dd>{due}</dd>
                                <dt>{t(Msg::TaskPriority)}</dt><dd>{t(priority_label(task.priority))}</dd>
                                <dt>{t(Msg::TaskPerson)}</dt>
                                <dd>{person.as_ref().map(|p| format!("{} · {} · {}", p.name, p.company, p.email)).unwrap_or_else(|| "—".into())}</dd>
                                {(!task.notes.is_empty()).then(|| view! { <dt>{t(Msg::TaskNotes)}</dt><dd class="cc-notes">{task.notes.clone()}</dd> })}
                            </dl>
                            <div class="cc-dialog-actions">
                                {at_hand}
                                {task.email_id.map(|email_id| view! {
                                    <button type="button" class="cc-button" on:click=move |_| on_open_email.run(email_id)>{t(Msg::OpenLinkedEmail)}</button>
                                })}
                            </div>
                            <div class="cc-dialog-actions">
                                <button type="button" class="cc-button" aria-keyshortcuts="c" on:click=move |_| act(TaskAction::Complete, None)>{t(Msg::TaskComplete)}" (c)"</button>
                                <button type="button" class="cc-button" aria-keyshortcuts="s" on:click=move |_| act(TaskAction::Skip, None)>{t(Msg::TaskSkip)}" (s)"</button>
                                <button type="button" class="cc-button" aria-keyshortcuts="z"
                                    on:click=move |_| act(TaskAction::Reschedule, Some(Snooze::Tomorrow9.until(chrono::Utc::now())))>{t(Msg::SnoozeTomorrow)}" (z)"</button>
                                <button type="button" class="cc-button" aria-keyshortcuts="p" on:click=move |_| step(-1)>{t(Msg::Previous)}" (p)"</button>
                                <button type="button" class="cc-button" aria-keyshortcuts="n" on:click=move |_| step(1)>{t(Msg::Next)}" (n)"</button>
                            </div>
                        }.into_any()
                    }
                }}
            </div>
        </Modal>
    }
}
