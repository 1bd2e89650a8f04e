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
    let sso_href = move || {
        let here = crate::router::use_router()
            .url
            .with_untracked(|url| url.path.clone());
        let encoded: String = js_sys::encode_uri_component(&here).into();
        format!(
            "{}/auth/oidc/start?return_to={encoded}",
            state.api_base.get_value()
        )
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
                    <a class="cc-button cc-button-primary cc-sso" rel="external" href=sso_href>{move || state.t(Msg::SignInWithSso)}</a>
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
