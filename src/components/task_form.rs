//! Create or edit a task. On a failed save the dialog stays open with everything as typed.

use crate::components::compose::RecipientPicker;
use crate::components::modal::Modal;
use crate::components::task_labels::{kind_label, priority_label};
use crate::compose_text::{parse_local_input, to_local_input};
use crate::i18n::Msg;
use crate::state::use_app;
use api::endpoints;
use api::{EmailId, NewTask, PersonRef, Priority, Task, TaskKind, TaskPatch};
use leptos::prelude::*;

/// What the form starts from.
#[derive(Clone, Debug, PartialEq)]
pub enum TaskFormMode {
    New {
        person: Option<PersonRef>,
        title: String,
        kind: TaskKind,
        email_id: Option<EmailId>,
    },
    Edit(Box<Task>),
}

#[component]
pub fn TaskForm(mode: TaskFormMode, #[prop(into)] on_close: Callback<()>) -> impl IntoView {
    let state = use_app();
    let (editing, person, title, kind, priority, due, notes, email_id) = match mode {
        TaskFormMode::New {
            person,
            title,
            kind,
            email_id,
        } => (
            None,
            person,
            title,
            kind,
            Priority::Normal,
            String::new(),
            String::new(),
            email_id,
        ),
        TaskFormMode::Edit(task) => (
            Some(task.id),
            task.person.as_ref().map(|p| PersonRef {
                id: p.id,
                name: p.name.clone(),
                email: p.email.clone(),
                company: p.company.clone(),
                opted_out: false,
            }),
            task.title.clone(),
            task.kind,
            task.priority,
            task.due_at.map(to_local_input).unwrap_or_default(),
            task.notes.clone(),
            task.email_id,
        ),
    };
    let person = RwSignal::new(person);
    let title = RwSignal::new(title);
    let kind = RwSignal::new(kind.as_str().to_owned());
    let priority = RwSignal::new(priority.as_str().to_owned());
    let due = RwSignal::new(due);
    let notes = RwSignal::new(notes);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if title.get_untracked().trim().is_empty() {
            error.set(Some(state.t(Msg::ChooseTitle).to_owned()));
            return;
        }
        let due_at = parse_local_input(&due.get_untracked());
        let person_id = person.get_untracked().map(|p| p.id);
        pending.set(true);
        error.set(None);
        let api = state.api();
        leptos::task::spawn_local(async move {
            let result = match editing {
                None => {
                    let new = NewTask {
                        title: title.get_untracked(),
                        kind: kind.get_untracked(),
                        priority: Some(priority.get_untracked()),
                        due_at,
                        person_id,
                        notes: Some(notes.get_untracked()),
                        email_id,
                        campaign_id: None,
                    };
                    api.call(endpoints::tasks::create(&new)).await
                }
                Some(id) => {
                    let patch = TaskPatch {
                        title: Some(title.get_untracked()),
                        kind: Some(kind.get_untracked()),
                        priority: Some(priority.get_untracked()),
                        due_at,
                        clear_due: due_at.is_none(),
                        person_id,
                        notes: Some(notes.get_untracked()),
                    };
                    api.call(endpoints::tasks::edit(id, &patch)).await
                }
            };
            pending.set(false);
            match result {
                Ok(_) => on_close.run(()),
                Err(e) => error.set(Some(e.message(state.locale.get_untracked()))),
            }
        });
    };
    let t = move |msg| state.t(msg);
    let title_text = Signal::derive(move || {
        t(if editing.is_some() {
            Msg::EditTask
        } else {
            Msg::NewTask
        })
        .to_owned()
    });
    view! {
        <Modal id="cc-task-form" title=title_text on_close=on_close>
            <form class="cc-compose" on:submit=save>
                <label class="cc-field">
                    <span>{move || t(Msg::TaskTitle)}</span>
                    <input type="text" name="title" required bind:value=title/>
                </label>
                <div class="cc-field-row">
                    <label class="cc-field">
                        <span>{move || t(Msg::TaskType)}</span>
                        <select class="cc-select" name="kind" bind:value=kind>
                            {TaskKind::ALL.iter().map(|k| view! { <option value=k.as_str()>{move || t(kind_label(*k))}</option> }).collect_view()}
                        </select>
                    </label>
                    <label class="cc-field">
                        <span>{move || t(Msg::TaskPriority)}</span>
                        <select class="cc-select" name="priority" bind:value=priority>
                            {Priority::ALL.iter().map(|p| view! { <option value=p.as_str()>{move || t(priority_label(*p))}</option> }).collect_view()}
                        </select>
                    </label>
                    <label class="cc-field">
                        <span>{move || t(Msg::TaskDue)}</span>
                        <input type="datetime-local" name="due_at" bind:value=due/>
                    </label>
                </div>
                <RecipientPicker person=person locked=false label=Msg::TaskPerson id="cc-task-person"/>
                <label class="cc-field">
                    <span>{move || t(Msg::TaskNotes)}</span>
                    <textarea name="notes" rows="3" bind:value=notes></textarea>
                </label>
                <p class="cc-error" role="alert" hidden=move || error.with(Option::is_none)>{move || error.get()}</p>
                <div class="cc-dialog-actions">
                    <button type="submit" class="cc-button cc-button-primary" disabled=move || pending.get()>{move || t(Msg::Save)}</button>
                    <button type="button" class="cc-button" on:click=move |_| on_close.run(())>{move || t(Msg::Cancel)}</button>
                </div>
            </form>
        </Modal>
    }
}
