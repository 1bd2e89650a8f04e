//! The audit log for an admin: who did what, to whom, when and from where, newest first, one
//! action at a time if asked, older pages on request.

use crate::api_client::ApiError;
use crate::i18n::Msg;
use crate::state::use_app;
use api::endpoints::accounts;
use api::users::{AuditAction, AuditEvent};
use leptos::prelude::*;

fn action_label(action: AuditAction) -> Msg {
    match action {
        AuditAction::SignedIn => Msg::AuditSignedIn,
        AuditAction::SignInFailed => Msg::AuditSignInFailed,
        AuditAction::UserCreated => Msg::AuditUserCreated,
        AuditAction::UserChanged => Msg::AuditUserChanged,
        AuditAction::UserDeactivated => Msg::AuditUserDeactivated,
        AuditAction::UserReactivated => Msg::AuditUserReactivated,
        AuditAction::PasswordReset => Msg::AuditPasswordReset,
        AuditAction::PasswordSet => Msg::AuditPasswordSet,
        AuditAction::PasswordChanged => Msg::AuditPasswordChanged,
        AuditAction::ProfileChanged => Msg::AuditProfileChanged,
        AuditAction::HandedOver => Msg::AuditHandedOver,
        AuditAction::TeamChanged => Msg::AuditTeamChanged,
        AuditAction::ViewedAs => Msg::AuditViewedAs,
        AuditAction::Exported => Msg::AuditExported,
    }
}

#[component]
pub fn AuditLog() -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let action = RwSignal::new(None::<AuditAction>);
    // The pages read so far for the chosen action; "Show older" appends the next.
    let events = RwSignal::new(Vec::<AuditEvent>::new());
    let next = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    let loading = RwSignal::new(false);
    let load = move |before: Option<String>| {
        let api = state.api();
        let call = accounts::audit(action.get_untracked(), before.as_deref());
        loading.set(true);
        leptos::task::spawn_local(async move {
            let page = api.call(call).await;
            loading.try_set(false);
            match page {
                Ok(page) => {
                    error.try_set(None);
                    events.try_update(|shown| {
                        if before.is_none() {
                            shown.clear();
                        }
                        shown.extend(page.events);
                    });
                    next.try_set(page.next);
                }
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    };
    Effect::new(move |_| {
        action.track();
        load(None);
    });
    view! {
        <div class="cc-table-tools">
            <label class="cc-filter">
                <span>{move || t(Msg::FilterByAction)}</span>
                <select class="cc-select" on:change=move |ev| action.set(event_target_value(&ev).parse::<AuditAction>().ok())>
                    <option value="">{move || t(Msg::AllActions)}</option>
                    {AuditAction::ALL.into_iter().map(|a| view! { <option value=a.as_str()>{move || t(action_label(a))}</option> }).collect_view()}
                </select>
            </label>
        </div>
        <p class="cc-error" role="alert" hidden=move || error.with(Option::is_none)>
            {move || error.get().map(|e| e.message(state.locale.get()))}
        </p>
        <p class="cc-empty" hidden=move || loading.get() || events.with(|e| !e.is_empty())>{move || t(Msg::NoAuditEvents)}</p>
        <table class="cc-table cc-audit-table" hidden=move || events.with(Vec::is_empty)>
            <caption class="cc-visually-hidden">{move || t(Msg::TabAudit)}</caption>
            <thead>
                <tr>
                    <th scope="col">{move || t(Msg::ColWhen)}</th>
                    <th scope="col">{move || t(Msg::ColAction)}</th>
                    <th scope="col">{move || t(Msg::ColActor)}</th>
                    <th scope="col">{move || t(Msg::ColSubjectUser)}</th>
                    <th scope="col">{move || t(Msg::ColAddress)}</th>
                    <th scope="col">{move || t(Msg::ColDetail)}</th>
                </tr>
            </thead>
            <tbody>
                <For each=move || events.get() key=|e| e.id let:event>
                    <tr data-action=event.action.as_str()>
                        <td>{move || state.locale.get().date_time(event.at)}</td>
                        <th scope="row">{move || t(action_label(event.action))}</th>
                        <td>{event.actor.clone().unwrap_or_else(|| "—".to_owned())}</td>
                        <td>{event.subject.clone().unwrap_or_default()}</td>
                        <td>{event.address.clone().unwrap_or_default()}</td>
                        <td>
                            {event.detail.clone()}
                            {(event.repeats > 1).then(|| {
                                let n = event.repeats.to_string();
                                view! { " " <span class="cc-hint">{move || t(Msg::AuditRepeats).replace("{n}", &n)}</span> }
                            })}
                        </td>
                    </tr>
                </For>
            </tbody>
        </table>
        <Show when=move || next.with(Option::is_some)>
            <button type="button" class="cc-button" disabled=move || loading.get()
                on:click=move |_| load(next.get_untracked())>{move || t(Msg::ShowOlder)}</button>
        </Show>
    }
}
