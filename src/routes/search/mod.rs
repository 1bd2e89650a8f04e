//! Advanced search: build a query (kept in the URL, so a copied link reopens it), see who
//! matches, save it as a dynamic list that marks newcomers live, and act on the people found.
//!
//! The page owns a model (`model.rs`); its parts each draw one concern of it.

mod actions;
mod model;
mod results;
mod saved;

use crate::components::error_banner::ErrorBanner;
use crate::components::search_builder::{ConditionList, Group};
use crate::components::select_and_send::SelectAndSendDialog;
use crate::i18n::Msg;
use api::EmailStatus;
use leptos::prelude::*;
use model::SearchModel;
use results::Results;
use saved::{SaveSearchForm, SavedSidebar};

#[component]
pub fn SearchPage() -> impl IntoView {
    let model = SearchModel::new();
    let t = move |msg| model.app.t(msg);
    let words = move || model.in_words(&model.query.get());
    let title = move || {
        let saved = model.current_saved.get().map(|s| s.name);
        saved.unwrap_or_else(|| t(Msg::SearchTitle).to_owned())
    };
    view! {
        <section class="cc-page cc-search">
            // Saved searches are one's own lists: not shown over another's data (view as).
            {(!model.read_only).then(|| view! { <SavedSidebar model=model/> })}
            <div class="cc-search-main">
                <h1 class="cc-page-title">{title}</h1>
                {move || model.previous_query.get().map(|was| view! {
                    <div class="cc-notice" role="note">
                        <p>{t(Msg::MeaningChanged)}</p>
                        <p>{t(Msg::MeaningWas)}" "<q>{model.in_words(&was)}</q></p>
                        <p>{t(Msg::MeaningNow)}" "<q>{words}</q></p>
                    </div>
                })}
                <ConditionList query=model.query group=Group::All campaigns=model.campaign_list/>
                <ConditionList query=model.query group=Group::Any campaigns=model.campaign_list/>
                <p class="cc-query-words"><span class="cc-secondary">{move || t(Msg::QueryMeans)}</span>" "<span class="cc-query-sentence">{words}</span></p>
                <div class="cc-dialog-actions">
                    <button type="button" class="cc-button cc-button-primary" on:click=move |_| model.run()>{move || t(Msg::RunSearch)}</button>
                </div>
                {(!model.read_only).then(|| view! { <SaveSearchForm model=model/> })}
                {move || model.error.get().map(|e| view! { <ErrorBanner error=e on_retry=move |_| model.error.set(None)/> })}
                <p class="cc-status" role="status">{move || model.notice.get()}</p>
                {move || model.results.with(Option::is_some).then(|| view! { <Results model=model/> })}
                {move || model.sending.get().map(|kind| view! {
                    <SelectAndSendDialog kind=kind people=model.chosen.get_untracked()
                        campaigns=model.campaign_list on_close=move |_| model.sending.set(None)
                        on_sent=move |(n, status): (usize, EmailStatus)| model.sent(n, status)/>
                })}
            </div>
        </section>
    }
}
