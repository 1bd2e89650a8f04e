//! The search's results, two ways: the matching emails as outbox rows, or the people behind
//! them, one row each with how many of their emails match. Both select with checkboxes; the
//! page acts on the people behind whatever is selected.

use crate::components::folder_tabs::folder_label;
use crate::components::time_ago::TimeAgo;
use crate::i18n::Msg;
use crate::state::use_app;
use api::search::SearchHit;
use api::{EmailId, EmailSummary, PersonId, Timestamp};
use leptos::prelude::*;
use std::collections::HashSet;

fn activity(at: Option<Timestamp>) -> AnyView {
    match at {
        Some(at) => view! { <TimeAgo at=at/> }.into_any(),
        None => "—".into_any(),
    }
}

/// The header checkbox that selects every row shown.
#[component]
fn SelectAll<Id: crate::selection::RowId>(
    selected: RwSignal<HashSet<Id>>,
    shown: Signal<Vec<Id>>,
) -> impl IntoView {
    let state = use_app();
    view! {
        <th scope="col" class="cc-select-col">
            <input type="checkbox" aria-label=move || state.t(Msg::SelectAllResults)
                prop:checked=move || shown.with(|ids| crate::selection::all_selected(selected, ids))
                on:change=move |_| crate::selection::toggle_all(selected, shown.get_untracked())/>
        </th>
    }
}

/// The columns a rep can sort people by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PeopleSort {
    Person,
    Company,
    Matching,
    Views,
    Clicks,
    Replies,
    LastActivity,
}

impl PeopleSort {
    fn compare(self, a: &SearchHit, b: &SearchHit) -> std::cmp::Ordering {
        match self {
            PeopleSort::Person => a.person.name.cmp(&b.person.name),
            PeopleSort::Company => a.person.company.cmp(&b.person.company),
            PeopleSort::Matching => a.matching_emails.cmp(&b.matching_emails),
            PeopleSort::Views => a.views.cmp(&b.views),
            PeopleSort::Clicks => a.clicks.cmp(&b.clicks),
            PeopleSort::Replies => a.replies.cmp(&b.replies),
            PeopleSort::LastActivity => a.last_activity_at.cmp(&b.last_activity_at),
        }
        .then(a.person.id.cmp(&b.person.id))
    }
}

/// One row per person; numbers are those of their matching emails.
#[component]
pub fn PeopleResults(
    hits: Memo<Vec<SearchHit>>,
    selected: RwSignal<HashSet<PersonId>>,
    new_ids: RwSignal<HashSet<PersonId>>,
) -> impl IntoView {
    let state = use_app();
    let router = crate::router::use_router();
    let person_href = move |id: PersonId| person_href(state, router, id);
    let t = move |msg| state.t(msg);
    let sort = RwSignal::new(None::<(PeopleSort, bool)>);
    let sorted = Memo::new(move |_| {
        let mut shown = hits.get();
        if let Some((key, ascending)) = sort.get() {
            shown.sort_by(|a, b| {
                if ascending {
                    key.compare(a, b)
                } else {
                    key.compare(b, a)
                }
            });
        }
        shown
    });
    let header = move |key: PeopleSort, label: Msg, numeric: bool| {
        let aria_sort = move || match sort.get() {
            Some((k, true)) if k == key => "ascending",
            Some((k, false)) if k == key => "descending",
            _ => "none",
        };
        let toggle = move |_| {
            sort.update(|s| {
                *s = match *s {
                    Some((k, true)) if k == key => Some((key, false)),
                    Some((k, false)) if k == key => None,
                    _ => Some((key, true)),
                }
            })
        };
        view! {
            <th scope="col" class:cc-num=numeric aria-sort=aria_sort>
                <button type="button" class="cc-sort" on:click=toggle>{move || t(label)}</button>
            </th>
        }
    };
    let shown = Signal::derive(move || hits.with(|h| h.iter().map(|h| h.person.id).collect()));
    view! {
        <table class="cc-table cc-results cc-results-people">
            <caption class="cc-visually-hidden">{move || t(Msg::ViewPeople)}</caption>
            <thead><tr>
                <SelectAll selected=selected shown=shown/>
                {header(PeopleSort::Person, Msg::ColPerson, false)}
                {header(PeopleSort::Company, Msg::ColCompany, false)}
                {header(PeopleSort::Matching, Msg::ColMatching, true)}
                {header(PeopleSort::Views, Msg::ColViews, true)}
                {header(PeopleSort::Clicks, Msg::ColClicks, true)}
                {header(PeopleSort::Replies, Msg::ColReplies, true)}
                {header(PeopleSort::LastActivity, Msg::ColLastActivity, false)}
                <th scope="col">{move || t(Msg::ColCampaign)}</th>
            </tr></thead>
            <tbody>
                <For each=move || sorted.get() key=|hit| (hit.person.id, hit.matching_emails, hit.views, hit.clicks, hit.replies) let(hit)>
                    {
                        let id = hit.person.id;
                        let is_new = move || new_ids.with(|n| n.contains(&id));
                        view! {
                            <tr data-person-id=id.0 class:cc-new=is_new>
                                <td class="cc-select-col">
                                    <input type="checkbox" aria-label=t(Msg::SelectPerson).replace("{name}", &hit.person.name)
                                        prop:checked=move || selected.with(|s| s.contains(&id))
                                        on:change=move |_| crate::selection::toggle_one(selected, id)/>
                                </td>
                                <td>
                                    <span class="cc-person"><a href=person_href(id)>{hit.person.name.clone()}</a>
                                        <Show when=is_new><span class="cc-badge">{move || t(Msg::NewBadge)}</span></Show>
                                        {hit.person.opted_out.then(|| view! { <span class="cc-badge">{move || t(Msg::Unsubscribed)}</span> })}
                                    </span>
                                    <span class="cc-secondary">{hit.person.email.clone()}</span>
                                </td>
                                <td>{hit.person.company.clone()}</td>
                                <td class="cc-num">{hit.matching_emails}</td>
                                <td class="cc-num">{hit.views}</td>
                                <td class="cc-num">{hit.clicks}</td>
                                <td class="cc-num">{hit.replies}</td>
                                <td class="cc-date">{activity(hit.last_activity_at)}</td>
                                <td>{hit.campaigns.iter().map(|c| c.name.clone()).collect::<Vec<_>>().join(", ")}</td>
                            </tr>
                        }
                    }
                </For>
            </tbody>
        </table>
    }
}

/// One row per matching email, in the outbox's shape.
#[component]
pub fn EmailResults(
    emails: Memo<Vec<EmailSummary>>,
    selected: RwSignal<HashSet<EmailId>>,
    new_ids: RwSignal<HashSet<EmailId>>,
) -> impl IntoView {
    let state = use_app();
    let router = crate::router::use_router();
    let person_href = move |id: PersonId| person_href(state, router, id);
    let t = move |msg| state.t(msg);
    let shown = Signal::derive(move || emails.with(|e| e.iter().map(|e| e.id).collect()));
    view! {
        <table class="cc-table cc-results cc-results-emails">
            <caption class="cc-visually-hidden">{move || t(Msg::ViewEmails)}</caption>
            <thead><tr>
                <SelectAll selected=selected shown=shown/>
                <th scope="col">{move || t(Msg::ColPerson)}</th>
                <th scope="col">{move || t(Msg::ColSubject)}</th>
                <th scope="col">{move || t(Msg::ColCampaign)}</th>
                <th scope="col">{move || t(Msg::ColStatus)}</th>
                <th scope="col" class="cc-num">{move || t(Msg::ColViews)}</th>
                <th scope="col" class="cc-num">{move || t(Msg::ColClicks)}</th>
                <th scope="col">{move || t(Msg::ColReplied)}</th>
                <th scope="col">{move || t(Msg::ColLastActivity)}</th>
            </tr></thead>
            <tbody>
                <For each=move || emails.get() key=|e| (e.id, e.status, e.views, e.clicks, e.replies) let(email)>
                    {
                        let id = email.id;
                        let is_new = move || new_ids.with(|n| n.contains(&id));
                        let status = email.status;
                        let replied = email.replies > 0;
                        view! {
                            <tr data-email-id=id.0 data-person-id=email.person.id.0 class:cc-new=is_new>
                                <td class="cc-select-col">
                                    <input type="checkbox" aria-label=t(Msg::SelectEmail).replace("{name}", &email.person.name)
                                        prop:checked=move || selected.with(|s| s.contains(&id))
                                        on:change=move |_| crate::selection::toggle_one(selected, id)/>
                                </td>
                                <td>
                                    <span class="cc-person"><a href=person_href(email.person.id)>{email.person.name.clone()}</a>
                                        <Show when=is_new><span class="cc-badge">{move || t(Msg::NewBadge)}</span></Show>
                                        {email.person.opted_out.then(|| view! { <span class="cc-badge">{move || t(Msg::Unsubscribed)}</span> })}
                                    </span>
                                    <span class="cc-secondary">{email.person.email.clone()}</span>
                                </td>
                                <td>{email.subject.clone()}</td>
                                <td>{email.campaign.as_ref().map(|c| c.name.clone()).unwrap_or_else(|| "—".into())}</td>
                                <td>{move || t(folder_label(status.folder()))}</td>
                                <td class="cc-num">{email.views}</td>
                                <td class="cc-num">{email.clicks}</td>
                                <td>{move || t(if replied { Msg::Yes } else { Msg::No })}</td>
                                <td class="cc-date">{activity(email.last_activity_at)}</td>
                            </tr>
                        }
                    }
                </For>
            </tbody>
        </table>
    }
}

/// Where a person's name leads (`AppState::people_href`).
fn person_href(
    state: crate::state::AppState,
    router: crate::router::Router,
    id: PersonId,
) -> Option<String> {
    state
        .people_href(&router)
        .map(|people| format!("{people}{id}"))
}
