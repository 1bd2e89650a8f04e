//! Advanced search: build a query (kept in the URL, so a copied link reopens it), see who
//! matches, save it as a dynamic list that marks newcomers live, and act on the people found.

use crate::api_client::ApiError;
use crate::components::add_to_campaign::AddToCampaign;
use crate::components::error_banner::ErrorBanner;
use crate::components::search_builder::{ConditionList, Group};
use crate::components::select_and_send::SelectAndSendDialog;
use crate::i18n::Msg;
use crate::live::use_live;
use crate::router::use_router;
use crate::state::use_app;
use api::batch::BatchKind;
use api::search::{
    NewSavedSearch, SavedSearch, SavedSearchPatch, SavedSearchResults, SearchHit, SearchQuery,
    SearchRequest, SearchResponse,
};
use api::{Campaign, CampaignRef, EmailStatus, Id, NewTask, Task};
use leptos::prelude::*;
use std::collections::HashSet;

fn encode(query: &SearchQuery) -> String {
    let json = serde_json::to_string(query).unwrap_or_default();
    js_sys::encode_uri_component(&json)
        .as_string()
        .unwrap_or_default()
}

/// The result columns a rep can sort by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ResultSort {
    Person,
    Company,
    Views,
    Clicks,
    Replies,
    LastActivity,
}

impl ResultSort {
    fn compare(self, a: &SearchHit, b: &SearchHit) -> std::cmp::Ordering {
        match self {
            ResultSort::Person => a.person.name.cmp(&b.person.name),
            ResultSort::Company => a.person.company.cmp(&b.person.company),
            ResultSort::Views => a.views.cmp(&b.views),
            ResultSort::Clicks => a.clicks.cmp(&b.clicks),
            ResultSort::Replies => a.replies.cmp(&b.replies),
            ResultSort::LastActivity => a.last_activity_at.cmp(&b.last_activity_at),
        }
        .then(a.person.id.cmp(&b.person.id))
    }
}

fn matches_filter(hit: &SearchHit, needle: &str) -> bool {
    needle.is_empty()
        || [
            &hit.person.name,
            &hit.person.email,
            &hit.person.company,
            &hit.person.title,
        ]
        .into_iter()
        .chain(hit.campaigns.iter().map(|c| &c.name))
        .any(|field| crate::quick_filter::contains_folded(field, needle))
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let state = use_app();
    let live = use_live();
    let router = use_router();
    let saved_id = Memo::new(move |_| router.after::<Id>("/search/saved/"));
    let url_query = Memo::new(move |_| router.url.with(|url| url.query_param("q")));
    let query = RwSignal::new(SearchQuery::default());
    let campaigns = LocalResource::new(move || {
        let api = state.api();
        async move {
            api.get::<Vec<Campaign>>("/campaigns")
                .await
                .unwrap_or_default()
        }
    });
    let campaign_list = Signal::derive(move || {
        campaigns
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(|c| CampaignRef {
                id: c.id,
                name: c.name,
            })
            .collect::<Vec<_>>()
    });
    let saved_list = RwSignal::new(Vec::<SavedSearch>::new());
    let current_saved = RwSignal::new(None::<SavedSearch>);
    let results = RwSignal::new(None::<Vec<SearchHit>>);
    let new_ids = RwSignal::new(HashSet::<Id>::new());
    let error = RwSignal::new(None::<ApiError>);
    let filter = RwSignal::new(String::new());
    let selected = RwSignal::new(HashSet::<Id>::new());
    let save_name = RwSignal::new(String::new());
    let notice = RwSignal::new(None::<String>);
    let sending = RwSignal::new(None::<BatchKind>);

    let refresh_saved_list = move || {
        let api = state.api();
        leptos::task::spawn_local(async move {
            if let Ok(list) = api.get::<Vec<SavedSearch>>("/saved-searches").await {
                saved_list.set(list);
            }
        });
    };
    // A plain search runs whenever the query in the URL changes.
    Effect::new(move |_| {
        if saved_id.get().is_some() {
            return;
        }
        let parsed = url_query
            .get()
            .and_then(|json| serde_json::from_str::<SearchQuery>(&json).ok());
        current_saved.set(None);
        new_ids.set(HashSet::new());
        let Some(parsed) = parsed else {
            results.set(None);
            return;
        };
        query.set(parsed.clone());
        let api = state.api();
        leptos::task::spawn_local(async move {
            match api
                .post::<_, SearchResponse>(
                    "/search",
                    &SearchRequest {
                        query: parsed,
                        owner_id: None,
                    },
                )
                .await
            {
                Ok(response) => {
                    results.set(Some(response.items));
                    error.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    });
    // A saved search: opened (newcomers become seen), then re-read live as engagement arrives.
    Effect::new(move |previous: Option<Option<Id>>| {
        let id = saved_id.get();
        live.emails.track();
        refresh_saved_list();
        let Some(id) = id else { return id };
        let opening = previous.flatten() != Some(id);
        let api = state.api();
        leptos::task::spawn_local(async move {
            if opening {
                match api
                    .get::<SavedSearch>(&format!("/saved-searches/{id}"))
                    .await
                {
                    Ok(saved) => {
                        query.set(saved.query.clone());
                        save_name.set(saved.name.clone());
                        current_saved.set(Some(saved));
                    }
                    Err(e) => {
                        error.set(Some(e));
                        return;
                    }
                }
            }
            let path = format!("/saved-searches/{id}/results?mark_seen={opening}");
            match api.get::<SavedSearchResults>(&path).await {
                Ok(found) => {
                    // Marks stay for this visit: opening again is what clears them.
                    new_ids.update(|ids| ids.extend(found.new_ids));
                    results.set(Some(found.items));
                    error.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
        });
        Some(id)
    });

    let run =
        { move |_| router.navigate(&format!("/search?q={}", encode(&query.get_untracked()))) };
    let save_as = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let new = NewSavedSearch {
            name: save_name.get_untracked(),
            query: query.get_untracked(),
        };
        let api = state.api();
        leptos::task::spawn_local(async move {
            match api.post::<_, SavedSearch>("/saved-searches", &new).await {
                Ok(saved) => router.navigate(&format!("/search/saved/{}", saved.id)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let update_saved = move |_| {
        let Some(id) = saved_id.get_untracked() else {
            return;
        };
        let patch = SavedSearchPatch {
            name: Some(save_name.get_untracked()),
            query: Some(query.get_untracked()),
        };
        let api = state.api();
        leptos::task::spawn_local(async move {
            match api
                .patch::<_, SavedSearch>(&format!("/saved-searches/{id}"), &patch)
                .await
            {
                Ok(saved) => {
                    current_saved.set(Some(saved));
                    live.emails.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let delete_saved = move |_| {
        let Some(id) = saved_id.get_untracked() else {
            return;
        };
        if !window()
            .confirm_with_message(state.t(Msg::ConfirmDelete))
            .unwrap_or(false)
        {
            return;
        }
        let api = state.api();
        leptos::task::spawn_local(async move {
            match api.delete(&format!("/saved-searches/{id}")).await {
                Ok(()) => router.navigate("/search"),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let sort = RwSignal::new(None::<(ResultSort, bool)>);
    let visible = Memo::new(move |_| {
        let needle = crate::quick_filter::needle(&filter.get());
        let mut shown = results.with(|r| {
            r.iter()
                .flatten()
                .filter(|h| matches_filter(h, &needle))
                .cloned()
                .collect::<Vec<_>>()
        });
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
    let header = move |key: ResultSort, label: Msg, numeric: bool| {
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
                <button type="button" class="cc-sort" on:click=toggle>{move || state.t(label)}</button>
            </th>
        }
    };
    // The selected people, in the order shown.
    let chosen = move || -> Vec<SearchHit> {
        visible.with_untracked(|v| {
            v.iter()
                .filter(|h| selected.with_untracked(|s| s.contains(&h.person.id)))
                .cloned()
                .collect()
        })
    };
    let open_batch = move |kind: BatchKind| {
        let n = selected.with_untracked(HashSet::len);
        if n > kind.limit() {
            let refusal = match kind {
                BatchKind::Individual => Msg::OverSendLimit,
                BatchKind::Group => Msg::OverGroupLimit,
            };
            notice.set(Some(state.t(refusal).replace("{n}", &n.to_string())));
            return;
        }
        notice.set(None);
        sending.set(Some(kind));
    };
    let on_sent = move |(n, status): (usize, EmailStatus)| {
        let msg = if status == EmailStatus::Scheduled {
            Msg::BatchScheduled
        } else {
            Msg::BatchSent
        };
        notice.set(Some(state.t(msg).replace("{n}", &n.to_string())));
        selected.set(HashSet::new());
        campaigns.refetch();
    };
    let create_tasks = move |_| {
        let people = chosen();
        let api = state.api();
        leptos::task::spawn_local(async move {
            let mut created = 0;
            for hit in people {
                let task = NewTask {
                    title: state
                        .t(Msg::TaskFromEmail)
                        .replace("{subject}", &hit.person.name),
                    kind: "email".into(),
                    person_id: Some(hit.person.id),
                    ..NewTask::default()
                };
                match api.post::<_, Task>("/tasks", &task).await {
                    Ok(_) => created += 1,
                    Err(e) => {
                        error.set(Some(e));
                        break;
                    }
                }
            }
            notice.set(Some(
                state
                    .t(Msg::TasksCreated)
                    .replace("{n}", &created.to_string()),
            ));
            selected.set(HashSet::new());
        });
    };
    let t = move |msg| state.t(msg);

    view! {
        <section class="cc-page cc-search">
            <nav class="cc-saved" aria-label=move || t(Msg::SavedSearches)>
                <h2>{move || t(Msg::SavedSearches)}</h2>
                {move || if saved_list.with(Vec::is_empty) {
                    view! { <p class="cc-empty">{t(Msg::NoSavedSearches)}</p> }.into_any()
                } else {
                    view! {
                        <ul>
                            {saved_list.get().into_iter().map(|s| {
                                let current = move || (saved_id.get() == Some(s.id)).then_some("page");
                                view! {
                                    <li><a href=router.href(&format!("/search/saved/{}", s.id)) aria-current=current>
                                        {s.name.clone()}" "<span class="cc-count">{s.member_count}</span>
                                    </a></li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                <h2>{move || t(Msg::Campaigns)}</h2>
                {move || {
                    let list = campaigns.get().unwrap_or_default();
                    if list.is_empty() {
                        view! { <p class="cc-empty">{t(Msg::NoCampaigns)}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="cc-campaigns">
                                {list.into_iter().map(|c| view! {
                                    <li data-campaign-id=c.id>{c.name.clone()}
                                        <span class="cc-secondary">{t(Msg::CampaignCounts)
                                            .replace("{people}", &c.people.to_string())
                                            .replace("{emails}", &c.emails.to_string())}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }}
            </nav>
            <div class="cc-search-main">
                <h1 class="cc-page-title">{move || current_saved.get().map(|s| s.name).unwrap_or_else(|| t(Msg::SearchTitle).to_owned())}</h1>
                <ConditionList query=query group=Group::All campaigns=campaign_list/>
                <ConditionList query=query group=Group::Any campaigns=campaign_list/>
                <div class="cc-dialog-actions">
                    <button type="button" class="cc-button cc-button-primary" on:click=run>{move || t(Msg::RunSearch)}</button>
                </div>
                <form class="cc-save-search" on:submit=save_as>
                    <label class="cc-inline-field">{move || t(Msg::SearchName)}
                        <input type="text" required bind:value=save_name/>
                    </label>
                    <button type="submit" class="cc-button">{move || t(Msg::SaveSearchAs)}</button>
                    <Show when=move || saved_id.get().is_some()>
                        <button type="button" class="cc-button" on:click=update_saved>{move || t(Msg::SaveChanges)}</button>
                        <button type="button" class="cc-button" on:click=delete_saved>{move || t(Msg::ActionDelete)}</button>
                    </Show>
                </form>
                {move || error.get().map(|e| view! { <ErrorBanner error=e on_retry=move |_| error.set(None)/> })}
                <p class="cc-status" role="status">{move || notice.get()}</p>
                {move || results.with(Option::is_some).then(|| view! {
                    <div class="cc-table-tools">
                        <label class="cc-filter">
                            <span class="cc-visually-hidden">{t(Msg::FilterResults)}</span>
                            <input type="search" aria-label=t(Msg::FilterResults) placeholder=t(Msg::FilterResults) bind:value=filter/>
                        </label>
                        <span class="cc-status">{move || t(Msg::ResultsCount).replace("{n}", &visible.with(Vec::len).to_string())}</span>
                        <Show when=move || !selected.with(HashSet::is_empty)>
                            <div class="cc-bulk-actions" role="group" aria-label=t(Msg::ColActions)>
                                <span class="cc-status">{move || t(Msg::SelectedCount).replace("{n}", &selected.with(HashSet::len).to_string())}</span>
                                <button type="button" class="cc-button cc-button-primary cc-small" on:click=move |_| open_batch(BatchKind::Individual)>{t(Msg::SelectAndSend)}</button>
                                <button type="button" class="cc-button cc-small" on:click=move |_| open_batch(BatchKind::Group)>{t(Msg::GroupEmail)}</button>
                                <button type="button" class="cc-button cc-small" on:click=create_tasks>{t(Msg::CreateTasksForSelected)}</button>
                                <AddToCampaign people=Signal::derive(move || selected.with(|s| s.iter().copied().collect::<Vec<_>>()))
                                    campaigns=campaign_list
                                    on_added=move |msg| { notice.set(Some(msg)); campaigns.refetch(); }
                                    on_error=move |e| error.set(Some(e))/>
                            </div>
                        </Show>
                    </div>
                    // Wide results scroll in their own box, never the page (phones).
                    <div class="cc-wide">
                        <table class="cc-table cc-results">
                            <caption class="cc-visually-hidden">{t(Msg::SearchTitle)}</caption>
                            <thead><tr>
                                <th scope="col" class="cc-select-col">
                                    <input type="checkbox" aria-label=t(Msg::SelectAllResults)
                                        prop:checked=move || visible.with(|v| crate::selection::all_selected(selected, &v.iter().map(|h| h.person.id).collect::<Vec<_>>()))
                                        on:change=move |_| crate::selection::toggle_all(selected, visible.with_untracked(|v| v.iter().map(|h| h.person.id).collect()))/>
                                </th>
                                {header(ResultSort::Person, Msg::ColPerson, false)}
                                {header(ResultSort::Company, Msg::ColCompany, false)}
                                {header(ResultSort::Views, Msg::ColViews, true)}
                                {header(ResultSort::Clicks, Msg::ColClicks, true)}
                                {header(ResultSort::Replies, Msg::ColReplies, true)}
                                {header(ResultSort::LastActivity, Msg::ColLastActivity, false)}
                                <th scope="col">{t(Msg::ColCampaign)}</th>
                            </tr></thead>
                            <tbody>
                                <For each=move || visible.get() key=|hit| (hit.person.id, hit.views, hit.clicks, hit.replies) let(hit)>
                                    {
                                        let id = hit.person.id;
                                        let is_new = move || new_ids.with(|n| n.contains(&id));
                                        let at = hit.last_activity_at;
                                        view! {
                                            <tr data-person-id=id class:cc-new=is_new>
                                                <td class="cc-select-col">
                                                    <input type="checkbox" aria-label=t(Msg::SelectPerson).replace("{name}", &hit.person.name)
                                                        prop:checked=move || selected.with(|s| s.contains(&id))
                                                        on:change=move |_| crate::selection::toggle_one(selected, id)/>
                                                </td>
                                                <td>
                                                    <span class="cc-person">{hit.person.name.clone()}
                                                        <Show when=is_new><span class="cc-badge">{move || t(Msg::NewBadge)}</span></Show>
                                                    </span>
                                                    <span class="cc-secondary">{hit.person.email.clone()}</span>
                                                </td>
                                                <td>{hit.person.company.clone()}</td>
                                                <td class="cc-num">{hit.views}</td>
                                                <td class="cc-num">{hit.clicks}</td>
                                                <td class="cc-num">{hit.replies}</td>
                                                <td class="cc-date">{match at {
                                                    Some(at) => view! { <crate::components::time_ago::TimeAgo at=at/> }.into_any(),
                                                    None => "—".into_any(),
                                                }}</td>
                                                <td>{hit.campaigns.iter().map(|c| c.name.clone()).collect::<Vec<_>>().join(", ")}</td>
                                            </tr>
                                        }
                                    }
                                </For>
                            </tbody>
                        </table>
                    </div>
                    <Show when=move || visible.with(Vec::is_empty)>
                        <p class="cc-empty">{t(Msg::NoResults)}</p>
                    </Show>
                })}
                {move || sending.get().map(|kind| view! {
                    <SelectAndSendDialog kind=kind people=chosen().into_iter().map(|h| h.person).collect()
                        campaigns=campaign_list on_close=move |_| sending.set(None) on_sent=on_sent/>
                })}
            </div>
        </section>
    }
}
