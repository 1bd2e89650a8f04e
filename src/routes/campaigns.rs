//! The Campaigns page (`/campaigns`): the rep's campaigns with where their people stand (active,
//! paused, finished, replied, bounced), and a new one made by name.

use crate::api_client::ApiError;
use crate::components::error_banner::ErrorBanner;
use crate::i18n::Msg;
use crate::live::use_live;
use crate::router::use_router;
use crate::state::use_app;
use api::{Campaign, NewCampaign};
use leptos::prelude::*;

#[component]
pub fn CampaignsPage() -> impl IntoView {
    let state = use_app();
    let live = use_live();
    let t = move |msg| state.t(msg);
    let refresh = RwSignal::new(0u64);
    let campaigns = LocalResource::new(move || {
        refresh.track();
        live.emails.track();
        live.tasks.track();
        let api = state.api();
        async move { api.call(api::endpoints::campaigns::list()).await }
    });
    view! {
        <section class="cc-page cc-campaigns">
            <div class="cc-outbox-bar">
                <h1 class="cc-page-title">{move || t(Msg::CampaignsTitle)}</h1>
            </div>
            <NewCampaignForm/>
            {move || match campaigns.get() {
                None => view! { <p class="cc-status" role="status">{t(Msg::Loading)}</p> }.into_any(),
                Some(Err(e)) => view! {
                    <ErrorBanner error=e on_retry=move |_| refresh.update(|n| *n += 1)/>
                }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! {
                    <p class="cc-empty">{t(Msg::NoCampaignsYet)}</p>
                }.into_any(),
                Some(Ok(list)) => view! { <CampaignTable campaigns=list/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn CampaignTable(campaigns: Vec<Campaign>) -> impl IntoView {
    let state = use_app();
    let router = use_router();
    let t = move |msg| state.t(msg);
    let number = move |n: u64| state.locale.get().number(n);
    view! {
        <table class="cc-table cc-campaign-table">
            <caption class="cc-visually-hidden">{move || t(Msg::CampaignsTitle)}</caption>
            <thead>
                <tr>
                    <th scope="col">{move || t(Msg::ColCampaign)}</th>
                    <th scope="col" class="cc-num">{move || t(Msg::ColSteps)}</th>
                    <th scope="col" class="cc-num">{move || t(Msg::EnrolmentActive)}</th>
                    <th scope="col" class="cc-num">{move || t(Msg::EnrolmentPaused)}</th>
                    <th scope="col" class="cc-num">{move || t(Msg::EnrolmentFinished)}</th>
                    <th scope="col" class="cc-num">{move || t(Msg::FinishedReplied)}</th>
                    <th scope="col" class="cc-num">{move || t(Msg::FinishedBounced)}</th>
                </tr>
            </thead>
            <tbody>
                {campaigns.into_iter().map(|c| {
                    let href = router.href(&format!("/campaigns/{}", c.id));
                    view! {
                        <tr>
                            <th scope="row">
                                <a href=href>{c.name.clone()}</a>
                                {c.paused_at.is_some().then(|| view! {
                                    " " <span class="cc-badge">{move || t(Msg::CampaignPausedBadge)}</span>
                                })}
                            </th>
                            <td class="cc-num">{move || number(c.steps)}</td>
                            <td class="cc-num">{move || number(c.active)}</td>
                            <td class="cc-num">{move || number(c.paused)}</td>
                            <td class="cc-num">{move || number(c.finished)}</td>
                            <td class="cc-num">{move || number(c.replied)}</td>
                            <td class="cc-num">{move || number(c.bounced)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// A name, and the new campaign opens to have its steps written.
#[component]
fn NewCampaignForm() -> impl IntoView {
    let state = use_app();
    let router = use_router();
    let t = move |msg| state.t(msg);
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        pending.set(true);
        let api = state.api();
        let body = NewCampaign {
            name: name.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            let made = api.call(api::endpoints::campaigns::create(&body)).await;
            pending.try_set(false);
            match made {
                Ok(campaign) => router.navigate(&format!("/campaigns/{}", campaign.id)),
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    };
    view! {
        <form class="cc-inline-form" on:submit=create>
            <label>
                <span>{move || t(Msg::NewCampaignName)}</span>
                <input type="text" class="cc-input" required bind:value=name maxlength="200"/>
            </label>
            <button type="submit" class="cc-button cc-button-primary" disabled=move || pending.get()>
                {move || t(Msg::CreateCampaign)}
            </button>
            <p class="cc-error" role="alert" hidden=move || error.with(Option::is_none)>
                {move || error.get().map(|e| e.message(state.locale.get()))}
            </p>
        </form>
    }
}
