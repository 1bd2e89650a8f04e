//! The dialogs the task list opens: a task's form, working through the list, the shortcuts, a
//! snooze to a picked time, writing an email, and reading one.

use super::model::TasksModel;
use crate::components::compose::ComposeMode;
use crate::components::modal::Modal;
use crate::components::shortcuts::ShortcutsHelp;
use crate::components::task_form::TaskForm;
use crate::components::work_through::WorkThrough;
use crate::compose_text::parse_local_input;
use crate::i18n::Msg;
use crate::live::use_live;
use crate::split;
use crate::state::use_app;
use api::{PersonRef, Task, TaskAction, TaskId};
use leptos::prelude::*;

#[component]
pub fn TaskDialogs(model: TasksModel) -> impl IntoView {
    let live = use_live();
    let dialogs = model.dialogs;
    let compose_for = move |task: Task| {
        dialogs.compose.set(Some(ComposeMode::New {
            person: task.person.as_ref().map(|p| PersonRef {
                id: p.id,
                name: p.name.clone(),
                email: p.email.clone(),
                company: p.company.clone(),
                opted_out: false,
            }),
            subject: task.title.clone(),
            body: String::new(),
        }))
    };
    view! {
        {move || dialogs.form.get().map(|mode| view! {
            <TaskForm mode=mode on_close=move |_| { dialogs.form.set(None); live.tasks.update(|n| *n += 1); }/>
        })}
        {move || dialogs.working.get().then(|| view! {
            <WorkThrough tasks=Signal::derive(move || model.open_tasks())
                on_action=move |(ids, action, due_at)| model.run(ids, action, due_at)
                on_close=move |_| dialogs.working.set(false)
                on_open_email=move |id| dialogs.email.set(Some(id))
                on_compose=compose_for/>
        })}
        {move || dialogs.help.get().then(|| view! { <ShortcutsHelp on_close=move |_| dialogs.help.set(false)/> })}
        {move || dialogs.custom_snooze.get().map(|ids| view! { <SnoozeTo ids=ids model=model/> })}
        {move || dialogs.compose.get().map(|mode| crate::later!(
            split::compose_dialog(mode, Callback::new(move |_| dialogs.compose.set(None))),
            split::load_compose_dialog
        ))}
        {move || dialogs.email.get().map(|id| crate::later!(split::email_detail_dialog(
            id,
            Callback::new(move |_| dialogs.email.set(None)),
            Callback::new(move |mode| dialogs.compose.set(Some(mode))),
        ), split::load_email_detail_dialog))}
    }
}

/// Snoozes the tasks to a time the rep picks.
#[component]
fn SnoozeTo(ids: Vec<TaskId>, model: TasksModel) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let time = RwSignal::new(String::new());
    let close = move || model.dialogs.custom_snooze.set(None);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(at) = parse_local_input(&time.get_untracked()) {
            model.run(ids.clone(), TaskAction::Reschedule, Some(at));
            close();
        }
    };
    view! {
        <Modal id="cc-snooze" title=Signal::derive(move || t(Msg::SnoozeTo).to_owned()) on_close=move |_| close()>
            <form class="cc-compose" on:submit=submit>
                <label class="cc-field"><span>{t(Msg::SnoozeTo)}</span><input type="datetime-local" required bind:value=time/></label>
                <div class="cc-dialog-actions"><button type="submit" class="cc-button cc-button-primary">{t(Msg::Apply)}</button></div>
            </form>
        </Modal>
    }
}
