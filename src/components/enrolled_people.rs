//! The people in a campaign: by state (all, active, paused, finished) in tabs, each with the steps
//! done, why they finished or paused, when their next step is due, and Pause, Resume, Remove;
//! only the rows in view are drawn.

use crate::api_client::ApiError;
use crate::components::error_banner::ErrorBanner;
use crate::components::folder_tabs::tab_key_target;
use crate::components::people_table::{window, ROW_HEIGHT};
use crate::i18n::Msg;
use crate::router::use_router;
use crate::state::use_app;
use api::endpoints::{campaigns, EnrolmentCommand};
use api::sequence::{EnrolledPerson, EnrolmentState, FinishReason};
use api::{CampaignId, PersonId};
use leptos::html;
use leptos::prelude::*;

/// The tabs: `None` is everyone.
const FILTERS: [Option<EnrolmentState>; 4] = [
    None,
    Some(EnrolmentState::Active),
    Some(EnrolmentState::Paused),
    Some(EnrolmentState::Finished),
];

fn filter_label(filter: Option<EnrolmentState>) -> Msg {
    match filter {
        None => Msg::EnrolmentAll,
        Some(EnrolmentState::Active) => Msg::EnrolmentActive,
        Some(EnrolmentState::Paused) => Msg::EnrolmentPaused,
        Some(EnrolmentState::Finished) => Msg::EnrolmentFinished,
    }
}

fn filter_key(filter: Option<EnrolmentState>) -> &'static str {
    filter.map_or("all", EnrolmentState::as_str)
}

pub fn reason_label(reason: FinishReason) -> Msg {
    match reason {
        FinishReason::Completed => Msg::FinishedCompleted,
        FinishReason::Replied => Msg::FinishedReplied,
        FinishReason::Bounced => Msg::FinishedBounced,
        FinishReason::Spam => Msg::FinishedSpam,
        FinishReason::OptedOut => Msg::FinishedOptedOut,
        FinishReason::Removed => Msg::FinishedRemoved,
    }
}

#[component]
pub fn EnrolledPeople(
    #[prop(into)] campaign: Signal<CampaignId>,
    changed: RwSignal<u64>,
    #[prop(into)] on_changed: Callback<()>,
) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let filter = RwSignal::new(None::<EnrolmentState>);
    let people = LocalResource::new(move || {
        let call = campaigns::enrolled(campaign.get(), filter.get());
        changed.track();
        let api = state.api();
        async move { api.call(call).await }
    });
    let error = RwSignal::new(None::<ApiError>);
    let command = move |person: PersonId, command: EnrolmentCommand| {
        let api = state.api();
        let call = campaigns::enrolment(campaign.get_untracked(), person, command);
        leptos::task::spawn_local(async move {
            match api.call(call).await {
                Ok(()) => {
                    error.try_set(None);
                    on_changed.run(());
                }
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    };
    let on_tab_key = move |ev: leptos::ev::KeyboardEvent| {
        let current = FILTERS
            .iter()
            .position(|f| *f == filter.get_untracked())
            .unwrap_or(0);
        if let Some(next) = tab_key_target(&ev.key(), current, FILTERS.len()) {
            ev.prevent_default();
            filter.set(FILTERS[next]);
            let id = format!("cc-enrolled-tab-{}", filter_key(FILTERS[next]));
            if let Some(el) = document().get_element_by_id(&id) {
                if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                    let _ = el.focus();
                }
            }
        }
    };
    view! {
        <section class="cc-enrolled" aria-labelledby="cc-enrolled-title">
            <h2 id="cc-enrolled-title">{move || t(Msg::CampaignPeople)}</h2>
            <div class="cc-tabs" role="tablist" aria-label=move || t(Msg::CampaignPeople) on:keydown=on_tab_key>
                {FILTERS.into_iter().map(|f| {
                    let selected = move || filter.get() == f;
                    view! {
                        <button type="button" role="tab" class="cc-tab" id=format!("cc-enrolled-tab-{}", filter_key(f))
                            aria-selected=move || selected().to_string() aria-controls="cc-enrolled-panel"
                            tabindex=move || if selected() { "0" } else { "-1" }
                            on:click=move |_| filter.set(f)>
                            {move || t(filter_label(f))}
                        </button>
                    }
                }).collect_view()}
            </div>
            <p class="cc-error" role="alert" hidden=move || error.with(Option::is_none)>
                {move || error.get().map(|e| e.message(state.locale.get()))}
            </p>
            <div id="cc-enrolled-panel" role="tabpanel"
                aria-labelledby=move || format!("cc-enrolled-tab-{}", filter_key(filter.get()))>
                {move || match people.get() {
                    None => view! { <p class="cc-status" role="status">{t(Msg::Loading)}</p> }.into_any(),
                    Some(Err(e)) => view! { <ErrorBanner error=e on_retry=move |_| changed.update(|n| *n += 1)/> }.into_any(),
                    Some(Ok(list)) if list.is_empty() => view! { <p class="cc-empty">{t(Msg::NoOneEnrolled)}</p> }.into_any(),
                    Some(Ok(list)) => view! { <EnrolledTable people=list command=command/> }.into_any(),
                }}
            </div>
        </section>
    }
}

/// Drawn as the people list is: only the rows in view (and a few either side), between two
/// spacer rows, so that a campaign of 10,000 people scrolls as one of fifty.
#[component]
fn EnrolledTable(
    people: Vec<EnrolledPerson>,
    command: impl Fn(PersonId, EnrolmentCommand) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let len = people.len();
    let people = StoredValue::new(people);
    let scroller = NodeRef::<html::Div>::new();
    let scroll_top = RwSignal::new(0.0);
    let viewport = RwSignal::new(600.0);
    let range = Memo::new(move |_| window(scroll_top.get(), viewport.get(), len));
    Effect::new(move |_| {
        if let Some(div) = scroller.get() {
            viewport.set(f64::from(div.client_height().max(1)));
        }
    });
    let on_scroll = move |_| {
        if let Some(div) = scroller.get_untracked() {
            scroll_top.set(div.scroll_top() as f64);
            viewport.set(div.client_height() as f64);
        }
    };
    let shown = move || {
        let (first, end) = range.get();
        people.with_value(|all| {
            all[first..end]
                .iter()
                .enumerate()
                .map(|(i, p)| (first + i, p.clone()))
                .collect::<Vec<_>>()
        })
    };
    let spacer = move |rows: usize| format!("height: {}px", rows as f64 * ROW_HEIGHT);
    view! {
        <div class="cc-people-scroll" node_ref=scroller on:scroll=on_scroll>
            <table class="cc-table cc-enrolled-table" aria-rowcount=(len + 1).to_string()>
                <thead>
                    <tr aria-rowindex="1">
                        <th scope="col">{move || t(Msg::ColName)}</th>
                        <th scope="col">{move || t(Msg::ColState)}</th>
                        <th scope="col" class="cc-num">{move || t(Msg::ColStepsDone)}</th>
                        <th scope="col">{move || t(Msg::ColNextDue)}</th>
                        <th scope="col"><span class="cc-visually-hidden">{move || t(Msg::ColActions)}</span></th>
                    </tr>
                </thead>
                <tbody>
                    <tr aria-hidden="true" class="cc-spacer" style=move || spacer(range.get().0)></tr>
                    <For each=shown key=|(i, p)| (*i, p.person_id) let((index, person))>
                        <EnrolledRow person=person index=index command=command/>
                    </For>
                    <tr aria-hidden="true" class="cc-spacer" style=move || spacer(len.saturating_sub(range.get().1))></tr>
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn EnrolledRow(
    person: EnrolledPerson,
    index: usize,
    command: impl Fn(PersonId, EnrolmentCommand) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let state = use_app();
    let router = use_router();
    let t = move |msg| state.t(msg);
    let p = person;
    let href = router.href(&format!("/people/{}", p.person_id));
    let name = if p.name.is_empty() {
        p.email.clone()
    } else {
        p.name.clone()
    };
    let who = name.clone();
    let person = p.person_id;
    let status = {
        let p = p.clone();
        move || match (p.state, p.finish_reason) {
            (EnrolmentState::Finished, Some(reason)) => t(reason_label(reason)).to_owned(),
            (EnrolmentState::Paused, _) => match &p.pause_reason {
                Some(reason) => format!("{} ({reason})", t(Msg::EnrolmentPaused)),
                None => t(Msg::EnrolmentPaused).to_owned(),
            },
            (EnrolmentState::Active, _) => t(Msg::EnrolmentActive).to_owned(),
            (EnrolmentState::Finished, None) => t(Msg::EnrolmentFinished).to_owned(),
        }
    };
    let due = p.next_due;
    let labelled = move |msg: Msg| format!("{} {}", t(msg), who);
    let labelled = StoredValue::new(labelled);
    view! {
        <tr aria-rowindex=index + 2>
            <th scope="row" class="cc-clip"><a href=href>{name}</a></th>
            <td class="cc-clip">{status}</td>
            <td class="cc-num">{p.done_steps}</td>
            <td>{move || due.map(|at| state.locale.get().date_time(at)).unwrap_or_default()}</td>
            <td><span class="cc-inline-actions">
                <Show when=move || p.state == EnrolmentState::Active>
                    <button type="button" class="cc-button cc-small"
                        aria-label=move || labelled.with_value(|l| l(Msg::PausePerson))
                        on:click=move |_| command(person, EnrolmentCommand::Pause)>{move || t(Msg::PausePerson)}</button>
                </Show>
                <Show when=move || p.state == EnrolmentState::Paused>
                    <button type="button" class="cc-button cc-small"
                        aria-label=move || labelled.with_value(|l| l(Msg::ResumePerson))
                        on:click=move |_| command(person, EnrolmentCommand::Resume)>{move || t(Msg::ResumePerson)}</button>
                </Show>
                <Show when=move || p.state != EnrolmentState::Finished>
                    <button type="button" class="cc-button cc-small"
                        aria-label=move || labelled.with_value(|l| l(Msg::RemovePerson))
                        on:click=move |_| command(person, EnrolmentCommand::Remove)>{move || t(Msg::RemovePerson)}</button>
                </Show>
            </span></td>
        </tr>
    }
}
