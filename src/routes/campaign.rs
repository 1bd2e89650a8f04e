//! One campaign (`/campaigns/{id}`): its steps, written and ordered in the steps editor, and the
//! people enrolled in it with where each stands, to pause, resume or remove.

use crate::api_client::ApiError;
use crate::components::enrolled_people::EnrolledPeople;
use crate::components::error_banner::ErrorBanner;
use crate::components::steps_editor::StepsEditor;
use crate::i18n::Msg;
use crate::live::use_live;
use crate::router::use_router;
use crate::routes::not_found::NotFound;
use crate::state::use_app;
use api::{Campaign, Id};
use leptos::prelude::*;

#[component]
pub fn CampaignPage() -> impl IntoView {
    let router = use_router();
    let id = Memo::new(move |_| router.after::<Id>("/campaigns/"));
    view! {
        <Show when=move || id.get().is_some() fallback=NotFound>
            <OneCampaign id=Signal::derive(move || id.get().unwrap_or_default())/>
        </Show>
    }
}

#[component]
fn OneCampaign(#[prop(into)] id: Signal<Id>) -> impl IntoView {
    let state = use_app();
    let live = use_live();
    let router = use_router();
    let t = move |msg| state.t(msg);
    // Bumped by the editor and the people list when they change something.
    let changed = RwSignal::new(0u64);
    let campaign = LocalResource::new(move || {
        let path = format!("/campaigns/{}", id.get());
        changed.track();
        live.emails.track();
        live.tasks.track();
        let api = state.api();
        async move { api.get::<Campaign>(&path).await }
    });
    let on_changed = Callback::new(move |()| changed.update(|n| *n += 1));
    view! {
        <section class="cc-page cc-campaign-page">
            <p class="cc-back"><a href=move || router.href("/campaigns")>{move || t(Msg::AllCampaigns)}</a></p>
            {move || match campaign.get() {
                None => view! { <p class="cc-status" role="status">{t(Msg::Loading)}</p> }.into_any(),
                Some(Err(ApiError::Problem { status: 404, .. })) => view! { <NotFound/> }.into_any(),
                Some(Err(e)) => view! {
                    <ErrorBanner error=e on_retry=move |_| changed.update(|n| *n += 1)/>
                }.into_any(),
                Some(Ok(c)) => view! { <Summary campaign=c/> }.into_any(),
            }}
            <StepsEditor campaign=id on_changed=on_changed/>
            <EnrolledPeople campaign=id changed=changed on_changed=on_changed/>
        </section>
    }
}

/// The campaign's name and its people counted by where they stand.
#[component]
fn Summary(campaign: Campaign) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let number = move |n: u64| state.locale.get().number(n);
    let counts = [
        (Msg::EnrolmentActive, campaign.active),
        (Msg::EnrolmentPaused, campaign.paused),
        (Msg::EnrolmentFinished, campaign.finished),
        (Msg::FinishedReplied, campaign.replied),
        (Msg::FinishedBounced, campaign.bounced),
    ];
    view! {
        <h1 class="cc-page-title">{campaign.name.clone()}</h1>
        <dl class="cc-campaign-counts">
            {counts.into_iter().map(|(label, n)| view! {
                <div><dt>{move || t(label)}</dt><dd>{move || number(n)}</dd></div>
            }).collect_view()}
        </dl>
    }
}
