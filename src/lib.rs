//! Command Center's single-page app: the rep's outbox, tasks and search, over the REST API.

pub mod api_client;
pub mod compose_text;
pub mod download;
pub mod i18n;
pub mod live;
pub mod mount;
pub mod quick_filter;
pub mod router;
pub mod selection;
mod signed_in;
mod split;
pub mod state;
pub mod zone;

pub mod components;
mod routes;

use leptos::prelude::*;
use state::{use_app, AppState};
use wasm_bindgen::JsCast;

/// Where the API lives when the app is served by its own server.
pub const DEFAULT_API_BASE: &str = "/api/v1";

#[component]
pub fn App(#[prop(optional)] options: mount::MountOptions) -> impl IntoView {
    let state = AppState::new(&options);
    provide_context(state);
    match (
        options.embed_token.clone(),
        state::take_sso_code_from_address(),
    ) {
        (Some(embed_token), _) => state.sign_in_embedded(embed_token),
        (None, Some(code)) => state.finish_sso(code, options.token.clone()),
        (None, None) => state.restore(options.token.clone()),
    }
    // A remembered or handed-over session is being checked: the app it opens is needed next.
    if state.restoring.get_untracked() {
        split::fetch_signed_in_app();
    }
    live::provide_live(state);
    components::time_ago::provide_minute();
    let router = router::provide_router(options.routing, &options.route_base);
    // Pages stay mounted while only their own part of the path changes (a folder, a view).
    let area = Memo::new(move |_| router.url.with(|url| router::Area::of(&url.path)));
    // Every time shown or picked is in the signed-in rep's own zone.
    Effect::new(move |_| {
        state
            .session
            .with(|s| zone::set_zone(s.as_ref().map(|s| s.user.time_zone.as_str())));
    });
    // Screen readers pick their voice from <html lang>: keep it in step with the UI language.
    Effect::new(move |_| {
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", state.locale.get().code());
        }
    });

    view! {
        <div class="cc-root" on:click=move |ev| router.on_click(&ev)>
            <Show when=move || state.session.with(Option::is_some) fallback=SignedOut>
                {later!(split::signed_in_app(area), split::load_signed_in_app)}
            </Show>
        </div>
    }
}

/// Before sign-in: the login form (or, on an invitation link, the form that sets a password), or
/// a quiet wait while a remembered session is checked.
#[component]
fn SignedOut() -> impl IntoView {
    let state = use_app();
    let router = router::use_router();
    let invitation = Memo::new(move |_| {
        router.url.with(|url| {
            url.path
                .strip_prefix("/invite/")
                .filter(|token| !token.is_empty() && !token.contains('/'))
                .map(str::to_owned)
        })
    });
    view! {
        <Show when=move || !state.restoring.get() fallback=move || view! {
            <p class="cc-status" role="status">{move || state.t(i18n::Msg::Loading)}</p>
        }>
            {move || match invitation.get() {
                // Only an invitation link shows it: its code is a piece of its own.
                Some(token) => later!(split::invite_page(token), split::load_invite_page),
                None => view! { <routes::login::LoginPage/> }.into_any(),
            }}
        </Show>
    }
}

/// Mounts the app into the page's `#command-center` element. A page without one is a host that
/// embeds the app itself, with `mount` (see `mount::mount`).
pub fn start() {
    console_error_panic_hook::set_once();
    let host = document()
        .get_element_by_id("command-center")
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(host) = host {
        leptos::mount::mount_to(host, move || {
            view! { <App options=mount::MountOptions::from_page()/> }
        })
        .forget();
    }
}
