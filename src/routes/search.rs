//! Advanced search: build a query (kept in the URL, so a copied link reopens it), see who
//! matches, save it as a dynamic list that marks newcomers live, and act on the people found.

use crate::api_client::ApiError;
use crate::components::add_to_campaign::AddToCampaign;
use crate::components::error_banner::ErrorBanner;
use crate::components::folder_tabs::{focus_by_id, tab_key_target};
use crate::components::search_builder::{ConditionList, Group};
use crate::components::search_results::{EmailResults, PeopleResults};
use crate::components::select_and_send::SelectAndSendDialog;
use crate::i18n::{Locale, Msg};
use crate::live::use_live;
use crate::router::{use_router, AppUrl};
use crate::state::use_app;
use api::batch::BatchKind;
use api::search::{
    describe, NewSavedSearch, ResultView, SavedSearch, SavedSearchPatch, SavedSearchResults,
    SearchHit, SearchQuery, SearchRequest, SearchResponse, SearchResults,
};
use api::{Campaign, CampaignRef, EmailStatus, EmailSummary, Id, NewTask, Person, Task};
use leptos::prelude::*;
use std::collections::HashSet;

fn encode(text: &str) -> String {
    js_sys::encode_uri_component(text)
        .as_string()
        .unwrap_or_default()
}

/// The same page with the results shown as `view` (`view=emails`; people is the default).
fn with_view(url: &AppUrl, view: ResultView) -> String {
    let mut params: Vec<&str> = url
        .query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("view="))
        .collect();
    if view == ResultView::Emails {
        params.push("view=emails");
    }
    if params.is_empty() {
        url.path.clone()
    } else {
        format!("{}?{}", url.path, params.join("&"))
    }
}

fn person_matches(hit: &SearchHit, needle: &str) -> bool {
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

fn email_matches(email: &EmailSummary, needle: &str) -> bool {
    needle.is_empty()
        || [
            &email.person.name,
            &email.person.email,
            &email.person.company,
            &email.subject,
        ]
        .into_iter()
        .chain(email.campaign.iter().map(|c| &c.name))
        .any(|field| crate::quick_filter::contains_folded(field, needle))
}

/// The query in words, in the rep's language, campaigns by name.
fn in_words(query: &SearchQuery, campaigns: &[CampaignRef], locale: Locale) -> String {
    let deleted = locale.t(Msg::DeletedCampaign);
    let name = |id: Id| {
        campaigns
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.name.clone())
            .unwrap_or_else(|| deleted.to_owned())
    };
    let lang = match locale {
        Locale::En => api::Lang::En,
        Locale::Ja => api::Lang::Ja,
    };
    describe(query, &name, lang)
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let state = use_app();
    // Another's data (view as): searched and read, not acted on.
    let read_only = state.viewed_id().is_some();
    let live = use_live();
    let router = use_router();
    let saved_id = Memo::new(move |_| router.after::<Id>("/search/saved/"));
    let url_query = Memo::new(move |_| router.url.with(|url| url.query_param("q")));
    let result_view =
        Memo::new(
            move |_| match router.url.with(|url| url.query_param("view")).as_deref() {
                Some("emails") => ResultView::Emails,
                _ => ResultView::People,
            },
        );
    let query = RwSignal::new(SearchQuery::default());
    let (campaigns, campaign_list) = crate::components::add_to_campaign::use_campaigns();
    let saved_list = RwSignal::new(Vec::<SavedSearch>::new());
    let current_saved = RwSignal::new(None::<SavedSearch>);
    let results = RwSignal::new(None::<SearchResults>);
    let new_people = RwSignal::new(HashSet::<Id>::new());
    let new_emails = RwSignal::new(HashSet::<Id>::new());
    // A version 1 query whose meaning changed: shown once, for this visit.
    let previous_query = RwSignal::new(None::<SearchQuery>);
    let error = RwSignal::new(None::<ApiError>);
    let filter = RwSignal::new(String::new());
    let selected_people = RwSignal::new(HashSet::<Id>::new());
    let selected_emails = RwSignal::new(HashSet::<Id>::new());
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
        new_people.set(HashSet::new());
        new_emails.set(HashSet::new());
        let Some(parsed) = parsed else {
            results.set(None);
            previous_query.set(None);
            return;
        };
        // An older link's query is read as the server runs it, and says so if that differs.
        let upgrade = parsed.upgrade();
        query.set(upgrade.query.clone());
        previous_query.set(upgrade.previous);
        let api = state.api();
        leptos::task::spawn_local(async move {
            let request = SearchRequest {
                query: upgrade.query,
                owner_id: state.viewed_id(),
            };
            match api.post::<_, SearchResponse>("/search", &request).await {
                Ok(response) => {
                    results.set(Some(response.found));
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
                        previous_query.set(saved.previous_query.clone());
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
                    new_people.update(|ids| ids.extend(found.new_ids));
                    new_emails.update(|ids| ids.extend(found.new_email_ids));
                    results.set(Some(found.found));
                    error.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
        });
        Some(id)
    });

    let run = move |_| {
        let json = serde_json::to_string(&query.get_untracked()).unwrap_or_default();
        let view = router.url.with_untracked(|url| url.query_param("view"));
        let view = view
            .map(|v| format!("&view={}", encode(&v)))
            .unwrap_or_default();
        router.navigate(&format!("/search?q={}{view}", encode(&json)))
    };
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
    let visible_people = Memo::new(move |_| {
        let needle = crate::quick_filter::needle(&filter.get());
        results.with(|r| {
            r.iter()
                .flat_map(|f| &f.items)
                .filter(|h| person_matches(h, &needle))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let visible_emails = Memo::new(move |_| {
        let needle = crate::quick_filter::needle(&filter.get());
        results.with(|r| {
            r.iter()
                .flat_map(|f| &f.emails)
                .filter(|e| email_matches(e, &needle))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    // The people behind what is selected, in either view, each once, in the order found.
    let chosen = Memo::new(move |_| -> Vec<Person> {
        let ids: HashSet<Id> = match result_view.get() {
            ResultView::People => selected_people.get(),
            ResultView::Emails => visible_emails.with(|emails| {
                selected_emails.with(|s| {
                    emails
                        .iter()
                        .filter(|e| s.contains(&e.id))
                        .map(|e| e.person.id)
                        .collect()
                })
            }),
        };
        results.with(|r| {
            r.iter()
                .flat_map(|f| &f.items)
                .filter(|h| ids.contains(&h.person.id))
                .map(|h| h.person.clone())
                .collect()
        })
    });
    let clear_selection = move || {
        selected_people.set(HashSet::new());
        selected_emails.set(HashSet::new());
    };
    let open_batch = move |kind: BatchKind| {
        let n = chosen.with_untracked(Vec::len);
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
        clear_selection();
        campaigns.refetch();
    };
    let create_tasks = move |_| {
        let people = chosen.get_untracked();
        let api = state.api();
        leptos::task::spawn_local(async move {
            let mut created = 0;
            for person in people {
                let task = NewTask {
                    title: state
                        .t(Msg::TaskFromEmail)
                        .replace("{subject}", &person.name),
                    kind: "email".into(),
                    person_id: Some(person.id),
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
            clear_selection();
        });
    };
    let t = move |msg| state.t(msg);
    let words = move || campaign_list.with(|c| in_words(&query.get(), c, state.locale.get()));
    let any_selected = move || match result_view.get() {
        ResultView::People => !selected_people.with(HashSet::is_empty),
        ResultView::Emails => !selected_emails.with(HashSet::is_empty),
    };
    const VIEWS: [ResultView; 2] = [ResultView::People, ResultView::Emails];
    let tab_id = |view: ResultView| match view {
        ResultView::People => "cc-results-people-tab",
        ResultView::Emails => "cc-results-emails-tab",
    };
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
        let current = VIEWS
            .iter()
            .position(|v| *v == result_view.get_untracked())
            .unwrap_or(0);
        if let Some(next) = tab_key_target(&ev.key(), current, VIEWS.len()) {
            ev.prevent_default();
            show_as(VIEWS[next]);
            focus_by_id(tab_id(VIEWS[next]));
        }
    };

    view! {
        <section class="cc-page cc-search">
            // Saved searches are one's own lists: not shown over another's data (view as).
            {(!read_only).then(|| view! { <SavedSidebar saved_list=saved_list saved_id=saved_id campaigns=campaigns/> })}
            <div class="cc-search-main">
                <h1 class="cc-page-title">{move || current_saved.get().map(|s| s.name).unwrap_or_else(|| t(Msg::SearchTitle).to_owned())}</h1>
                {move || previous_query.get().map(|was| view! {
                    <div class="cc-notice" role="note">
                        <p>{t(Msg::MeaningChanged)}</p>
                        <p>{t(Msg::MeaningWas)}" "<q>{campaign_list.with(|c| in_words(&was, c, state.locale.get()))}</q></p>
                        <p>{t(Msg::MeaningNow)}" "<q>{words}</q></p>
                    </div>
                })}
                <ConditionList query=query group=Group::All campaigns=campaign_list/>
                <ConditionList query=query group=Group::Any campaigns=campaign_list/>
                <p class="cc-query-words"><span class="cc-secondary">{move || t(Msg::QueryMeans)}</span>" "<span class="cc-query-sentence">{words}</span></p>
                <div class="cc-dialog-actions">
                    <button type="button" class="cc-button cc-button-primary" on:click=run>{move || t(Msg::RunSearch)}</button>
                </div>
                <Show when=move || !read_only>
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
                </Show>
                {move || error.get().map(|e| view! { <ErrorBanner error=e on_retry=move |_| error.set(None)/> })}
                <p class="cc-status" role="status">{move || notice.get()}</p>
                {move || results.with(Option::is_some).then(|| view! {
                    <div class="cc-tabs cc-tabs-folders" role="tablist" aria-label=t(Msg::ResultsAs) on:keydown=on_tab_key>
                        {view_tab(ResultView::People, Msg::ViewPeople)}
                        {view_tab(ResultView::Emails, Msg::ViewEmails)}
                    </div>
                    <div class="cc-table-tools">
                        <label class="cc-filter">
                            <span class="cc-visually-hidden">{t(Msg::FilterResults)}</span>
                            <input type="search" aria-label=t(Msg::FilterResults) placeholder=t(Msg::FilterResults) bind:value=filter/>
                        </label>
                        <span class="cc-status">{move || {
                            let (loaded, total) = results.with(|r| match (r, result_view.get()) {
                                (Some(f), ResultView::People) => (f.items.len(), f.total_people),
                                (Some(f), ResultView::Emails) => (f.emails.len(), f.total_emails),
                                (None, _) => (0, 0),
                            });
                            let (shown, label) = match result_view.get() {
                                ResultView::People => (visible_people.with(Vec::len), Msg::ResultsCount),
                                ResultView::Emails => (visible_emails.with(Vec::len), Msg::EmailResultsCount),
                            };
                            // More matched than a list holds: say so, most recently active shown.
                            if (loaded as u64) < total {
                                t(Msg::ShowingOf).replace("{shown}", &shown.to_string()).replace("{total}", &t(label).replace("{n}", &total.to_string()))
                            } else {
                                t(label).replace("{n}", &shown.to_string())
                            }
                        }}</span>
                        <Show when=move || !read_only && any_selected()>
                            <div class="cc-bulk-actions" role="group" aria-label=t(Msg::ColActions)>
                                <span class="cc-status">{move || match result_view.get() {
                                    ResultView::People => t(Msg::SelectedCount).replace("{n}", &chosen.with(Vec::len).to_string()),
                                    ResultView::Emails => t(Msg::PeopleBehind).replace("{n}", &chosen.with(Vec::len).to_string()),
                                }}</span>
                                <button type="button" class="cc-button cc-button-primary cc-small" on:click=move |_| open_batch(BatchKind::Individual)>{t(Msg::SelectAndSend)}</button>
                                <button type="button" class="cc-button cc-small" on:click=move |_| open_batch(BatchKind::Group)>{t(Msg::GroupEmail)}</button>
                                <button type="button" class="cc-button cc-small" on:click=create_tasks>{t(Msg::CreateTasksForSelected)}</button>
                                <AddToCampaign people=Signal::derive(move || chosen.with(|p| p.iter().map(|p| p.id).collect::<Vec<_>>()))
                                    campaigns=campaign_list
                                    on_added=move |msg| { notice.set(Some(msg)); campaigns.refetch(); }
                                    on_error=move |e| error.set(Some(e))/>
                            </div>
                        </Show>
                    </div>
                    // Wide results scroll in their own box, never the page (phones).
                    <div class="cc-wide" role="tabpanel" id="cc-results-panel"
                        aria-labelledby=move || tab_id(result_view.get())>
                        {move || match result_view.get() {
                            ResultView::People => view! {
                                <PeopleResults hits=visible_people selected=selected_people new_ids=new_people/>
                                <Show when=move || visible_people.with(Vec::is_empty)>
                                    <p class="cc-empty">{t(Msg::NoResults)}</p>
                                </Show>
                            }.into_any(),
                            ResultView::Emails => view! {
                                <EmailResults emails=visible_emails selected=selected_emails new_ids=new_emails/>
                                <Show when=move || visible_emails.with(Vec::is_empty)>
                                    <p class="cc-empty">{t(Msg::NoEmailResults)}</p>
                                </Show>
                            }.into_any(),
                        }}
                    </div>
                })}
                {move || sending.get().map(|kind| view! {
                    <SelectAndSendDialog kind=kind people=chosen.get_untracked()
                        campaigns=campaign_list on_close=move |_| sending.set(None) on_sent=on_sent/>
                })}
            </div>
        </section>
    }
}

/// The saved searches (dynamic lists, with their member counts) and the campaigns.
#[component]
fn SavedSidebar(
    saved_list: RwSignal<Vec<SavedSearch>>,
    saved_id: Memo<Option<Id>>,
    campaigns: LocalResource<Vec<Campaign>>,
) -> impl IntoView {
    let state = use_app();
    let router = use_router();
    let t = move |msg| state.t(msg);
    view! {
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
    }
}
