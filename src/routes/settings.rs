//! The user's own account (`/settings`): their name, time zone and language, their password,
//! and the mailbox where replies to them arrive.

use crate::components::form_outcome::{invalid, outcome_view, Outcome};
use crate::components::mailbox_form::MailboxForm;
use crate::components::user_form::TimeZoneInput;
use crate::i18n::{Locale, Msg};
use crate::state::use_app;
use api::users::{PasswordChange, Profile};
use leptos::prelude::*;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let state = use_app();
    view! {
        <section class="cc-page cc-settings">
            <h1 class="cc-page-title">{move || state.t(Msg::SettingsTitle)}</h1>
            <ProfileForm/>
            <PasswordForm/>
            <MailboxForm/>
        </section>
    }
}

#[component]
fn ProfileForm() -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let user = state
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.user.clone()));
    let name = RwSignal::new(user.as_ref().map(|u| u.name.clone()).unwrap_or_default());
    let time_zone = RwSignal::new(
        user.as_ref()
            .map(|u| u.time_zone.clone())
            .unwrap_or_default(),
    );
    let locale = RwSignal::new(user.as_ref().map(|u| u.locale.clone()).unwrap_or_default());
    let outcome = RwSignal::new(None::<Outcome>);
    let pending = RwSignal::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let profile = Profile {
            name: name.get_untracked(),
            time_zone: time_zone.get_untracked(),
            locale: locale.get_untracked(),
        };
        pending.set(true);
        let api = state.api();
        leptos::task::spawn_local(async move {
            let saved = api
                .call(api::endpoints::accounts::change_profile(&profile))
                .await;
            pending.try_set(false);
            match saved {
                Ok(user) => {
                    state.set_locale(Locale::from_tag(&user.locale));
                    state.session.update(|s| {
                        if let Some(s) = s {
                            s.user = user;
                        }
                    });
                    outcome.try_set(Some(Outcome::Done(Msg::ProfileSaved)));
                }
                Err(e) => {
                    outcome.try_set(Some(Outcome::refused(e, state.locale.get_untracked())));
                }
            }
        });
    };
    view! {
        <form class="cc-step-form cc-profile-form" on:submit=save aria-labelledby="cc-profile-title">
            <h2 id="cc-profile-title">{move || t(Msg::ProfileTitle)}</h2>
            <label>
                <span>{move || t(Msg::ColName)}</span>
                <input type="text" class="cc-input" required maxlength="100" autocomplete="name"
                    bind:value=name aria-invalid=invalid(outcome, "name")/>
            </label>
            <TimeZoneInput value=time_zone invalid=Signal::derive(invalid(outcome, "time_zone"))/>
            <label>
                <span>{move || t(Msg::LanguageField)}</span>
                <select class="cc-select" prop:value=move || locale.get()
                    on:change=move |ev| locale.set(event_target_value(&ev))>
                    {Locale::ALL.into_iter().map(|l| view! { <option value=l.code()>{l.endonym()}</option> }).collect_view()}
                </select>
            </label>
            {outcome_view(outcome)}
            <div class="cc-form-actions">
                <button type="submit" class="cc-button cc-button-primary" disabled=move || pending.get()>
                    {move || t(Msg::SaveProfile)}
                </button>
            </div>
        </form>
    }
}

#[component]
fn PasswordForm() -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Outcome>);
    let pending = RwSignal::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if new.get_untracked() != again.get_untracked() {
            outcome.set(Some(Outcome::Refused {
                field: Some("again".to_owned()),
                message: t(Msg::PasswordsDiffer).to_owned(),
            }));
            return;
        }
        let change = PasswordChange {
            current: current.get_untracked(),
            new: new.get_untracked(),
        };
        pending.set(true);
        let api = state.api();
        leptos::task::spawn_local(async move {
            let changed = api
                .call(api::endpoints::accounts::change_password(&change))
                .await;
            pending.try_set(false);
            match changed {
                Ok(()) => {
                    for field in [current, new, again] {
                        field.try_set(String::new());
                    }
                    outcome.try_set(Some(Outcome::Done(Msg::PasswordChanged)));
                }
                Err(e) => {
                    outcome.try_set(Some(Outcome::refused(e, state.locale.get_untracked())));
                }
            }
        });
    };
    view! {
        <form class="cc-step-form cc-password-form" on:submit=save aria-labelledby="cc-password-title">
            <h2 id="cc-password-title">{move || t(Msg::ChangePasswordTitle)}</h2>
            <label>
                <span>{move || t(Msg::CurrentPassword)}</span>
                <input type="password" class="cc-input" required autocomplete="current-password"
                    bind:value=current aria-invalid=invalid(outcome, "current")/>
            </label>
            <label>
                <span>{move || t(Msg::NewPassword)}</span>
                <input type="password" class="cc-input" required autocomplete="new-password"
                    minlength=api::users::MIN_PASSWORD_CHARS bind:value=new aria-invalid=invalid(outcome, "new")/>
            </label>
            <label>
                <span>{move || t(Msg::ConfirmPassword)}</span>
                <input type="password" class="cc-input" required autocomplete="new-password"
                    bind:value=again aria-invalid=invalid(outcome, "again")/>
            </label>
            {outcome_view(outcome)}
            <div class="cc-form-actions">
                <button type="submit" class="cc-button cc-button-primary" disabled=move || pending.get()>
                    {move || t(Msg::ChangePassword)}
                </button>
            </div>
        </form>
    }
}
