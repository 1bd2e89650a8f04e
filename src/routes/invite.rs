//! An invitation (or password reset) link, `/invite/{token}`: whom it is for, and the form that
//! sets their password and signs them in.

use crate::i18n::Msg;
use crate::router::use_router;
use crate::state::{use_app, Session};
use api::endpoints::accounts;
use api::users::{InvitationInfo, SetPassword};
use leptos::prelude::*;

#[component]
pub fn InvitePage(token: String) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let token = StoredValue::new(token);
    let info = LocalResource::new(move || {
        let api = state.api();
        let call = accounts::invitation(&token.get_value());
        async move { api.call(call).await }
    });
    view! {
        <main class="cc-login">
            <div class="cc-login-form">
                <h1>{move || t(Msg::InviteTitle)}</h1>
                {move || match info.get() {
                    None => view! { <p class="cc-status" role="status">{t(Msg::Loading)}</p> }.into_any(),
                    Some(Err(_)) => view! { <InvalidLink/> }.into_any(),
                    Some(Ok(info)) => view! { <PasswordForm info=info token=token.get_value()/> }.into_any(),
                }}
            </div>
        </main>
    }
}

#[component]
fn InvalidLink() -> impl IntoView {
    let state = use_app();
    let router = use_router();
    view! {
        <p class="cc-error" role="alert">{move || state.t(Msg::InviteInvalid)}</p>
        <a class="cc-button" href=router.href("/")>{move || state.t(Msg::GoToSignIn)}</a>
    }
}

#[component]
fn PasswordForm(info: InvitationInfo, token: String) -> impl IntoView {
    let state = use_app();
    let router = use_router();
    let t = move |msg| state.t(msg);
    let password = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let token = StoredValue::new(token);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if password.get_untracked() != again.get_untracked() {
            error.set(Some(t(Msg::PasswordsDiffer).to_owned()));
            return;
        }
        pending.set(true);
        let api = state.api();
        let body = SetPassword {
            password: password.get_untracked(),
        };
        let call = accounts::accept_invitation(&token.get_value(), &body);
        leptos::task::spawn_local(async move {
            let answer = api.call(call).await;
            pending.try_set(false);
            match answer {
                Ok(response) => {
                    state.signed_in(Session {
                        token: response.token,
                        user: response.user,
                    });
                    router.navigate("/emails/delivered");
                }
                Err(e) => {
                    error.try_set(Some(e.message(state.locale.get_untracked())));
                }
            }
        });
    };
    let welcome = move || {
        t(Msg::InviteWelcome)
            .replace("{name}", &info.name)
            .replace("{email}", &info.email)
    };
    let invalid = move || error.with(Option::is_some).to_string();
    view! {
        <form on:submit=submit>
            <p>{welcome}</p>
            <label class="cc-field">
                <span>{move || t(Msg::NewPassword)}</span>
                <input type="password" autocomplete="new-password" required minlength=api::users::MIN_PASSWORD_CHARS
                    bind:value=password aria-invalid=invalid/>
            </label>
            <label class="cc-field">
                <span>{move || t(Msg::ConfirmPassword)}</span>
                <input type="password" autocomplete="new-password" required bind:value=again aria-invalid=invalid/>
            </label>
            <p class="cc-error" role="alert" hidden=move || error.with(Option::is_none)>{move || error.get()}</p>
            <button type="submit" class="cc-button cc-button-primary" disabled=move || pending.get()>
                {move || t(Msg::SetPasswordAndSignIn)}
            </button>
        </form>
    }
}
