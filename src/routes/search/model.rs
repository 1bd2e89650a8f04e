//! The search page's model: the query being built, what the URL or a saved search found, what
//! the rep narrowed and chose, and the saved searches.

use crate::api_client::ApiError;
use crate::i18n::{Locale, Msg};
use crate::live::{use_live, Live};
use crate::router::{use_router, AppUrl, Router};
use crate::state::{use_app, AppState};
use api::batch::BatchKind;
use api::endpoints;
use api::search::{
    describe, ResultView, SavedSearch, SearchHit, SearchQuery, SearchRequest, SearchResults,
};
use api::{
    Campaign, CampaignId, CampaignRef, EmailId, EmailSummary, Person, PersonId, SavedSearchId,
};
use leptos::prelude::*;
use std::collections::HashSet;

#[derive(Clone, Copy)]
pub struct SearchModel {
    pub app: AppState,
    pub router: Router,
    pub live: Live,
    /// Another's data (view as): searched and read, not acted on.
    pub read_only: bool,
    pub saved_id: Memo<Option<SavedSearchId>>,
    pub result_view: Memo<ResultView>,
    /// The query as the builder shows it.
    pub query: RwSignal<SearchQuery>,
    pub campaigns: LocalResource<Vec<Campaign>>,
    pub campaign_list: Signal<Vec<CampaignRef>>,
    pub saved_list: LocalResource<Vec<SavedSearch>>,
    pub current_saved: RwSignal<Option<SavedSearch>>,
    /// What was found, for the URL's query or the saved search open.
    pub results: Memo<Option<SearchResults>>,
    pub new_people: RwSignal<HashSet<PersonId>>,
    pub new_emails: RwSignal<HashSet<EmailId>>,
    /// A version 1 query whose meaning changed: shown once, for this visit.
    pub previous_query: RwSignal<Option<SearchQuery>>,
    pub error: RwSignal<Option<ApiError>>,
    pub filter: RwSignal<String>,
    pub selected_people: RwSignal<HashSet<PersonId>>,
    pub selected_emails: RwSignal<HashSet<EmailId>>,
    pub save_name: RwSignal<String>,
    pub notice: RwSignal<Option<String>>,
    pub sending: RwSignal<Option<BatchKind>>,
    pub visible_people: Memo<Vec<SearchHit>>,
    pub visible_emails: Memo<Vec<EmailSummary>>,
    /// The people behind what is selected, in either view, each once, in the order found.
    pub chosen: Memo<Vec<Person>>,
}

impl SearchModel {
    pub fn new() -> Self {
        let state = use_app();
        let live = use_live();
        let router = use_router();
        let saved_id = Memo::new(move |_| router.after::<SavedSearchId>("/search/saved/"));
        let url_query = Memo::new(move |_| router.url.with(|url| url.query_param("q")));
        let result_view =
            Memo::new(
                move |_| match router.url.with(|url| url.query_param("view")).as_deref() {
                    Some("emails") => ResultView::Emails,
                    _ => ResultView::People,
                },
            );
        let (campaigns, campaign_list) = crate::components::add_to_campaign::use_campaigns();
        // Member counts move with engagement: the list is read again with the live emails.
        let saved_list = LocalResource::new(move || {
            saved_id.track();
            live.emails.track();
            let api = state.api();
            async move {
                api.call(endpoints::search::saved_list())
                    .await
                    .unwrap_or_default()
            }
        });
        let query = RwSignal::new(SearchQuery::default());
        let previous_query = RwSignal::new(None);
        let current_saved = RwSignal::new(None);
        let (new_people, new_emails) =
            (RwSignal::new(HashSet::new()), RwSignal::new(HashSet::new()));
        let error = RwSignal::new(None);
        let url_search = Memo::new(move |_| {
            let json = url_query.get().filter(|_| saved_id.get().is_none())?;
            // An older link's query is read as the server runs it, and says so if that differs.
            serde_json::from_str::<SearchQuery>(&json).ok()
        });
        // The builder shows the URL's query.
        Effect::new(move |_| {
            if saved_id.get().is_some() {
                return;
            }
            current_saved.set(None);
            new_people.set(HashSet::new());
            new_emails.set(HashSet::new());
            let upgrade = url_search.get().map(SearchQuery::upgrade);
            previous_query.set(upgrade.as_ref().and_then(|u| u.previous.clone()));
            if let Some(upgrade) = upgrade {
                query.set(upgrade.query);
            }
        });
        // A plain search runs whenever the query in the URL changes; an answer to an older
        // query is dropped.
        let plain = LocalResource::new(move || {
            let searched = url_search.get();
            let owner_id = state.viewed_id();
            let api = state.api();
            async move {
                let request = SearchRequest {
                    query: searched?.upgrade().query,
                    owner_id,
                };
                Some(api.call(endpoints::search::run(&request)).await)
            }
        });
        Effect::new(move |_| match plain.get().flatten() {
            Some(Ok(_)) => error.set(None),
            Some(Err(e)) => error.set(Some(e)),
            None => {}
        });
        let saved_found = RwSignal::new(None::<SearchResults>);
        let save_name = RwSignal::new(String::new());
        read_saved_searches(
            saved_id,
            SavedReads {
                query,
                save_name,
                previous_query,
                current_saved,
                new_people,
                new_emails,
                found: saved_found,
                error,
            },
        );
        let results = Memo::new(move |_| match saved_id.get() {
            Some(_) => saved_found.get(),
            None => plain.get().flatten().and_then(Result::ok).map(|r| r.found),
        });
        let filter = RwSignal::new(String::new());
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
        let (selected_people, selected_emails) = (
            RwSignal::new(HashSet::new()),
            RwSignal::new(HashSet::<EmailId>::new()),
        );
        let chosen = Memo::new(move |_| -> Vec<Person> {
            let ids: HashSet<PersonId> = match result_view.get() {
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
        SearchModel {
            app: state,
            router,
            live,
            read_only: state.viewed_id().is_some(),
            saved_id,
            result_view,
            query,
            campaigns,
            campaign_list,
            saved_list,
            current_saved,
            results,
            new_people,
            new_emails,
            previous_query,
            error,
            filter,
            selected_people,
            selected_emails,
            save_name,
            notice: RwSignal::new(None),
            sending: RwSignal::new(None),
            visible_people,
            visible_emails,
            chosen,
        }
    }

    pub fn any_selected(self) -> bool {
        match self.result_view.get() {
            ResultView::People => !self.selected_people.with(HashSet::is_empty),
            ResultView::Emails => !self.selected_emails.with(HashSet::is_empty),
        }
    }

    pub fn clear_selection(self) {
        self.selected_people.set(HashSet::new());
        self.selected_emails.set(HashSet::new());
    }

    /// The query in words, in the rep's language, campaigns by name.
    pub fn in_words(self, query: &SearchQuery) -> String {
        let locale = self.app.locale.get();
        self.campaign_list
            .with(|campaigns| in_words(query, campaigns, locale))
    }
}

/// What reading a saved search writes.
#[derive(Clone, Copy)]
struct SavedReads {
    query: RwSignal<SearchQuery>,
    save_name: RwSignal<String>,
    previous_query: RwSignal<Option<SearchQuery>>,
    current_saved: RwSignal<Option<SavedSearch>>,
    new_people: RwSignal<HashSet<PersonId>>,
    new_emails: RwSignal<HashSet<EmailId>>,
    found: RwSignal<Option<SearchResults>>,
    error: RwSignal<Option<ApiError>>,
}

/// A saved search: opened (its newcomers become seen), then read again live as engagement
/// arrives. A hand-written loader rather than a resource, because no answer about the search
/// open may be dropped: the newcomers' marks come once, with the opening read, and stay for the
/// visit. Answers about a search the rep has since left (another saved search opened while this
/// one was read) are dropped, lest they show its query and people under the other's name.
fn read_saved_searches(saved_id: Memo<Option<SavedSearchId>>, to: SavedReads) {
    let state = use_app();
    let live = use_live();
    Effect::new(move |previous: Option<Option<SavedSearchId>>| {
        let id = saved_id.get();
        live.emails.track();
        let Some(id) = id else { return id };
        let opening = previous.flatten() != Some(id);
        let api = state.api();
        let still_open = move || saved_id.try_get_untracked().flatten() == Some(id);
        leptos::task::spawn_local(async move {
            if opening {
                let saved = api.call(endpoints::search::saved(id)).await;
                if !still_open() {
                    return;
                }
                match saved {
                    Ok(saved) => {
                        to.query.set(saved.query.clone());
                        to.save_name.set(saved.name.clone());
                        to.previous_query.set(saved.previous_query.clone());
                        to.current_saved.set(Some(saved));
                    }
                    Err(e) => return to.error.set(Some(e)),
                }
            }
            let found = api
                .call(endpoints::search::saved_results(id, opening))
                .await;
            if !still_open() {
                return;
            }
            match found {
                Ok(found) => {
                    to.new_people.update(|ids| ids.extend(found.new_ids));
                    to.new_emails.update(|ids| ids.extend(found.new_email_ids));
                    to.found.set(Some(found.found));
                    to.error.set(None);
                }
                Err(e) => to.error.set(Some(e)),
            }
        });
        Some(id)
    });
}

/// The same page with the results shown as `view` (`view=emails`; people is the default).
pub fn with_view(url: &AppUrl, view: ResultView) -> String {
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

fn in_words(query: &SearchQuery, campaigns: &[CampaignRef], locale: Locale) -> String {
    let deleted = locale.t(Msg::DeletedCampaign);
    let name = |id: CampaignId| {
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
