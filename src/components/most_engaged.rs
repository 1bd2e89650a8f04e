//! "Most engaged this week": delivered emails ranked by their recent views, clicks and replies.

use crate::i18n::Msg;
use crate::live::use_live;
use crate::split;
use crate::state::use_app;
use api::EmailId;
use leptos::prelude::*;

#[component]
pub fn MostEngaged(#[prop(into)] on_open: Callback<EmailId>) -> impl IntoView {
    let state = use_app();
    // The ranking, and the code that shows it, is asked for only while the panel is open: closed
    // (as it starts), switching to Delivered or a live change costs the server nothing.
    let open = RwSignal::new(false);
    let on_toggle = move |ev: leptos::ev::Event| {
        let details: web_sys::HtmlDetailsElement = event_target(&ev);
        open.set(details.open());
    };
    view! {
        <details class="cc-most-engaged" on:toggle=on_toggle>
            <summary>{move || state.t(Msg::MostEngaged)}</summary>
            {move || open.get().then(|| crate::later!(split::most_engaged_ranking(on_open), split::load_most_engaged_ranking))}
        </details>
    }
}

/// The open panel's list, refreshed by live changes.
#[component]
pub fn MostEngagedRanking(on_open: Callback<EmailId>) -> impl IntoView {
    let state = use_app();
    let live = use_live();
    let ranked = LocalResource::new(move || {
        live.emails.track();
        let api = state.api();
        let call = api::endpoints::emails::most_engaged(7, 5).viewed_as(state.viewed_id());
        async move { api.call(call).await }
    });
    let t = move |msg| state.t(msg);
    view! {
            {move || match ranked.get() {
                None => view! { <p class="cc-status">{t(Msg::Loading)}</p> }.into_any(),
                Some(Err(error)) => view! { <p class="cc-error" role="alert">{error.message(state.locale.get())}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="cc-empty">{t(Msg::MostEngagedEmpty)}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ol class="cc-engaged-list">
                        {list.into_iter().map(|entry| {
                            let id = entry.email.id;
                            let summary = t(Msg::EngagementSummary)
                                .replace("{views}", &entry.views.to_string())
                                .replace("{clicks}", &entry.clicks.to_string())
                                .replace("{replies}", &entry.replies.to_string());
                            view! {
                                <li>
                                    <button type="button" class="cc-link-button" on:click=move |_| on_open.run(id)>
                                        {entry.email.subject.clone()}
                                    </button>
                                    " — " {entry.email.person.name.clone()} " · " <span class="cc-secondary-inline">{summary}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any(),
            }}
    }
}
