//! What the rep does on the search page: run the query, keep it as a saved search (or change or
//! delete the one open), and act on the people chosen.

use super::model::SearchModel;
use crate::components::email_tasks::email_task_for_each;
use crate::i18n::Msg;
use api::batch::BatchKind;
use api::endpoints;
use api::search::{NewSavedSearch, SavedSearchPatch};
use api::EmailStatus;
use leptos::prelude::*;

fn encode(text: &str) -> String {
    js_sys::encode_uri_component(text)
        .as_string()
        .unwrap_or_default()
}

impl SearchModel {
    /// Puts the builder's query in the URL, which runs it (keeping the results' view).
    pub fn run(self) {
        let router = self.router;
        let json = serde_json::to_string(&self.query.get_untracked()).unwrap_or_default();
        let view = router.url.with_untracked(|url| url.query_param("view"));
        let view = view
            .map(|v| format!("&view={}", encode(&v)))
            .unwrap_or_default();
        router.navigate(&format!("/search?q={}{view}", encode(&json)))
    }

    pub fn save_as(self) {
        let (state, router) = (self.app, self.router);
        let new = NewSavedSearch {
            name: self.save_name.get_untracked(),
            query: self.query.get_untracked(),
        };
        let api = state.api();
        leptos::task::spawn_local(async move {
            match api.call(endpoints::search::save(&new)).await {
                Ok(saved) => router.navigate(&format!("/search/saved/{}", saved.id)),
                Err(e) => self.error.set(Some(e)),
            }
        });
    }

    pub fn update_saved(self) {
        let (state, live) = (self.app, self.live);
        let Some(id) = self.saved_id.get_untracked() else {
            return;
        };
        let patch = SavedSearchPatch {
            name: Some(self.save_name.get_untracked()),
            query: Some(self.query.get_untracked()),
        };
        let api = state.api();
        leptos::task::spawn_local(async move {
            match api.call(endpoints::search::change_saved(id, &patch)).await {
                Ok(saved) => {
                    self.current_saved.set(Some(saved));
                    live.emails.update(|n| *n += 1);
                }
                Err(e) => self.error.set(Some(e)),
            }
        });
    }

    pub fn delete_saved(self) {
        let (state, router) = (self.app, self.router);
        let Some(id) = self.saved_id.get_untracked() else {
            return;
        };
        let confirmed = window().confirm_with_message(state.t(Msg::ConfirmDelete));
        if !confirmed.unwrap_or(false) {
            return;
        }
        let api = state.api();
        leptos::task::spawn_local(async move {
            match api.call(endpoints::search::delete_saved(id)).await {
                Ok(()) => router.navigate("/search"),
                Err(e) => self.error.set(Some(e)),
            }
        });
    }

    /// Opens Select and Send (or a group email) for the chosen people, within its limit.
    pub fn open_batch(self, kind: BatchKind) {
        let n = self.chosen.with_untracked(Vec::len);
        if n > kind.limit() {
            let refusal = match kind {
                BatchKind::Individual => Msg::OverSendLimit,
                BatchKind::Group => Msg::OverGroupLimit,
            };
            let said = self.app.t(refusal).replace("{n}", &n.to_string());
            self.notice.set(Some(said));
            return;
        }
        self.notice.set(None);
        self.sending.set(Some(kind));
    }

    /// A batch went out: how many, and whether sent or scheduled.
    pub fn sent(self, n: usize, status: EmailStatus) {
        let msg = if status == EmailStatus::Scheduled {
            Msg::BatchScheduled
        } else {
            Msg::BatchSent
        };
        self.notice
            .set(Some(self.app.t(msg).replace("{n}", &n.to_string())));
        self.clear_selection();
        self.campaigns.refetch();
    }

    /// An email task for each chosen person.
    pub fn create_tasks(self) {
        let state = self.app;
        let people = self.chosen.get_untracked();
        let api = state.api();
        let people = people.into_iter().map(|p| (p.id, p.name)).collect();
        let title = move |name: &str| state.t(Msg::TaskFromEmail).replace("{subject}", name);
        leptos::task::spawn_local(async move {
            let (created, refused) = email_task_for_each(&api, people, title).await;
            if refused.is_some() {
                self.error.set(refused);
            }
            let said = state
                .t(Msg::TasksCreated)
                .replace("{n}", &created.to_string());
            self.notice.set(Some(said));
            self.clear_selection();
        });
    }
}
