//! The form an admin fills to add a user (who is then sent an invitation link) or to change one:
//! email, name, role, team, time zone and language. What was typed stays when the server refuses.

use crate::api_client::ApiError;
use crate::i18n::{Locale, Msg};
use crate::state::use_app;
use api::endpoints::accounts;
use api::users::{Account, AccountInput, Invited, Team};
use api::Role;
use leptos::prelude::*;

/// Time zones offered first; any IANA name may be typed.
const COMMON_ZONES: [&str; 10] = [
    "Asia/Tokyo",
    "Asia/Singapore",
    "Asia/Kolkata",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Australia/Sydney",
    "UTC",
];

/// A time zone field: a text input with the common zones as suggestions.
#[component]
pub fn TimeZoneInput(
    value: RwSignal<String>,
    #[prop(into)] invalid: Signal<String>,
) -> impl IntoView {
    let state = use_app();
    view! {
        <label>
            <span>{move || state.t(Msg::TimeZone)}</span>
            <input type="text" class="cc-input" required list="cc-time-zones" bind:value=value aria-invalid=invalid/>
            <datalist id="cc-time-zones">
                {COMMON_ZONES.into_iter().map(|zone| view! { <option value=zone></option> }).collect_view()}
            </datalist>
        </label>
    }
}

pub fn role_label(role: Role) -> Msg {
    match role {
        Role::Rep => Msg::RoleRep,
        Role::Manager => Msg::RoleManager,
        Role::Admin => Msg::RoleAdmin,
    }
}

const ROLES: [Role; 3] = [Role::Rep, Role::Manager, Role::Admin];

/// What saving the form gave: a changed user, or a new one with their invitation.
#[derive(Clone, Debug)]
pub enum Saved {
    Changed(Account),
    Invited(Invited),
}

#[component]
pub fn UserForm(
    account: Option<Account>,
    teams: Vec<Team>,
    #[prop(into)] on_cancel: Callback<()>,
    #[prop(into)] on_saved: Callback<Saved>,
) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let id = account.as_ref().map(|a| a.id);
    let field = |get: fn(&Account) -> String, default: String| {
        RwSignal::new(account.as_ref().map(get).unwrap_or(default))
    };
    let email = field(|a| a.email.clone(), String::new());
    let name = field(|a| a.name.clone(), String::new());
    let time_zone = field(|a| a.time_zone.clone(), "Asia/Tokyo".to_owned());
    let locale = field(
        |a| a.locale.clone(),
        state.locale.get_untracked().code().to_owned(),
    );
    let role = RwSignal::new(account.as_ref().map_or(Role::Rep, |a| a.role));
    let team = RwSignal::new(account.as_ref().and_then(|a| a.team_id));
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = AccountInput {
            email: email.get_untracked(),
            name: name.get_untracked(),
            role: role.get_untracked(),
            team_id: team.get_untracked(),
            time_zone: time_zone.get_untracked(),
            locale: locale.get_untracked(),
        };
        pending.set(true);
        let api = state.api();
        leptos::task::spawn_local(async move {
            let saved = match id {
                Some(id) => api
                    .call(accounts::update(id, &input))
                    .await
                    .map(Saved::Changed),
                None => api.call(accounts::invite(&input)).await.map(Saved::Invited),
            };
            pending.try_set(false);
            match saved {
                Ok(saved) => {
                    error.try_set(None);
                    on_saved.run(saved);
                }
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    };
    let invalid = move |field: &'static str| {
        Signal::derive(move || {
            error.with(|e| match e {
                Some(ApiError::Problem { field: Some(f), .. }) => (f == field).to_string(),
                _ => "false".to_owned(),
            })
        })
    };
    let title = if id.is_some() {
        Msg::EditUser
    } else {
        Msg::NewUser
    };
    view! {
        <form class="cc-step-form cc-user-form" on:submit=save aria-label=move || t(title) novalidate>
            <h2>{move || t(title)}</h2>
            <label>
                <span>{move || t(Msg::ColName)}</span>
                <input type="text" class="cc-input" required maxlength="100" bind:value=name aria-invalid=invalid("name")/>
            </label>
            <label>
                <span>{move || t(Msg::ColEmail)}</span>
                <input type="email" class="cc-input" required bind:value=email aria-invalid=invalid("email")/>
            </label>
            <label>
                <span>{move || t(Msg::ColRole)}</span>
                <select class="cc-select" prop:value=move || role.get().as_str()
                    on:change=move |ev| role.set(event_target_value(&ev).parse::<Role>().unwrap_or(Role::Rep))>
                    {ROLES.into_iter().map(|r| view! { <option value=r.as_str()>{move || t(role_label(r))}</option> }).collect_view()}
                </select>
            </label>
            <label>
                <span>{move || t(Msg::ColTeam)}</span>
                <select class="cc-select" aria-invalid=invalid("team_id")
                    prop:value=move || team.get().map(|t| t.to_string()).unwrap_or_default()
                    on:change=move |ev| team.set(event_target_value(&ev).parse().ok())>
                    <option value="">{move || t(Msg::NoTeam)}</option>
                    {teams.into_iter().map(|team| view! { <option value=team.id.to_string()>{team.name}</option> }).collect_view()}
                </select>
            </label>
            <TimeZoneInput value=time_zone invalid=invalid("time_zone")/>
            <label>
                <span>{move || t(Msg::LanguageField)}</span>
                <select class="cc-select" prop:value=move || locale.get()
                    on:change=move |ev| locale.set(event_target_value(&ev))>
                    {Locale::ALL.into_iter().map(|l| view! { <option value=l.code()>{l.endonym()}</option> }).collect_view()}
                </select>
            </label>
            <p class="cc-error" role="alert" hidden=move || error.with(Option::is_none)>
                {move || error.get().map(|e| e.message(state.locale.get()))}
            </p>
            <div class="cc-form-actions">
                <button type="submit" class="cc-button cc-button-primary" disabled=move || pending.get()>
                    {move || if id.is_some() { t(Msg::SaveUser) } else { t(Msg::CreateUser) }}
                </button>
                <button type="button" class="cc-button" on:click=move |_| on_cancel.run(())>{move || t(Msg::Cancel)}</button>
            </div>
        </form>
    }
}

/// A link that sets a password, shown once to the admin who issued it, with whether it was
/// emailed and a button that copies it.
#[component]
pub fn InvitationNotice(invited: Invited) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let copied = RwSignal::new(false);
    let link = invited.link.clone();
    let copy = move |_| {
        let clipboard = window().navigator().clipboard();
        let _ = clipboard.write_text(&link);
        copied.set(true);
    };
    let email = invited.account.email.clone();
    let emailed = invited.emailed;
    view! {
        <div class="cc-note cc-invitation" role="status">
            <p>
                {move || if emailed {
                    t(Msg::InvitationEmailed).replace("{email}", &email)
                } else {
                    t(Msg::InvitationNotEmailed).to_owned()
                }}
            </p>
            <label class="cc-wide">
                <span>{move || t(Msg::InvitationLink)}</span>
                <input type="text" class="cc-input cc-invitation-link" readonly prop:value=invited.link.clone()/>
            </label>
            <button type="button" class="cc-button cc-small" on:click=copy>
                {move || if copied.get() { t(Msg::Copied) } else { t(Msg::CopyLink) }}
            </button>
        </div>
    }
}
