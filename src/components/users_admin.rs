//! The users table: who they are, their role, team and status; for an admin, the form to add or
//! change one and each user's actions (deactivate or reactivate, a new password link, hand a
//! deactivated user's work to another).

use crate::api_client::ApiError;
use crate::components::error_banner::ErrorBanner;
use crate::components::user_form::{role_label, InvitationNotice, Saved, UserForm};
use crate::i18n::Msg;
use crate::state::use_app;
use api::endpoints::{accounts, AccountCommand};
use api::users::{Account, AccountStatus, HandOver, Invited, Team};
use api::{Role, UserId};
use leptos::prelude::*;

/// What the admin is doing with the form, if anything.
#[derive(Clone, Debug, PartialEq)]
enum Editing {
    None,
    New,
    Existing(Account),
}

/// What an admin asks of an account from its row.
#[derive(Clone, Copy, Debug, PartialEq)]
enum AccountAction {
    Command(AccountCommand),
    ResetPassword,
}

#[component]
pub fn UsersAdmin() -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let is_admin = move || {
        state
            .session
            .with(|s| s.as_ref().is_some_and(|s| s.user.role == Role::Admin))
    };
    let refresh = RwSignal::new(0u64);
    let users = LocalResource::new(move || {
        refresh.track();
        let api = state.api();
        async move {
            let users = api.call(accounts::users()).await?;
            let teams = api.call(accounts::teams()).await?;
            Ok::<_, ApiError>((users, teams))
        }
    });
    let reload = move || refresh.update(|n| *n += 1);
    let editing = RwSignal::new(Editing::None);
    let invited = RwSignal::new(None::<Invited>);
    let notice = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    let on_saved = Callback::new(move |saved: Saved| {
        editing.set(Editing::None);
        if let Saved::Invited(new) = saved {
            invited.set(Some(new));
        }
        reload();
    });
    let act = Callback::new(move |(id, action): (UserId, AccountAction)| {
        let api = state.api();
        leptos::task::spawn_local(async move {
            let done = match action {
                AccountAction::ResetPassword => api
                    .call(accounts::reset_password(id))
                    .await
                    .map(|i| invited.try_set(Some(i))),
                AccountAction::Command(command) => {
                    api.call(accounts::command(id, command)).await.map(|_| None)
                }
            };
            match done {
                Ok(_) => {
                    error.try_set(None);
                    reload();
                }
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    });
    let hand_over = Callback::new(move |(from, to): (UserId, UserId)| {
        let api = state.api();
        leptos::task::spawn_local(async move {
            match api.call(accounts::hand_over(from, &HandOver { to })).await {
                Ok(moved) => {
                    error.try_set(None);
                    let text = state
                        .t(Msg::HandedOverSummary)
                        .replace("{people}", &moved.people.to_string())
                        .replace("{merged}", &moved.people_merged.to_string())
                        .replace("{emails}", &moved.emails.to_string())
                        .replace("{tasks}", &moved.tasks.to_string())
                        .replace("{campaigns}", &moved.campaigns.to_string())
                        .replace("{templates}", &moved.templates.to_string());
                    notice.try_set(Some(text));
                    reload();
                }
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    });
    view! {
        <Show when=is_admin>
            <div class="cc-outbox-bar">
                <button type="button" class="cc-button cc-button-primary" aria-expanded=move || (editing.get() == Editing::New).to_string()
                    on:click=move |_| { invited.set(None); editing.set(Editing::New) }>{move || t(Msg::NewUser)}</button>
            </div>
            <p class="cc-hint">{move || t(Msg::DeactivatedHint)}</p>
        </Show>
        {move || invited.get().map(|invited| view! { <InvitationNotice invited=invited/> })}
        <p class="cc-note" role="status" hidden=move || notice.with(Option::is_none)>{move || notice.get()}</p>
        <p class="cc-error" role="alert" hidden=move || error.with(Option::is_none)>
            {move || error.get().map(|e| e.message(state.locale.get()))}
        </p>
        {move || match users.get() {
            None => view! { <p class="cc-status" role="status">{t(Msg::Loading)}</p> }.into_any(),
            Some(Err(e)) => view! { <ErrorBanner error=e on_retry=move |_| reload()/> }.into_any(),
            Some(Ok((users, teams))) => {
                let form = match editing.get() {
                    Editing::None => None,
                    Editing::New => Some(None),
                    Editing::Existing(account) => Some(Some(account)),
                };
                let form_teams = teams.clone();
                view! {
                    {form.map(|account| view! {
                        <UserForm account=account teams=form_teams.clone()
                            on_cancel=move |()| editing.set(Editing::None) on_saved=on_saved/>
                    })}
                    <UsersTable users=users teams=teams editing=editing on_act=act on_hand_over=hand_over/>
                }.into_any()
            }
        }}
    }
}

fn status_label(status: AccountStatus) -> Msg {
    match status {
        AccountStatus::Invited => Msg::StatusInvited,
        AccountStatus::Active => Msg::StatusActive,
        AccountStatus::Deactivated => Msg::StatusDeactivated,
    }
}

#[component]
fn UsersTable(
    users: Vec<Account>,
    teams: Vec<Team>,
    editing: RwSignal<Editing>,
    #[prop(into)] on_act: Callback<(UserId, AccountAction)>,
    #[prop(into)] on_hand_over: Callback<(UserId, UserId)>,
) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let is_admin = state
        .session
        .with_untracked(|s| s.as_ref().is_some_and(|s| s.user.role == Role::Admin));
    let me = state
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.user.id));
    let team_name = move |id: Option<api::TeamId>| {
        id.and_then(|id| teams.iter().find(|t| t.id == id).map(|t| t.name.clone()))
    };
    // Who may receive a deactivated user's work: the active users.
    let receivers: Vec<(UserId, String)> = users
        .iter()
        .filter(|u| u.status == AccountStatus::Active)
        .map(|u| (u.id, u.name.clone()))
        .collect();
    let receivers = StoredValue::new(receivers);
    view! {
        <table class="cc-table cc-users-table">
            <caption class="cc-visually-hidden">{move || t(Msg::TabUsers)}</caption>
            <thead>
                <tr>
                    <th scope="col">{move || t(Msg::ColName)}</th>
                    <th scope="col">{move || t(Msg::ColEmail)}</th>
                    <th scope="col">{move || t(Msg::ColRole)}</th>
                    <th scope="col">{move || t(Msg::ColTeam)}</th>
                    <th scope="col">{move || t(Msg::ColStatus)}</th>
                    {is_admin.then(|| view! {
                        <th scope="col"><span class="cc-visually-hidden">{move || t(Msg::ColActions)}</span></th>
                    })}
                </tr>
            </thead>
            <tbody>
                {users.into_iter().map(|user| {
                    let id = user.id;
                    let name = StoredValue::new(user.name.clone());
                    let label = move |msg| format!("{} “{}”", t(msg), name.get_value());
                    let stored = StoredValue::new(user.clone());
                    let status = user.status;
                    let team = team_name(user.team_id).unwrap_or_else(|| t(Msg::NoTeam).to_owned());
                    let actions = (is_admin && Some(id) != me).then(|| view! {
                        <td><span class="cc-inline-actions">
                            <button type="button" class="cc-button cc-small" aria-label=move || label(Msg::ActionEdit)
                                on:click=move |_| editing.set(Editing::Existing(stored.get_value()))>{move || t(Msg::ActionEdit)}</button>
                            {match status {
                                AccountStatus::Deactivated => view! {
                                    <button type="button" class="cc-button cc-small" aria-label=move || label(Msg::Reactivate)
                                        on:click=move |_| on_act.run((id, AccountAction::Command(AccountCommand::Reactivate)))>{move || t(Msg::Reactivate)}</button>
                                    <HandOverControl from=id name=name.get_value() receivers=receivers.get_value() on_hand_over=on_hand_over/>
                                }.into_any(),
                                _ => view! {
                                    <button type="button" class="cc-button cc-small" aria-label=move || label(
                                            if status == AccountStatus::Invited { Msg::ResendInvitation } else { Msg::ResetPassword })
                                        on:click=move |_| on_act.run((id, AccountAction::ResetPassword))>
                                        {move || t(if status == AccountStatus::Invited { Msg::ResendInvitation } else { Msg::ResetPassword })}
                                    </button>
                                    <button type="button" class="cc-button cc-small" aria-label=move || label(Msg::Deactivate)
                                        on:click=move |_| on_act.run((id, AccountAction::Command(AccountCommand::Deactivate)))>{move || t(Msg::Deactivate)}</button>
                                }.into_any(),
                            }}
                        </span></td>
                    });
                    let empty_cell = (is_admin && Some(id) == me).then(|| view! { <td></td> });
                    view! {
                        <tr data-status=format!("{status:?}").to_lowercase()>
                            <th scope="row">{user.name.clone()}</th>
                            <td>{user.email.clone()}</td>
                            <td>{move || t(role_label(user.role))}</td>
                            <td>{team}</td>
                            <td>{move || t(status_label(status))}</td>
                            {actions}
                            {empty_cell}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Choose who receives a deactivated user's work, then hand it over.
#[component]
fn HandOverControl(
    from: UserId,
    name: String,
    receivers: Vec<(UserId, String)>,
    #[prop(into)] on_hand_over: Callback<(UserId, UserId)>,
) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let to = RwSignal::new(None::<UserId>);
    let name = StoredValue::new(name);
    view! {
        <select class="cc-select cc-small" aria-label=move || format!("{} ({})", t(Msg::HandOverTo), name.get_value())
            on:change=move |ev| to.set(event_target_value(&ev).parse().ok())>
            <option value="">{move || t(Msg::HandOverTo)}</option>
            {receivers.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
        </select>
        <button type="button" class="cc-button cc-small" disabled=move || to.get().is_none()
            aria-label=move || format!("{} “{}”", t(Msg::HandOver), name.get_value())
            on:click=move |_| if let Some(to) = to.get_untracked() { on_hand_over.run((from, to)) }>
            {move || t(Msg::HandOver)}
        </button>
    }
}
