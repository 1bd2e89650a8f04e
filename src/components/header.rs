use crate::i18n::{Locale, Msg};
use crate::router::use_router;
use crate::state::use_app;
use api::Role;
use leptos::prelude::*;

/// The bar above every signed-in view: the areas, the language switch, who is signed in.
#[component]
pub fn Header() -> impl IntoView {
    let state = use_app();
    let router = use_router();
    let nav_link = move |href: &'static str, area: &'static str, label: Msg| {
        let current = move || {
            router
                .url
                .with(|url| url.path.starts_with(area))
                .then_some("page")
        };
        view! {
            <a class="cc-nav-link" href=router.href(href) aria-current=current>{move || state.t(label)}</a>
        }
    };
    // The session ends here whatever the server says: a rep who asks to leave, leaves.
    let sign_out = move |everywhere: bool| {
        let api = state.api();
        let call = if everywhere {
            api::endpoints::accounts::sign_out_everywhere()
        } else {
            api::endpoints::accounts::sign_out()
        };
        leptos::task::spawn_local(async move {
            let _ = api.call(call).await;
            state.signed_out();
        });
    };
    let on_locale =
        move |ev: leptos::ev::Event| state.set_locale(Locale::from_tag(&event_target_value(&ev)));

    view! {
        <header class="cc-header">
            <span class="cc-brand">{move || state.t(Msg::AppName)}</span>
            <nav class="cc-nav" aria-label=move || state.t(Msg::MainNavigation)>
                {nav_link("/emails/delivered", "/emails", Msg::NavEmails)}
                {nav_link("/tasks/today", "/tasks", Msg::NavTasks)}
                {nav_link("/people", "/people", Msg::NavPeople)}
                {nav_link("/campaigns", "/campaigns", Msg::NavCampaigns)}
                {nav_link("/templates", "/templates", Msg::NavTemplates)}
                {nav_link("/search", "/search", Msg::NavSearch)}
                // Admins manage users and teams; a manager sees their team.
                {move || match state.session.with(|s| s.as_ref().map(|s| s.user.role)) {
                    Some(Role::Admin) => Some(nav_link("/admin/users", "/admin", Msg::NavAdmin)),
                    Some(Role::Manager) => Some(nav_link("/admin/users", "/admin", Msg::NavTeam)),
                    _ => None,
                }}
            </nav>
            <div class="cc-header-end">
                <crate::components::view_as::ViewAsPicker/>
                <label class="cc-locale">
                    <span class="cc-visually-hidden">{move || state.t(Msg::Language)}</span>
                    <select class="cc-select" on:change=on_locale prop:value=move || state.locale.get().code()>
                        {Locale::ALL
                            .into_iter()
                            .map(|locale| view! { <option value=locale.code()>{locale.endonym()}</option> })
                            .collect_view()}
                    </select>
                </label>
                {move || {
                    let name = state.session.with(|s| s.as_ref().map(|s| s.user.name.clone())).unwrap_or_default();
                    // Embedded, the account is the host's to manage.
                    if state.hosted.get_value() {
                        view! { <span class="cc-user">{name}</span> }.into_any()
                    } else {
                        let label = state.t(Msg::AccountLink).replace("{name}", &name);
                        view! {
                            <a class="cc-user cc-nav-link" href=router.href("/settings") aria-label=label
                                aria-current=move || router.url.with(|u| u.path == "/settings").then_some("page")>{name}</a>
                        }.into_any()
                    }
                }}
                // Embedded with the host's token, the session is the host's to end.
                <Show when=move || !state.hosted.get_value()>
                    <button type="button" class="cc-button" on:click=move |_| sign_out(false)>{move || state.t(Msg::SignOut)}</button>
                    // Every session of the rep, on every device: for a lost laptop or a shared computer.
                    <button type="button" class="cc-button cc-small" on:click=move |_| sign_out(true)>
                        {move || state.t(Msg::SignOutEverywhere)}
                    </button>
                </Show>
            </div>
        </header>
    }
}
