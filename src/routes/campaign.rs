//! One campaign (`/campaigns/{id}`): paused, resumed or deleted as a whole; its steps, written and
//! ordered in the steps editor; its results by step; and the people enrolled in it with where
//! each stands, to pause, resume or remove.

use crate::api_client::ApiError;
use crate::components::campaign_results::CampaignResults;
use crate::components::compose::RecipientPicker;
use crate::components::enrolled_people::EnrolledPeople;
use crate::components::error_banner::ErrorBanner;
use crate::components::steps_editor::StepsEditor;
use crate::i18n::Msg;
use crate::live::use_live;
use crate::router::use_router;
use crate::routes::not_found::NotFound;
use crate::state::use_app;
use api::endpoints::{campaigns, CampaignCommand};
use api::{Campaign, CampaignId};
use leptos::prelude::*;

#[component]
pub fn CampaignPage() -> impl IntoView {
    let router = use_router();
    let id = Memo::new(move |_| router.after::<CampaignId>("/campaigns/"));
    view! {
        <Show when=move || id.get().is_some() fallback=NotFound>
            <OneCampaign id=Signal::derive(move || id.get().unwrap_or_default())/>
        </Show>
    }
}

#[component]
fn OneCampaign(#[prop(into)] id: Signal<CampaignId>) -> impl IntoView {
    let state = use_app();
    let live = use_live();
    let router = use_router();
    let t = move |msg| state.t(msg);
    // Bumped by the editor and the people list when they change something.
    let changed = RwSignal::new(0u64);
    let campaign = LocalResource::new(move || {
        let call = campaigns::one(id.get());
        changed.track();
        live.emails.track();
        live.tasks.track();
        let api = state.api();
        async move { api.call(call).await }
    });
    let on_changed = Callback::new(move |()| changed.update(|n| *n += 1));
    let name = Signal::derive(move || {
        campaign
            .get()
            .and_then(Result::ok)
            .map(|c| c.name)
            .unwrap_or_default()
    });
    view! {
        <section class="cc-page cc-campaign-page">
            <p class="cc-back"><a href=move || router.href("/campaigns")>{move || t(Msg::AllCampaigns)}</a></p>
            {move || match campaign.get() {
                None => view! { <p class="cc-status" role="status">{t(Msg::Loading)}</p> }.into_any(),
                Some(Err(ApiError::Problem { status: 404, .. })) => view! { <NotFound/> }.into_any(),
                Some(Err(e)) => view! {
                    <ErrorBanner error=e on_retry=move |_| changed.update(|n| *n += 1)/>
                }.into_any(),
                Some(Ok(c)) => view! {
                    <Summary campaign=c.clone()/>
                    <CampaignControls campaign=c on_changed=on_changed/>
                }.into_any(),
            }}
            <StepsEditor campaign=id on_changed=on_changed/>
            <CampaignResults campaign=id changed=changed/>
            <AddPerson campaign=id name=name on_changed=on_changed/>
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

/// Pause or resume the whole campaign, or delete it once nobody is active or paused in it.
#[component]
fn CampaignControls(campaign: Campaign, #[prop(into)] on_changed: Callback<()>) -> impl IntoView {
    let state = use_app();
    let router = use_router();
    let t = move |msg| state.t(msg);
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let id = campaign.id;
    let paused = campaign.paused_at.is_some();
    let deletable = campaign.active + campaign.paused == 0;
    let toggle = move |_| {
        let command = if paused {
            CampaignCommand::Resume
        } else {
            CampaignCommand::Pause
        };
        let api = state.api();
        pending.set(true);
        leptos::task::spawn_local(async move {
            let done = api.call(campaigns::command(id, command)).await;
            pending.try_set(false);
            match done {
                Ok(_) => on_changed.run(()),
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    };
    let delete = move |_| {
        let api = state.api();
        pending.set(true);
        leptos::task::spawn_local(async move {
            let done = api.call(campaigns::delete(id)).await;
            pending.try_set(false);
            match done {
                Ok(()) => router.navigate("/campaigns"),
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    };
    view! {
        <div class="cc-campaign-controls">
            {paused.then(|| view! { <p class="cc-note" role="status">{move || t(Msg::CampaignPausedNote)}</p> })}
            <div class="cc-inline-actions">
                <button type="button" class="cc-button" disabled=move || pending.get() on:click=toggle>
                    {move || t(if paused { Msg::ResumeCampaign } else { Msg::PauseCampaign })}
                </button>
                <button type="button" class="cc-button" disabled=move || pending.get() || !deletable
                    aria-describedby="cc-delete-campaign-hint" on:click=delete>
                    {move || t(Msg::DeleteCampaign)}
                </button>
            </div>
            <p class="cc-hint" id="cc-delete-campaign-hint">{move || t(Msg::DeleteCampaignHint)}</p>
            <p class="cc-error" role="alert" hidden=move || error.with(Option::is_none)>
                {move || error.get().map(|e| e.message(state.locale.get()))}
            </p>
        </div>
    }
}

/// One more person, found by name or address and enrolled at once.
#[component]
fn AddPerson(
    #[prop(into)] campaign: Signal<CampaignId>,
    #[prop(into)] name: Signal<String>,
    #[prop(into)] on_changed: Callback<()>,
) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let person = RwSignal::new(None::<api::PersonRef>);
    let said = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    let enrol = move |_| {
        let Some(chosen) = person.get_untracked() else {
            return;
        };
        let api = state.api();
        let id = campaign.get_untracked();
        leptos::task::spawn_local(async move {
            let body = api::CampaignPeople {
                person_ids: vec![chosen.id],
            };
            match api.call(campaigns::enrol(id, &body)).await {
                Ok(report) => {
                    error.try_set(None);
                    person.try_set(None);
                    said.try_set(Some(crate::components::add_to_campaign::report_text(
                        state.locale.get_untracked(),
                        &name.get_untracked(),
                        &report,
                    )));
                    on_changed.run(());
                }
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    };
    view! {
        <section class="cc-add-person" aria-label=move || t(Msg::AddPersonToCampaign)>
            <RecipientPicker person=person locked=false label=Msg::AddPersonToCampaign id="cc-campaign-person"/>
            <button type="button" class="cc-button cc-small" disabled=move || person.with(Option::is_none)
                on:click=enrol>{move || t(Msg::AddToCampaign)}</button>
            <p class="cc-status" role="status">{move || said.get()}</p>
            <p class="cc-error" role="alert" hidden=move || error.with(Option::is_none)>
                {move || error.get().map(|e| e.message(state.locale.get()))}
            </p>
        </section>
    }
}
