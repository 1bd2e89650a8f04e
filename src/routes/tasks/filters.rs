//! What the rep sees of the list: the views' tabs with their counts, the overdue note, and the
//! filters.

use super::model::TasksModel;
use crate::components::folder_tabs::{focus_by_id, tab_key_target};
use crate::components::task_labels::{kind_label, priority_label, view_label, Snooze, VIEWS};
use crate::i18n::Msg;
use crate::router::use_router;
use crate::state::use_app;
use api::{Priority, TaskKind, TaskView};
use leptos::prelude::*;

/// The quick filter's id: `/` focuses it.
pub const FILTER_ID: &str = "cc-task-filter";

/// The views as tabs, each at its own URL, with how many tasks each holds.
#[component]
pub fn TaskTabs(model: TasksModel) -> impl IntoView {
    let state = use_app();
    let router = use_router();
    let t = move |msg| state.t(msg);
    let view = model.view;
    let tab_id = |v: TaskView| format!("cc-task-tab-{}", v.as_str());
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let current = VIEWS.iter().position(|v| *v == view.get_untracked());
        if let Some(next) = tab_key_target(&ev.key(), current.unwrap_or(0), VIEWS.len()) {
            ev.prevent_default();
            router.navigate(&format!("/tasks/{}", VIEWS[next].as_str()));
            focus_by_id(&tab_id(VIEWS[next]));
        }
    };
    view! {
        <div class="cc-tabs" role="tablist" aria-label=move || t(Msg::TaskViews) on:keydown=on_key>
            {VIEWS.iter().map(|&v| {
                let selected = move || view.get() == v;
                view! {
                    <button type="button" role="tab" class="cc-tab" id=tab_id(v)
                        aria-selected=move || selected().to_string() aria-controls="cc-task-panel"
                        tabindex=move || if selected() { "0" } else { "-1" }
                        on:click=move |_| router.navigate(&format!("/tasks/{}", v.as_str()))>
                        <span class="cc-tab-label">{move || t(view_label(v))}</span>" "
                        <span class="cc-count" data-view=v.as_str()>
                            {move || model.loaded.with(|l| l.counts.as_ref().and_then(|c| c.get(v))).map(|n| state.locale.get().number(n))}
                        </span>
                    </button>
                }
            }).collect_view()}
        </div>
    }
}

/// Overdue work is never hidden: every other view says when some is waiting.
#[component]
pub fn OverdueNote(model: TasksModel) -> impl IntoView {
    let state = use_app();
    let router = use_router();
    move || {
        let overdue = model
            .loaded
            .with(|l| l.counts.as_ref().map_or(0, |c| c.overdue));
        (overdue > 0 && model.view.get() != TaskView::Overdue).then(|| {
            view! {
                <p class="cc-note cc-overdue-note" role="status">
                    {state.t(Msg::OverdueBanner).replace("{n}", &overdue.to_string())}" "
                    <a href=router.href("/tasks/overdue")>{state.t(Msg::ShowOverdue)}</a>
                </p>
            }
        })
    }
}

#[component]
pub fn TaskFilters(model: TasksModel) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    view! {
        <div class="cc-table-tools cc-task-tools">
            <label class="cc-filter">
                <span class="cc-visually-hidden">{move || t(Msg::FilterTasks)}</span>
                <input type="search" id=FILTER_ID aria-keyshortcuts="/" placeholder=move || t(Msg::FilterTasksPlaceholder)
                    aria-label=move || t(Msg::FilterTasks) bind:value=model.filter/>
            </label>
            <select class="cc-select" aria-label=move || t(Msg::TaskType) bind:value=model.kind>
                <option value="">{move || t(Msg::TypeAll)}</option>
                {TaskKind::ALL.iter().map(|k| view! { <option value=k.as_str()>{move || t(kind_label(*k))}</option> }).collect_view()}
            </select>
            <select class="cc-select" aria-label=move || t(Msg::TaskPriority) bind:value=model.priority>
                <option value="">{move || t(Msg::PriorityAll)}</option>
                {Priority::ALL.iter().map(|p| view! { <option value=p.as_str()>{move || t(priority_label(*p))}</option> }).collect_view()}
            </select>
            <select class="cc-select" aria-label=move || t(Msg::TaskPerson) bind:value=model.person>
                <option value="">{move || t(Msg::PersonAll)}</option>
                {move || model.people().into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
            </select>
            <select class="cc-select" aria-label=move || t(Msg::ColCampaign) bind:value=model.campaign>
                <option value="">{move || t(Msg::CampaignAll)}</option>
                {move || model.campaigns.get().unwrap_or_default().into_iter().map(|c| view! { <option value=c.id.to_string()>{c.name}</option> }).collect_view()}
            </select>
            <select class="cc-select" aria-label=move || t(Msg::SortBy) bind:value=model.sort>
                <option value="due">{move || t(Msg::SortDue)}</option>
                <option value="priority">{move || t(Msg::SortPriority)}</option>
            </select>
            <Show when=move || model.view.get() == TaskView::Range>
                <label class="cc-inline-field">{move || t(Msg::RangeFrom)}" "<input type="date" bind:value=model.range_from/></label>
                <label class="cc-inline-field">{move || t(Msg::RangeTo)}" "<input type="date" bind:value=model.range_to/></label>
            </Show>
        </div>
    }
}

/// A labelled choice of snooze presets; picking one applies it.
#[component]
pub fn SnoozeSelect(#[prop(into)] on_pick: Callback<String>) -> impl IntoView {
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
            {Snooze::ALL.iter().map(|s| view! { <option value=s.key()>{move || t(s.label())}</option> }).collect_view()}
            <option value="custom">{move || t(Msg::SnoozeCustom)}</option>
        </select>
    }
}
