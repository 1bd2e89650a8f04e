use crate::api_client::ApiError;
use crate::i18n::{Locale, Msg};
use crate::state::{use_app, Session};
use api::{AuthMethods, LoginRequest};
use leptos::prelude::*;

/// Email and password for a session. Shown in place of any page, so a deep link survives sign-in.
#[component]
pub fn LoginPage() -> impl IntoView {
    let state = use_app();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        let request = LoginRequest {
            email: email.get_untracked(),
            password: password.get_untracked(),
        };
        crate::split::fetch_signed_in_app();
        let api = state.api();
        leptos::task::spawn_local(async move {
            match api.call(api::endpoints::accounts::sign_in(&request)).await {
                Ok(response) => state.signed_in(Session {
                    token: response.token,
                    user: response.user,
                }),
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };
    let error_text = move || {
        error.get().map(|e| match e {
            ApiError::Problem { status: 401, .. } => state.t(Msg::ErrorCredentials).to_owned(),
            other => other.message(state.locale.get()),
        })
    };

    // How this server lets users in: a password, an identity provider, or both.
    let methods = LocalResource::new(move || {
        let api = state.api();
        async move {
            api.call(api::endpoints::accounts::auth_methods())
                .await
                .ok()
        }
    });
    let offers =
        move |pick: fn(&AuthMethods) -> bool| methods.get().flatten().as_ref().is_some_and(pick);
    let password_offered = move || methods.get().flatten().is_none_or(|m| m.password);
    // Back from the identity provider without a session.
    let sso_refused = crate::router::use_router()
        .url
        .with_untracked(|url| url.query_param("sign_in_error").is_some());
    // Single sign-on is begun by this tab, so that only this tab can finish it.
    let sso_pending = RwSignal::new(false);
    let sso_error = RwSignal::new(None::<ApiError>);
    let router = crate::router::use_router();
    let begin_sso = move |_| {
        if sso_pending.get_untracked() {
            return;
        }
        sso_pending.set(true);
        sso_error.set(None);
        let here = router.url.with_untracked(|url| url.path.clone());
        leptos::task::spawn_local(async move {
            // On success the browser is on its way to the provider: the button stays busy.
            if let Err(e) = state.begin_sso(here).await {
                sso_error.set(Some(e));
                sso_pending.set(false);
            }
        });
    };

    view! {
        <main class="cc-login">
            <div class="cc-login-form">
                <h1>{move || state.t(Msg::SignInTitle)}</h1>
                <p class="cc-error" role="alert" hidden=move || state.sign_in_refused.with(Option::is_none)>
                    {move || state.sign_in_refused.get()}
                </p>
                {sso_refused.then(|| view! { <p class="cc-error" role="alert">{move || state.t(Msg::SsoRefused)}</p> })}
                <Show when=move || offers(|m| m.oidc)>
                    <button type="button" class="cc-button cc-button-primary cc-sso"
                        disabled=move || sso_pending.get() on:click=begin_sso>
                        {move || state.t(Msg::SignInWithSso)}
                    </button>
                    <p class="cc-error" role="alert" hidden=move || sso_error.with(Option::is_none)>
                        {move || sso_error.get().map(|e| e.message(state.locale.get()))}
                    </p>
                </Show>
                <Show when=password_offered>
                    <form on:submit=submit novalidate>
                        <label class="cc-field">
                            <span>{move || state.t(Msg::Email)}</span>
                            <input type="email" name="email" autocomplete="username" required
                                bind:value=email/>
                        </label>
                        <label class="cc-field">
                            <span>{move || state.t(Msg::Password)}</span>
                            <input type="password" name="password" autocomplete="current-password" required
                                bind:value=password/>
                        </label>
                        <p class="cc-error" role="alert" hidden=move || error.with(Option::is_none)>{error_text}</p>
                        <button type="submit" class="cc-button cc-button-primary" disabled=move || pending.get()>
                            {move || state.t(if pending.get() { Msg::SigningIn } else { Msg::SignIn })}
                        </button>
                        <p class="cc-hint">{move || state.t(Msg::DemoHint)}</p>
                    </form>
                </Show>
                <LocaleSwitch/>
            </div>
        </main>
    }
}

/// The language choice on the login screen, where the header is not shown yet.
#[component]
fn LocaleSwitch() -> impl IntoView {
    let state = use_app();
    view! {
        <div class="cc-locale-buttons" role="group" aria-label=move || state.t(Msg::Language)>
            {Locale::ALL
                .into_iter()
                .map(|locale| view! {
                    <button type="button" class="cc-link-button" lang=locale.code()
                        aria-pressed=move || (state.locale.get() == locale).to_string()
                        on:click=move |_| state.set_locale(locale)>
                        {locale.endonym()}
                    </button>
                })
                .collect_view()}
        </div>
    }
}
