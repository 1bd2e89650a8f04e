//! The People page: the rep's people, searched and sorted, read a page at a time as the rep
//! scrolls (only the rows in view are drawn), with bulk actions on the selected ones (add to a
//! campaign, a task for each, delete with undo), adding one by hand and importing a CSV.

use crate::api_client::ApiError;
use crate::components::add_to_campaign::AddToCampaign;
use crate::components::email_tasks::email_task_for_each;
use crate::components::error_banner::ErrorBanner;
use crate::components::import_dialog::ImportDialog;
use crate::components::people_table::PeopleTable;
use crate::components::person_form::AddPersonDialog;
use crate::i18n::Msg;
use crate::router::use_router;
use crate::state::use_app;
use api::endpoints::{self, Call};
use api::people::{PeopleBulkAction, PeopleBulkRequest, PeoplePage, PeopleSort};
use api::{Person, PersonId};
use leptos::prelude::*;
use std::collections::HashSet;

/// People per request.
const PAGE: u64 = 200;

/// What the list shows: the search and the order.
#[derive(Clone, Debug, PartialEq)]
struct ListKey {
    q: String,
    sort: PeopleSort,
}

impl ListKey {
    fn call(&self, offset: usize) -> Call<PeoplePage> {
        endpoints::people::page(&self.q, self.sort, offset as u64, PAGE)
    }
}

/// The rows read so far for one `ListKey`: the first page is a resource of the key (a newer
/// key's answer replaces an older one's), later pages are added as the rep scrolls.
#[derive(Clone, Copy)]
struct PeopleList {
    key: Memo<ListKey>,
    first: LocalResource<Result<PeoplePage, ApiError>>,
    more: RwSignal<Vec<Person>>,
    loading_more: RwSignal<bool>,
}

impl PeopleList {
    fn new(key: Memo<ListKey>, refresh: RwSignal<u64>) -> Self {
        let state = use_app();
        let first = LocalResource::new(move || {
            let call = key.get().call(0);
            refresh.track();
            let api = state.api();
            async move { api.call(call).await }
        });
        let more = RwSignal::new(Vec::new());
        // A new first page starts the list afresh.
        Effect::new(move |_| {
            first.track();
            more.set(Vec::new());
        });
        Self {
            key,
            first,
            more,
            loading_more: RwSignal::new(false),
        }
    }

    fn rows(self) -> Vec<Person> {
        let mut rows = self.first.with(|page| match page {
            Some(Ok(page)) => page.items.clone(),
            _ => Vec::new(),
        });
        self.more.with(|more| rows.extend(more.iter().cloned()));
        rows
    }

    fn total(self) -> Option<u64> {
        self.first
            .with(|page| page.as_ref().and_then(|p| p.as_ref().ok()).map(|p| p.total))
    }

    fn error(self) -> Option<ApiError> {
        self.first
            .with(|page| page.as_ref().and_then(|p| p.as_ref().err()).cloned())
    }

    /// Reads the next page, unless one is on its way or all are read.
    fn load_more(self, loaded: usize) {
        let all_read = self.total().is_none_or(|total| loaded as u64 >= total);
        if all_read || self.loading_more.get_untracked() {
            return;
        }
        self.loading_more.set(true);
        let key = self.key.get_untracked();
        let api = use_app().api();
        leptos::task::spawn_local(async move {
            let page = api.call(key.call(loaded)).await;
            // Dropped when the rep changed the search meanwhile.
            if self.key.get_untracked() == key {
                if let Ok(page) = page {
                    self.more.update(|more| more.extend(page.items));
                }
            }
            self.loading_more.set(false);
        });
    }
}

#[component]
pub fn PeoplePage() -> impl IntoView {
    let state = use_app();
    let router = use_router();
    let t = move |msg| state.t(msg);
    let q = RwSignal::new(String::new());
    let sort = RwSignal::new(PeopleSort::Name);
    let key = Memo::new(move |_| ListKey {
        q: q.get(),
        sort: sort.get(),
    });
    let refresh = RwSignal::new(0u64);
    let list = PeopleList::new(key, refresh);
    let rows = Memo::new(move |_| list.rows());
    let selected = RwSignal::new(HashSet::<PersonId>::new());
    let notice = RwSignal::new(None::<String>);
    let undo = RwSignal::new(None::<Vec<PersonId>>);
    let error = RwSignal::new(None::<ApiError>);
    let adding = RwSignal::new(false);
    let importing = RwSignal::new(false);
    let (campaigns, campaign_list) = crate::components::add_to_campaign::use_campaigns();
    let reload = move || refresh.update(|n| *n += 1);
    let chosen = move || -> Vec<Person> {
        selected.with(|s| {
            rows.with(|rows| rows.iter().filter(|p| s.contains(&p.id)).cloned().collect())
        })
    };

    let bulk = move |action: PeopleBulkAction, ids: Vec<PersonId>| {
        let api = state.api();
        leptos::task::spawn_local(async move {
            let request = PeopleBulkRequest {
                action,
                ids: ids.clone(),
            };
            match api.call(endpoints::people::bulk(&request)).await {
                Ok(done) => {
                    let n = done.changed.to_string();
                    if action == PeopleBulkAction::Delete {
                        notice.set(Some(t(Msg::PeopleDeleted).replace("{n}", &n)));
                        undo.set(Some(ids));
                    } else {
                        notice.set(Some(t(Msg::PeopleRestored).replace("{n}", &n)));
                        undo.set(None);
                    }
                    selected.set(HashSet::new());
                    reload();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let delete_selected = move |_| {
        bulk(
            PeopleBulkAction::Delete,
            selected.get_untracked().into_iter().collect(),
        )
    };
    let undo_delete = move |_| {
        if let Some(ids) = undo.get_untracked() {
            bulk(PeopleBulkAction::Restore, ids);
        }
    };
    let task_for_each = move |_| {
        let people = chosen();
        let api = state.api();
        let people = people.into_iter().map(|p| (p.id, p.name)).collect();
        let title = move |name: &str| t(Msg::FollowUpWith).replace("{name}", name);
        leptos::task::spawn_local(async move {
            let (created, refused) = email_task_for_each(&api, people, title).await;
            if refused.is_some() {
                error.set(refused);
            }
            notice.set(Some(
                t(Msg::TasksCreated).replace("{n}", &created.to_string()),
            ));
            undo.set(None);
            selected.set(HashSet::new());
        });
    };
    let on_added = move |person: Person| {
        adding.set(false);
        notice.set(Some(t(Msg::PersonAdded).replace("{name}", &person.name)));
        undo.set(None);
        reload();
    };
    // Every person, as a CSV file the import reads again (and the audit log records).
    let export = move |_| {
        let api = state.api();
        leptos::task::spawn_local(async move {
            match api.get_file(endpoints::people::export()).await {
                Ok(file) => {
                    let name = format!("people-{}.csv", crate::zone::today().format("%Y-%m-%d"));
                    crate::download::save(&file, &name, "text/csv;charset=utf-8");
                    notice.set(Some(t(Msg::PeopleExported).replace("{file}", &name)));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let sort_label = |sort: PeopleSort| match sort {
        PeopleSort::Name => Msg::SortByName,
        PeopleSort::Company => Msg::SortByCompany,
        PeopleSort::Email => Msg::SortByEmail,
        PeopleSort::Added => Msg::SortByAdded,
    };

    view! {
        <section class="cc-page cc-people">
            <h1 class="cc-page-title">{move || t(Msg::NavPeople)}</h1>
            <div class="cc-outbox-bar">
                <button type="button" class="cc-button cc-button-primary" aria-haspopup="dialog"
                    on:click=move |_| adding.set(true)>{move || t(Msg::AddPerson)}</button>
                <button type="button" class="cc-button" aria-haspopup="dialog"
                    on:click=move |_| importing.set(true)>{move || t(Msg::ImportPeople)}</button>
                <button type="button" class="cc-button" on:click=export>{move || t(Msg::ExportPeople)}</button>
            </div>
            <div class="cc-table-tools">
                <label class="cc-filter">
                    <span class="cc-visually-hidden">{move || t(Msg::SearchPeople)}</span>
                    <input type="search" aria-label=move || t(Msg::SearchPeople) placeholder=move || t(Msg::SearchPeople)
                        prop:value=move || q.get()
                        on:input=move |ev| q.set(event_target_value(&ev))/>
                </label>
                <label class="cc-inline-field">{move || t(Msg::SortBy)}
                    <select class="cc-select" prop:value=move || sort.get().as_str()
                        on:change=move |ev| sort.set(event_target_value(&ev).parse::<PeopleSort>().unwrap_or_default())>
                        {PeopleSort::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str()>{move || t(sort_label(s))}</option>
                        }).collect_view()}
                    </select>
                </label>
                <span class="cc-status">{move || list.total().map(|n| t(Msg::PeopleCount).replace("{n}", &n.to_string()))}</span>
            </div>
            {move || list.error().or(error.get()).map(|e| view! { <ErrorBanner error=e on_retry=move |_| { error.set(None); reload(); }/> })}
            <div class="cc-status-line">
                <p class="cc-status" role="status">{move || notice.get()}</p>
                <Show when=move || undo.with(Option::is_some)>
                    <button type="button" class="cc-button cc-small" on:click=undo_delete>{move || t(Msg::Undo)}</button>
                </Show>
            </div>
            <Show when=move || !selected.with(HashSet::is_empty)>
                <div class="cc-bulk-actions" role="group" aria-label=move || t(Msg::ColActions)>
                    <span class="cc-status">{move || t(Msg::SelectedCount).replace("{n}", &selected.with(HashSet::len).to_string())}</span>
                    <button type="button" class="cc-button cc-small" on:click=task_for_each>{move || t(Msg::CreateTasksForSelected)}</button>
                    <AddToCampaign people=Signal::derive(move || selected.with(|s| s.iter().copied().collect::<Vec<_>>()))
                        campaigns=campaign_list
                        on_added=move |msg| { notice.set(Some(msg)); undo.set(None); campaigns.refetch(); }
                        on_error=move |e| error.set(Some(e))/>
                    <button type="button" class="cc-button cc-small cc-danger" on:click=delete_selected>{move || t(Msg::DeleteSelectedPeople)}</button>
                </div>
            </Show>
            <PeopleTable rows=rows selected=selected
                total=Signal::derive(move || list.total())
                on_near_end=move |loaded| list.load_more(loaded)
                person_href=move |id: PersonId| router.href(&format!("/people/{id}"))/>
            <Show when=move || list.total() == Some(0)>
                <p class="cc-empty">{move || t(Msg::NoPeople)}</p>
            </Show>
            {move || adding.get().then(|| view! {
                <AddPersonDialog on_close=move |_| adding.set(false) on_added=on_added/>
            })}
            {move || importing.get().then(|| view! {
                <ImportDialog on_close=move |_| importing.set(false) on_imported=move |_| reload()/>
            })}
        </section>
    }
}
