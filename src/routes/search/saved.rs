//! The saved searches: the sidebar of dynamic lists (with their member counts) and campaigns,
//! and the form that keeps the query as one.

use super::model::SearchModel;
use crate::i18n::Msg;
use leptos::prelude::*;

#[component]
pub fn SavedSidebar(model: SearchModel) -> impl IntoView {
    let (state, router) = (model.app, model.router);
    let t = move |msg| state.t(msg);
    let saved_list = move || model.saved_list.get().unwrap_or_default();
    view! {
        <nav class="cc-saved" aria-label=move || t(Msg::SavedSearches)>
            <h2>{move || t(Msg::SavedSearches)}</h2>
            {move || if saved_list().is_empty() {
                view! { <p class="cc-empty">{t(Msg::NoSavedSearches)}</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {saved_list().into_iter().map(|s| {
                            let current = move || (model.saved_id.get() == Some(s.id)).then_some("page");
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
                let list = model.campaigns.get().unwrap_or_default();
                if list.is_empty() {
                    view! { <p class="cc-empty">{t(Msg::NoCampaigns)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="cc-campaigns">
                            {list.into_iter().map(|c| view! {
                                <li data-campaign-id=c.id.0>{c.name.clone()}
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

/// "Save search as" a new list; with a saved search open, save its changes or delete it.
#[component]
pub fn SaveSearchForm(model: SearchModel) -> impl IntoView {
    let t = move |msg| model.app.t(msg);
    view! {
        <form class="cc-save-search" on:submit=move |ev| { ev.prevent_default(); model.save_as(); }>
            <label class="cc-inline-field">{move || t(Msg::SearchName)}
                <input type="text" required bind:value=model.save_name/>
            </label>
            <button type="submit" class="cc-button">{move || t(Msg::SaveSearchAs)}</button>
            <Show when=move || model.saved_id.get().is_some()>
                <button type="button" class="cc-button" on:click=move |_| model.update_saved()>{move || t(Msg::SaveChanges)}</button>
                <button type="button" class="cc-button" on:click=move |_| model.delete_saved()>{move || t(Msg::ActionDelete)}</button>
            </Show>
        </form>
    }
}
