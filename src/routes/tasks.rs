//! The task list: views by due date (each at its own URL), filters, actions on one task or many
//! with undo, "work through my tasks", and keyboard shortcuts (`?`).

use crate::api_client::ApiError;
use crate::components::compose::ComposeMode;
use crate::components::error_banner::ErrorBanner;
use crate::components::folder_tabs::tab_key_target;
use crate::components::shortcuts::ShortcutsHelp;
use crate::components::task_form::{TaskForm, TaskFormMode};
use crate::components::task_labels::{kind_label, priority_label, view_label, Snooze, VIEWS};
use crate::components::work_through::WorkThrough;
use crate::compose_text::parse_local_input;
use crate::i18n::Msg;
use crate::live::use_live;
use crate::router::use_router;
use crate::split;
use crate::state::use_app;
use api::{
    CampaignRef, Id, Page, PersonRef, Priority, Task, TaskAction, TaskBulkRequest,
    TaskBulkResponse, TaskBulkResult, TaskCounts, TaskKind, TaskStatus, TaskView, Timestamp,
};
use leptos::prelude::*;
use std::collections::HashSet;

/// Tasks per bulk request: small enough for the progress bar to move.
const BATCH: usize = 25;
const UNDO_SECONDS: u64 = 8;

#[derive(Clone, Debug, PartialEq)]
struct Undo {
    ids: Vec<Id>,
    /// What undoes it: reopen (complete, skip) or restore (delete).
    action: TaskAction,
    message: String,
    generation: u64,
}

#[derive(Clone, Debug, PartialEq)]
struct Progress {
    done: usize,
    total: usize,
    failures: Vec<TaskBulkResult>,
}

fn matches_filter(task: &Task, needle: &str) -> bool {
    needle.is_empty()
        || std::iter::once(&task.title)
            .chain(
                task.person
                    .iter()
                    .flat_map(|p| [&p.name, &p.company, &p.email]),
            )
            .chain(task.email_subject.iter())
            .any(|field| crate::quick_filter::contains_folded(field, needle))
}

#[component]
pub fn TasksPage() -> impl IntoView {
    let state = use_app();
    let live = use_live();
    let router = use_router();
    // Another's tasks (view as): read, not worked.
    let read_only = state.viewed_id().is_some();
    let view = Memo::new(move |_| {
        router
            .after::<TaskView>("/tasks/")
            .unwrap_or(TaskView::Today)
    });
    let tasks = RwSignal::new(Vec::<Task>::new());
    let counts = RwSignal::new(None::<TaskCounts>);
    let loading = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let kind = RwSignal::new(String::new());
    let priority = RwSignal::new(String::new());
    let sort = RwSignal::new("due".to_owned());
    let range_from = RwSignal::new(crate::zone::today().format("%Y-%m-%d").to_string());
    let range_to = RwSignal::new(
        (crate::zone::today() + chrono::Duration::days(14))
            .format("%Y-%m-%d")
            .to_string(),
    );
    let filter = RwSignal::new(String::new());
    let campaign = RwSignal::new(String::new());
    let person = RwSignal::new(String::new());
    let campaigns = LocalResource::new(move || {
        let api = state.api();
        async move {
            api.get::<Vec<CampaignRef>>("/campaigns")
                .await
                .unwrap_or_default()
        }
    });
    let selected = RwSignal::new(HashSet::<Id>::new());
    let undo = RwSignal::new(None::<Undo>);
    let undo_generation = StoredValue::new(0u64);
    let progress = RwSignal::new(None::<Progress>);
    let form = RwSignal::new(None::<TaskFormMode>);
    let working = RwSignal::new(false);
    let help = RwSignal::new(false);
    let custom_snooze = RwSignal::new(None::<Vec<Id>>);
    let custom_time = RwSignal::new(String::new());
    let compose = RwSignal::new(None::<ComposeMode>);
    let email_detail = RwSignal::new(None::<Id>);
    let generation = StoredValue::new(0u64);

    let reload = move || {
        let mut path = format!(
            "/tasks?view={}&sort={}",
            view.get_untracked().as_str(),
            sort.get_untracked()
        );
        if view.get_untracked() == TaskView::Range {
            path.push_str(&format!(
                "&from={}&to={}",
                range_from.get_untracked(),
                range_to.get_untracked()
            ));
        }
        for (name, value) in [
            ("kind", kind.get_untracked()),
            ("priority", priority.get_untracked()),
            ("campaign_id", campaign.get_untracked()),
        ] {
            if !value.is_empty() {
                path.push_str(&format!("&{name}={value}"));
            }
        }
        generation.update_value(|g| *g += 1);
        let this = generation.get_value();
        loading.set(true);
        let path = state.viewed(&path);
        let counts_path = state.viewed("/tasks/counts");
        let api = state.api();
        leptos::task::spawn_local(async move {
            let list = api.get::<Page<Task>>(&path).await;
            let fresh_counts = api.get::<TaskCounts>(&counts_path).await;
            if generation.try_get_value() != Some(this) {
                return;
            }
            loading.set(false);
            match (list, fresh_counts) {
                (Ok(page), Ok(fresh)) => {
                    let ids: HashSet<Id> = page.items.iter().map(|t| t.id).collect();
                    selected.update(|s| s.retain(|id| ids.contains(id)));
                    tasks.set(page.items);
                    counts.set(Some(fresh));
                    error.set(None);
                }
                (Err(e), _) | (_, Err(e)) => error.set(Some(e)),
            }
        });
    };
    Effect::new(move |_| {
        view.track();
        kind.track();
        priority.track();
        campaign.track();
        sort.track();
        range_from.track();
        range_to.track();
        live.tasks.track();
        reload();
    });
    // The people of the loaded tasks, for the person filter.
    let people = Memo::new(move |_| {
        let mut people: Vec<(Id, String)> = tasks.with(|all| {
            all.iter()
                .filter_map(|t| {
                    t.person
                        .as_ref()
                        .map(|p| (p.id, format!("{} · {}", p.name, p.company)))
                })
                .collect()
        });
        people.sort_by(|a, b| a.1.cmp(&b.1));
        people.dedup();
        people
    });
    let visible = Memo::new(move |_| {
        let needle = crate::quick_filter::needle(&filter.get());
        let person_id: Option<Id> = person.get().parse().ok();
        tasks.with(|all| {
            all.iter()
                .filter(|t| matches_filter(t, &needle))
                .filter(|t| person_id.is_none() || t.person.as_ref().map(|p| p.id) == person_id)
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let open_tasks = Signal::derive(move || {
        visible.with(|v| {
            v.iter()
                .filter(|t| t.status == TaskStatus::Open)
                .cloned()
                .collect::<Vec<_>>()
        })
    });

    // Runs an action on tasks in batches, with progress, then offers undo where there is one.
    let run = Callback::new(
        move |(ids, action, due_at): (Vec<Id>, TaskAction, Option<Timestamp>)| {
            if ids.is_empty() {
                return;
            }
            let api = state.api();
            let total = ids.len();
            progress.set((total > 1).then(|| Progress {
                done: 0,
                total,
                failures: Vec::new(),
            }));
            leptos::task::spawn_local(async move {
                let mut succeeded = Vec::new();
                let mut failures = Vec::new();
                for batch in ids.chunks(BATCH) {
                    let request = TaskBulkRequest {
                        ids: batch.to_vec(),
                        action,
                        due_at,
                    };
                    match api
                        .post::<_, TaskBulkResponse>("/tasks/bulk", &request)
                        .await
                    {
                        Ok(response) => {
                            for result in response.results {
                                if result.ok {
                                    succeeded.push(result.id);
                                } else {
                                    failures.push(result);
                                }
                            }
                        }
                        Err(e) => {
                            error.set(Some(e));
                            break;
                        }
                    }
                    progress.update(|p| {
                        if let Some(p) = p {
                            p.done += batch.len();
                            p.failures = failures.clone();
                        }
                    });
                }
                if !failures.is_empty() {
                    progress.set(Some(Progress {
                        done: total,
                        total,
                        failures,
                    }));
                } else if total > 1 {
                    progress.set(None);
                }
                let undo_with = match action {
                    TaskAction::Complete => Some((TaskAction::Reopen, Msg::UndoCompleted)),
                    TaskAction::Skip => Some((TaskAction::Reopen, Msg::UndoSkipped)),
                    TaskAction::Delete => Some((TaskAction::Restore, Msg::UndoDeleted)),
                    _ => None,
                };
                if let (Some((undo_action, msg)), false) = (undo_with, succeeded.is_empty()) {
                    undo_generation.update_value(|g| *g += 1);
                    let this = undo_generation.try_get_value().unwrap_or_default();
                    let message = state.t(msg).replace("{n}", &succeeded.len().to_string());
                    undo.set(Some(Undo {
                        ids: succeeded.clone(),
                        action: undo_action,
                        message,
                        generation: this,
                    }));
                    set_timeout(
                        move || {
                            undo.update(|u| {
                                if u.as_ref().is_some_and(|u| u.generation == this) {
                                    *u = None
                                }
                            })
                        },
                        std::time::Duration::from_secs(UNDO_SECONDS),
                    );
                }
                selected.update(|s| s.retain(|id| !succeeded.contains(id)));
                live.tasks.update(|n| *n += 1);
            });
        },
    );
    let undo_now = move |_| {
        if let Some(u) = undo.get_untracked() {
            undo.set(None);
            run.run((u.ids, u.action, None));
            // Undoing must not offer to undo the undo.
            undo_generation.update_value(|g| *g += 1);
        }
    };
    let snooze = move |ids: Vec<Id>, choice: &str| match choice {
        "custom" => {
            custom_time.set(String::new());
            custom_snooze.set(Some(ids));
        }
        other => {
            if let Some(preset) = Snooze::ALL.into_iter().find(|s| snooze_key(*s) == other) {
                run.run((
                    ids,
                    TaskAction::Reschedule,
                    Some(preset.until(chrono::Utc::now())),
                ));
            }
        }
    };
    let new_task = move || {
        form.set(Some(TaskFormMode::New {
            person: None,
            title: String::new(),
            kind: TaskKind::Call,
            email_id: None,
        }))
    };

    // List shortcuts; typing in a field or a dialog being open leaves keys alone.
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        let typing = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        let dialog_open = form.with_untracked(Option::is_some)
            || working.get_untracked()
            || help.get_untracked()
            || compose.with_untracked(Option::is_some)
            || custom_snooze.with_untracked(Option::is_some)
            || email_detail.with_untracked(Option::is_some);
        if typing || dialog_open || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        match ev.key().as_str() {
            "?" => help.set(true),
            "n" if !read_only => new_task(),
            "w" if !read_only => working.set(true),
            "/" => {
                if let Some(input) = document().get_element_by_id("cc-task-filter") {
                    if let Ok(input) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(input)
                    {
                        let _ = input.focus();
                    }
                }
            }
            _ => return,
        }
        ev.prevent_default();
    });
    on_cleanup(move || handle.remove());

    let t = move |msg| state.t(msg);
    let on_tab_key = move |ev: leptos::ev::KeyboardEvent| {
        let current = VIEWS
            .iter()
            .position(|v| *v == view.get_untracked())
            .unwrap_or(0);
        if let Some(next) = tab_key_target(&ev.key(), current, VIEWS.len()) {
            ev.prevent_default();
            router.navigate(&format!("/tasks/{}", VIEWS[next].as_str()));
            if let Some(el) =
                document().get_element_by_id(&format!("cc-task-tab-{}", VIEWS[next].as_str()))
            {
                if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                    let _ = el.focus();
                }
            }
        }
    };
    let visible_ids = move || visible.with(|v| v.iter().map(|t| t.id).collect::<Vec<Id>>());
    let all_selected = move || crate::selection::all_selected(selected, &visible_ids());
    let toggle_all = move |_| crate::selection::toggle_all(selected, visible_ids());
    let selected_ids = move || {
        let mut ids: Vec<Id> = selected.get_untracked().into_iter().collect();
        ids.sort_unstable();
        ids
    };
    // The selected tasks an action applies to (api::TaskAction::applies), in id order.
    let applying = move |action: TaskAction| -> Vec<Id> {
        selected.with(|chosen| {
            tasks.with(|tasks| {
                let mut ids: Vec<Id> = tasks
                    .iter()
                    .filter(|t| chosen.contains(&t.id) && action.applies(t.status, false))
                    .map(|t| t.id)
                    .collect();
                ids.sort_unstable();
                ids
            })
        })
    };
    // A bulk button: shown when its action applies to a selected task; "Complete 3 of 5" when
    // it does not apply to all of them.
    let bulk_label = move |action: TaskAction, msg: Msg| {
        let (n, total) = (applying(action).len(), selected.with(HashSet::len));
        if n < total {
            t(Msg::BulkActionSome)
                .replace("{action}", t(msg))
                .replace("{n}", &n.to_string())
                .replace("{total}", &total.to_string())
        } else {
            t(msg).to_owned()
        }
    };

    view! {
        <section class="cc-page cc-tasks">
            <div class="cc-outbox-bar">
                <h1 class="cc-page-title">{move || t(Msg::TasksTitle)}</h1>
                <button type="button" class="cc-button" aria-keyshortcuts="?" on:click=move |_| help.set(true)>{move || t(Msg::Shortcuts)}</button>
                // Another's tasks (view as) are for reading.
                {(!read_only).then(|| view! {
                    <button type="button" class="cc-button" aria-keyshortcuts="w" aria-haspopup="dialog"
                        on:click=move |_| working.set(true)>{move || t(Msg::WorkThrough)}</button>
                    <button type="button" class="cc-button cc-button-primary" aria-keyshortcuts="n" aria-haspopup="dialog"
                        on:click=move |_| new_task()>{move || t(Msg::NewTask)}</button>
                })}
            </div>
            <div class="cc-tabs" role="tablist" aria-label=move || t(Msg::TaskViews) on:keydown=on_tab_key>
                {VIEWS.iter().map(|&v| {
                    let selected_tab = move || view.get() == v;
                    view! {
                        <button type="button" role="tab" class="cc-tab" id=format!("cc-task-tab-{}", v.as_str())
                            aria-selected=move || selected_tab().to_string() aria-controls="cc-task-panel"
                            tabindex=move || if selected_tab() { "0" } else { "-1" }
                            on:click=move |_| router.navigate(&format!("/tasks/{}", v.as_str()))>
                            <span class="cc-tab-label">{move || t(view_label(v))}</span>" "
                            <span class="cc-count" data-view=v.as_str()>
                                {move || counts.get().and_then(|c| c.get(v)).map(|n| state.locale.get().number(n))}
                            </span>
                        </button>
                    }
                }).collect_view()}
            </div>
            <div role="tabpanel" id="cc-task-panel" aria-labelledby=move || format!("cc-task-tab-{}", view.get().as_str())>
                // Overdue work is never hidden: every other view says when some is waiting.
                {move || {
                    let overdue = counts.get().map(|c| c.overdue).unwrap_or(0);
                    (overdue > 0 && view.get() != TaskView::Overdue).then(|| view! {
                        <p class="cc-note cc-overdue-note" role="status">
                            {t(Msg::OverdueBanner).replace("{n}", &overdue.to_string())}" "
                            <a href=router.href("/tasks/overdue")>{t(Msg::ShowOverdue)}</a>
                        </p>
                    })
                }}
                <div class="cc-table-tools cc-task-tools">
                    <label class="cc-filter">
                        <span class="cc-visually-hidden">{move || t(Msg::FilterTasks)}</span>
                        <input type="search" id="cc-task-filter" aria-keyshortcuts="/" placeholder=move || t(Msg::FilterTasksPlaceholder)
                            aria-label=move || t(Msg::FilterTasks) bind:value=filter/>
                    </label>
                    <select class="cc-select" aria-label=move || t(Msg::TaskType) bind:value=kind>
                        <option value="">{move || t(Msg::TypeAll)}</option>
                        {TaskKind::ALL.iter().map(|k| view! { <option value=k.as_str()>{move || t(kind_label(*k))}</option> }).collect_view()}
                    </select>
                    <select class="cc-select" aria-label=move || t(Msg::TaskPriority) bind:value=priority>
                        <option value="">{move || t(Msg::PriorityAll)}</option>
                        {Priority::ALL.iter().map(|p| view! { <option value=p.as_str()>{move || t(priority_label(*p))}</option> }).collect_view()}
                    </select>
                    <select class="cc-select" aria-label=move || t(Msg::TaskPerson) bind:value=person>
                        <option value="">{move || t(Msg::PersonAll)}</option>
                        {move || people.get().into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                    </select>
                    <select class="cc-select" aria-label=move || t(Msg::ColCampaign) bind:value=campaign>
                        <option value="">{move || t(Msg::CampaignAll)}</option>
                        {move || campaigns.get().unwrap_or_default().into_iter().map(|c| view! { <option value=c.id.to_string()>{c.name}</option> }).collect_view()}
                    </select>
                    <select class="cc-select" aria-label=move || t(Msg::SortBy) bind:value=sort>
                        <option value="due">{move || t(Msg::SortDue)}</option>
                        <option value="priority">{move || t(Msg::SortPriority)}</option>
                    </select>
                    <Show when=move || view.get() == TaskView::Range>
                        <label class="cc-inline-field">{move || t(Msg::RangeFrom)}" "<input type="date" bind:value=range_from/></label>
                        <label class="cc-inline-field">{move || t(Msg::RangeTo)}" "<input type="date" bind:value=range_to/></label>
                    </Show>
                </div>
                {move || error.get().map(|e| view! { <ErrorBanner error=e on_retry=move |_| reload()/> })}
                {move || undo.get().map(|u| view! {
                    <div class="cc-undo" role="status">
                        <span>{u.message}</span>
                        <button type="button" class="cc-button cc-small" on:click=undo_now>{t(Msg::Undo)}</button>
                    </div>
                })}
                <Show when=move || !selected.with(HashSet::is_empty) || progress.with(Option::is_some)>
                    <div class="cc-bulk-bar" role="region" aria-label=move || t(Msg::SelectedCount).replace("{n}", &selected.with(HashSet::len).to_string())>
                        <span>{move || t(Msg::SelectedCount).replace("{n}", &selected.with(HashSet::len).to_string())}</span>
                        <Show when=move || !applying(TaskAction::Complete).is_empty()>
                            <button type="button" class="cc-button cc-small" data-bulk-action="complete" on:click=move |_| run.run((applying(TaskAction::Complete), TaskAction::Complete, None))>{move || bulk_label(TaskAction::Complete, Msg::TaskComplete)}</button>
                            <button type="button" class="cc-button cc-small" data-bulk-action="skip" on:click=move |_| run.run((applying(TaskAction::Skip), TaskAction::Skip, None))>{move || bulk_label(TaskAction::Skip, Msg::TaskSkip)}</button>
                            <SnoozeSelect on_pick=move |choice: String| snooze(applying(TaskAction::Reschedule), &choice)/>
                        </Show>
                        <Show when=move || !applying(TaskAction::Reopen).is_empty()>
                            <button type="button" class="cc-button cc-small" data-bulk-action="reopen" on:click=move |_| run.run((applying(TaskAction::Reopen), TaskAction::Reopen, None))>{move || bulk_label(TaskAction::Reopen, Msg::TaskReopen)}</button>
                        </Show>
                        <button type="button" class="cc-button cc-small" data-bulk-action="delete" on:click=move |_| run.run((selected_ids(), TaskAction::Delete, None))>{move || t(Msg::ActionDelete)}</button>
                        <button type="button" class="cc-link-button" on:click=move |_| { selected.set(HashSet::new()); progress.set(None); }>{move || t(Msg::ClearSelection)}</button>
                        {move || progress.get().map(|p| view! {
                            <div class="cc-progress">
                                <progress max=p.total value=p.done></progress>
                                <span role="status">{t(Msg::BulkProgress).replace("{done}", &p.done.to_string()).replace("{total}", &p.total.to_string())}</span>
                                <ul class="cc-bulk-failures">
                                    {p.failures.iter().map(|f| view! { <li>{format!("#{}: {}", f.id, f.error.clone().unwrap_or_default())}</li> }).collect_view()}
                                </ul>
                            </div>
                        })}
                    </div>
                </Show>
                <div class="cc-table-scroll">
                    <table class="cc-table cc-task-table">
                        <caption class="cc-visually-hidden">{move || t(view_label(view.get()))}</caption>
                        <thead>
                            <tr>
                                {(!read_only).then(|| view! {
                                    <th scope="col" class="cc-select-col">
                                        <input type="checkbox" aria-label=move || t(Msg::SelectAll) prop:checked=all_selected on:change=toggle_all/>
                                    </th>
                                })}
                                <th scope="col">{move || t(Msg::TaskTitle)}</th>
                                <th scope="col">{move || t(Msg::TaskType)}</th>
                                <th scope="col">{move || t(Msg::TaskPerson)}</th>
                                <th scope="col">{move || t(Msg::TaskDue)}</th>
                                <th scope="col">{move || t(Msg::TaskPriority)}</th>
                                {(!read_only).then(|| view! { <th scope="col">{move || t(Msg::ColActions)}</th> })}
                            </tr>
                        </thead>
                        <tbody>
                            <For each=move || visible.get() key=|task| (task.id, task.status, task.due_at, task.title.clone(), task.priority) let(task)>
                                <TaskRow task=task read_only=read_only selected=selected on_action=run
                                    on_snooze=Callback::new(move |(id, choice): (Id, String)| snooze(vec![id], &choice))
                                    on_edit=Callback::new(move |task: Task| form.set(Some(TaskFormMode::Edit(Box::new(task)))))
                                    on_open_email=Callback::new(move |id| email_detail.set(Some(id)))/>
                            </For>
                        </tbody>
                    </table>
                </div>
                <div class="cc-table-footer">
                    {move || if loading.get() && tasks.with(Vec::is_empty) {
                        view! { <p class="cc-status" role="status">{t(Msg::Loading)}</p> }.into_any()
                    } else if visible.with(Vec::is_empty) {
                        view! { <p class="cc-empty">{t(Msg::NoTasks)}</p> }.into_any()
                    } else {
                        ().into_any()
                    }}
                </div>
            </div>
            {move || form.get().map(|mode| view! { <TaskForm mode=mode on_close=move |_| { form.set(None); live.tasks.update(|n| *n += 1); }/> })}
            {move || working.get().then(|| view! {
                <WorkThrough tasks=open_tasks on_action=run on_close=move |_| working.set(false)
                    on_open_email=move |id| email_detail.set(Some(id))
                    on_compose=move |task: Task| compose.set(Some(ComposeMode::New {
                        person: task.person.as_ref().map(|p| PersonRef { id: p.id, name: p.name.clone(), email: p.email.clone(), company: p.company.clone(), opted_out: false }),
                        subject: task.title.clone(),
                        body: String::new(),
                    }))/>
            })}
            {move || help.get().then(|| view! { <ShortcutsHelp on_close=move |_| help.set(false)/> })}
            {move || custom_snooze.get().map(|ids| view! {
                <crate::components::modal::Modal id="cc-snooze" title=Signal::derive(move || t(Msg::SnoozeTo).to_owned()) on_close=move |_| custom_snooze.set(None)>
                    <form class="cc-compose" on:submit=move |ev| {
                        ev.prevent_default();
                        if let Some(at) = parse_local_input(&custom_time.get_untracked()) {
                            run.run((ids.clone(), TaskAction::Reschedule, Some(at)));
                            custom_snooze.set(None);
                        }
                    }>
                        <label class="cc-field"><span>{t(Msg::SnoozeTo)}</span><input type="datetime-local" required bind:value=custom_time/></label>
                        <div class="cc-dialog-actions"><button type="submit" class="cc-button cc-button-primary">{t(Msg::Apply)}</button></div>
                    </form>
                </crate::components::modal::Modal>
            })}
            {move || compose.get().map(|mode| crate::later!(split::compose_dialog(mode, Callback::new(move |_| compose.set(None))), split::load_compose_dialog))}
            {move || email_detail.get().map(|id| crate::later!(split::email_detail_dialog(
                id,
                Callback::new(move |_| email_detail.set(None)),
                Callback::new(move |mode| compose.set(Some(mode))),
            ), split::load_email_detail_dialog))}
        </section>
    }
}

fn snooze_key(snooze: Snooze) -> &'static str {
    match snooze {
        Snooze::OneHour => "hour",
        Snooze::Tomorrow9 => "tomorrow",
        Snooze::NextWeek => "next_week",
    }
}

/// A labelled choice of snooze presets; picking one applies it.
#[component]
fn SnoozeSelect(#[prop(into)] on_pick: Callback<String>) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    view! {
        <select class="cc-select cc-small" aria-label=move || t(Msg::TaskSnooze)
            on:change=move |ev| {
                let choice = event_target_value(&ev);
                if !choice.is_empty() {
                    on_pick.run(choice);
                }
                let select: web_sys::HtmlSelectElement = event_target(&ev);
                select.set_value("");
            }>
            <option value="">{move || t(Msg::TaskSnooze)}</option>
            {Snooze::ALL.iter().map(|s| view! { <option value=snooze_key(*s)>{move || t(s.label())}</option> }).collect_view()}
            <option value="custom">{move || t(Msg::SnoozeCustom)}</option>
        </select>
    }
}

fn task_action_label(action: TaskAction) -> Msg {
    match action {
        TaskAction::Complete => Msg::TaskComplete,
        TaskAction::Skip => Msg::TaskSkip,
        TaskAction::Reopen => Msg::TaskReopen,
        TaskAction::Delete => Msg::ActionDelete,
        TaskAction::Reschedule => Msg::TaskSnooze,
        TaskAction::Restore => Msg::Undo,
    }
}

#[component]
fn TaskRow(
    task: Task,
    /// Another's task (view as): no selection, no actions.
    read_only: bool,
    selected: RwSignal<HashSet<Id>>,
    on_action: Callback<(Vec<Id>, TaskAction, Option<Timestamp>)>,
    on_snooze: Callback<(Id, String)>,
    on_edit: Callback<Task>,
    on_open_email: Callback<Id>,
) -> impl IntoView {
    let state = use_app();
    let router = crate::router::use_router();
    let t = move |msg| state.t(msg);
    let id = task.id;
    let is_selected = move || selected.with(|s| s.contains(&id));
    let overdue =
        task.status == TaskStatus::Open && task.due_at.is_some_and(|d| d < chrono::Utc::now());
    let due = task.due_at;
    let edit_task = task.clone();
    view! {
        <tr data-task-id=id class:cc-selected=is_selected class:cc-overdue=overdue>
            {(!read_only).then(|| view! {
                <td class="cc-select-col">
                    <input type="checkbox" aria-label=format!("{} {}", state.t(Msg::ColSelect), task.title) prop:checked=is_selected
                        on:change=move |_| crate::selection::toggle_one(selected, id)/>
                </td>
            })}
            <td class="cc-clip">
                <span class="cc-task-title">{task.title.clone()}</span>
                {task.email_id.map(|email_id| view! {
                    <button type="button" class="cc-link-button cc-secondary" on:click=move |_| on_open_email.run(email_id)>
                        {task.email_subject.clone().unwrap_or_else(|| t(Msg::OpenLinkedEmail).to_owned())}
                    </button>
                })}
            </td>
            <td>{move || t(kind_label(task.kind))}</td>
            <td class="cc-clip">{match task.person.as_ref() {
                Some(p) => view! { <a class="cc-person" href=state.people_href(&router).map(|people| format!("{people}{}", p.id))>{p.name.clone()}</a>" · "{p.company.clone()} }.into_any(),
                None => view! { "—" }.into_any(),
            }}</td>
            <td class="cc-date">{move || due.map(|d| state.locale.get().date_time(d)).unwrap_or_else(|| t(Msg::NoDue).to_owned())}</td>
            <td>{move || t(priority_label(task.priority))}</td>
            {(!read_only).then(|| view! {
            <td class="cc-row-actions">
                // What the row offers is the rule the server checks (api::TaskStatus::offered).
                {task.status.offered().map(|action| match action {
                    TaskAction::Reschedule => view! { <SnoozeSelect on_pick=move |choice| on_snooze.run((id, choice))/> }.into_any(),
                    TaskAction::Delete => view! {
                        <button type="button" class="cc-button cc-small" aria-haspopup="dialog" on:click={
                            let edit_task = edit_task.clone();
                            move |_| on_edit.run(edit_task.clone())
                        }>{move || t(Msg::ActionEdit)}</button>
                        <button type="button" class="cc-button cc-small" data-task-action="delete" on:click=move |_| on_action.run((vec![id], TaskAction::Delete, None))>{move || t(Msg::ActionDelete)}</button>
                    }.into_any(),
                    action => view! {
                        <button type="button" class="cc-button cc-small" data-task-action=action.as_str() on:click=move |_| on_action.run((vec![id], action, None))>{move || t(task_action_label(action))}</button>
                    }.into_any(),
                }).collect_view()}
            </td>
            })}
        </tr>
    }
}
