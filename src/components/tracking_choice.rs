//! Whether an email counts opens and clicks: two checkboxes that start from the rep's defaults,
//! and a button that makes the choice the rep's default (`PATCH /me`).

use crate::i18n::Msg;
use crate::state::use_app;
use api::MePatch;
use leptos::prelude::*;

/// The choice for one email (or one batch).
#[derive(Clone, Copy)]
pub struct TrackingChoice {
    pub opens: RwSignal<bool>,
    pub links: RwSignal<bool>,
}

impl TrackingChoice {
    /// Starts from the signed-in rep's defaults.
    pub fn from_defaults() -> Self {
        let state = use_app();
        let (opens, links) = state.session.with_untracked(|s| {
            s.as_ref()
                .map_or((true, true), |s| (s.user.track_opens, s.user.track_links))
        });
        Self {
            opens: RwSignal::new(opens),
            links: RwSignal::new(links),
        }
    }
}

#[component]
pub fn TrackingFields(choice: TrackingChoice) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let saved = RwSignal::new(false);
    let is_default = move || {
        state.session.with(|s| {
            s.as_ref().is_some_and(|s| {
                s.user.track_opens == choice.opens.get() && s.user.track_links == choice.links.get()
            })
        })
    };
    let make_default = move |_| {
        let patch = MePatch {
            track_opens: Some(choice.opens.get_untracked()),
            track_links: Some(choice.links.get_untracked()),
        };
        let api = state.api();
        leptos::task::spawn_local(async move {
            if let Ok(user) = api.call(api::endpoints::accounts::change_me(&patch)).await {
                state.session.update(|s| {
                    if let Some(s) = s {
                        s.user = user;
                    }
                });
                saved.set(true);
            }
        });
    };
    view! {
        <fieldset class="cc-fieldset cc-tracking">
            <legend>{move || t(Msg::Tracking)}</legend>
            <label class="cc-check"><input type="checkbox" prop:checked=move || choice.opens.get()
                on:change=move |ev| choice.opens.set(event_target_checked(&ev))/>{move || t(Msg::TrackOpens)}</label>
            <label class="cc-check"><input type="checkbox" prop:checked=move || choice.links.get()
                on:change=move |ev| choice.links.set(event_target_checked(&ev))/>{move || t(Msg::TrackLinks)}</label>
            <Show when=move || !is_default()>
                <button type="button" class="cc-button cc-small" on:click=make_default>{move || t(Msg::MakeTrackingDefault)}</button>
            </Show>
            <Show when=move || saved.get() && is_default()>
                <span class="cc-status" role="status">{move || t(Msg::TrackingDefaultSaved)}</span>
            </Show>
            <Show when=move || !(choice.opens.get() && choice.links.get())>
                <p class="cc-note">{move || t(Msg::TrackingOffCost)}</p>
            </Show>
        </fieldset>
    }
}
