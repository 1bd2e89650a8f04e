//! What the search found: people or their emails (as tabs), narrowed by a quick filter, counted,
//! and the actions on the people chosen.

use super::model::{with_view, SearchModel};
use crate::components::add_to_campaign::AddToCampaign;
use crate::components::folder_tabs::{focus_by_id, tab_key_target};
use crate::components::search_results::{EmailResults, PeopleResults};
use crate::i18n::Msg;
use api::batch::BatchKind;
use api::search::ResultView;
use leptos::prelude::*;

const VIEWS: [ResultView; 2] = [ResultView::People, ResultView::Emails];

fn tab_id(view: ResultView) -> &'static str {
    match view {
        ResultView::People => "cc-results-people-tab",
        ResultView::Emails => "cc-results-emails-tab",
    }
}

#[component]
pub fn Results(model: SearchModel) -> impl IntoView {
    let (state, router) = (model.app, model.router);
    let t = move |msg| state.t(msg);
    let result_view = model.result_view;
    let show_as = move |view: ResultView| {
        router.navigate(&router.url.with_untracked(|url| with_view(url, view)))
    };
    let view_tab = move |view: ResultView, label: Msg| {
        let current = move || result_view.get() == view;
        view! {
            <button type="button" role="tab" class="cc-tab" id=tab_id(view)
                aria-selected=move || current().to_string() aria-controls="cc-results-panel"
                tabindex=move || if current() { "0" } else { "-1" }
                on:click=move |_| show_as(view)>
                {move || t(label)}
            </button>
        }
    };
    let on_tab_key = move |ev: leptos::ev::KeyboardEvent| {
        let current = VIEWS.iter().position(|v| *v == result_view.get_untracked());
        if let Some(next) = tab_key_target(&ev.key(), current.unwrap_or(0), VIEWS.len()) {
            ev.prevent_default();
            show_as(VIEWS[next]);
            focus_by_id(tab_id(VIEWS[next]));
        }
    };
    // More matched than a list holds: say so, most recently active shown.
    let count = move || {
        let (loaded, total) = model.results.with(|r| match (r, result_view.get()) {
            (Some(f), ResultView::People) => (f.items.len(), f.total_people),
            (Some(f), ResultView::Emails) => (f.emails.len(), f.total_emails),
            (None, _) => (0, 0),
        });
        let (shown, label) = match result_view.get() {
            ResultView::People => (model.visible_people.with(Vec::len), Msg::ResultsCount),
            ResultView::Emails => (model.visible_emails.with(Vec::len), Msg::EmailResultsCount),
        };
        if (loaded as u64) < total {
            let total = t(label).replace("{n}", &total.to_string());
            t(Msg::ShowingOf)
                .replace("{shown}", &shown.to_string())
                .replace("{total}", &total)
        } else {
            t(label).replace("{n}", &shown.to_string())
        }
    };
    view! {
        <div class="cc-tabs cc-tabs-folders" role="tablist" aria-label=t(Msg::ResultsAs) on:keydown=on_tab_key>
            {view_tab(ResultView::People, Msg::ViewPeople)}
            {view_tab(ResultView::Emails, Msg::ViewEmails)}
        </div>
        <div class="cc-table-tools">
            <label class="cc-filter">
                <span class="cc-visually-hidden">{t(Msg::FilterResults)}</span>
                <input type="search" aria-label=t(Msg::FilterResults) placeholder=t(Msg::FilterResults) bind:value=model.filter/>
            </label>
            <span class="cc-status">{count}</span>
            <Show when=move || !model.read_only && model.any_selected()>
                <ChosenActions model=model/>
            </Show>
        </div>
        // Wide results scroll in their own box, never the page (phones).
        <div class="cc-wide" role="tabpanel" id="cc-results-panel" aria-labelledby=move || tab_id(result_view.get())>
            {move || match result_view.get() {
                ResultView::People => view! {
                    <PeopleResults hits=model.visible_people selected=model.selected_people new_ids=model.new_people/>
                    <Show when=move || model.visible_people.with(Vec::is_empty)>
                        <p class="cc-empty">{t(Msg::NoResults)}</p>
                    </Show>
                }.into_any(),
                ResultView::Emails => view! {
                    <EmailResults emails=model.visible_emails selected=model.selected_emails new_ids=model.new_emails/>
                    <Show when=move || model.visible_emails.with(Vec::is_empty)>
                        <p class="cc-empty">{t(Msg::NoEmailResults)}</p>
                    </Show>
                }.into_any(),
            }}
        </div>
    }
}

/// Select and Send, a group email, tasks, or a campaign for the people chosen.
#[component]
fn ChosenActions(model: SearchModel) -> impl IntoView {
    let t = move |msg| model.app.t(msg);
    let chosen = model.chosen;
    let said = move || {
        let n = chosen.with(Vec::len).to_string();
        match model.result_view.get() {
            ResultView::People => t(Msg::SelectedCount).replace("{n}", &n),
            ResultView::Emails => t(Msg::PeopleBehind).replace("{n}", &n),
        }
    };
    view! {
        <div class="cc-bulk-actions" role="group" aria-label=t(Msg::ColActions)>
            <span class="cc-status">{said}</span>
            <button type="button" class="cc-button cc-button-primary cc-small" on:click=move |_| model.open_batch(BatchKind::Individual)>{t(Msg::SelectAndSend)}</button>
            <button type="button" class="cc-button cc-small" on:click=move |_| model.open_batch(BatchKind::Group)>{t(Msg::GroupEmail)}</button>
            <button type="button" class="cc-button cc-small" on:click=move |_| model.create_tasks()>{t(Msg::CreateTasksForSelected)}</button>
            <AddToCampaign people=Signal::derive(move || chosen.with(|p| p.iter().map(|p| p.id).collect::<Vec<_>>()))
                campaigns=model.campaign_list
                on_added=move |msg| { model.notice.set(Some(msg)); model.campaigns.refetch(); }
                on_error=move |e| model.error.set(Some(e))/>
        </div>
    }
}
