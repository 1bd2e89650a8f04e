//! The rep's own mailbox in Settings: where replies to their emails arrive when they send through
//! their company's mail server. Saving makes the server sign in to it first, so a wrong password
//! or folder is said at once against its field; the password is never shown again (left empty,
//! the kept one stays). Below the form, how reading it goes.

use crate::components::form_outcome::{invalid, outcome_view, Outcome};
use crate::components::time_ago::TimeAgo;
use crate::i18n::Msg;
use crate::state::use_app;
use api::endpoints::accounts;
use api::users::{MailboxSettings, MailboxStatus};
use leptos::prelude::*;

const TLS_PORT: &str = "993";
const PLAIN_PORT: &str = "143";

#[component]
pub fn MailboxForm() -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let refresh = RwSignal::new(0u64);
    let kept = LocalResource::new(move || {
        refresh.track();
        let api = state.api();
        async move { api.call(accounts::my_mailbox()).await }
    });
    let host = RwSignal::new(String::new());
    let port = RwSignal::new(TLS_PORT.to_owned());
    let tls = RwSignal::new(true);
    let user = RwSignal::new(
        state
            .session
            .with_untracked(|s| s.as_ref().map(|s| s.user.email.clone()))
            .unwrap_or_default(),
    );
    let password = RwSignal::new(String::new());
    let folder = RwSignal::new("INBOX".to_owned());
    let is_kept = Signal::derive(move || matches!(kept.get(), Some(Ok(Some(_)))));
    // The fields follow what is kept each time it is read (after a save, too).
    Effect::new(move |_| {
        if let Some(Ok(Some(status))) = kept.get() {
            host.set(status.host);
            port.set(status.port.to_string());
            tls.set(status.tls);
            user.set(status.user);
            folder.set(status.mailbox);
        }
    });
    let outcome = RwSignal::new(None::<Outcome>);
    let pending = RwSignal::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(port_number) = port.get_untracked().trim().parse::<u16>() else {
            outcome.set(Some(Outcome::Refused {
                field: Some("port".to_owned()),
                message: t(Msg::MailboxPortInvalid).to_owned(),
            }));
            return;
        };
        let settings = MailboxSettings {
            host: host.get_untracked(),
            port: port_number,
            tls: tls.get_untracked(),
            user: user.get_untracked(),
            password: Some(password.get_untracked()).filter(|p| !p.is_empty()),
            mailbox: folder.get_untracked(),
        };
        pending.set(true);
        outcome.set(None);
        let api = state.api();
        leptos::task::spawn_local(async move {
            let saved = api.call(accounts::set_my_mailbox(&settings)).await;
            pending.try_set(false);
            match saved {
                Ok(_) => {
                    password.try_set(String::new());
                    outcome.try_set(Some(Outcome::Done(Msg::MailboxSaved)));
                    refresh.try_update(|n| *n += 1);
                }
                Err(e) => {
                    outcome.try_set(Some(Outcome::refused(e, state.locale.get_untracked())));
                }
            }
        });
    };
    let remove = move |_| {
        pending.set(true);
        let api = state.api();
        leptos::task::spawn_local(async move {
            let removed = api.call(accounts::remove_my_mailbox()).await;
            pending.try_set(false);
            match removed {
                Ok(()) => {
                    password.try_set(String::new());
                    outcome.try_set(Some(Outcome::Done(Msg::MailboxRemoved)));
                    refresh.try_update(|n| *n += 1);
                }
                Err(e) => {
                    outcome.try_set(Some(Outcome::refused(e, state.locale.get_untracked())));
                }
            }
        });
    };
    // Switching TLS moves the port with it while it is one of the usual two.
    let set_tls = move |on: bool| {
        tls.set(on);
        port.update(|p| match (on, p.as_str()) {
            (true, PLAIN_PORT) => *p = TLS_PORT.to_owned(),
            (false, TLS_PORT) => *p = PLAIN_PORT.to_owned(),
            _ => {}
        });
    };
    view! {
        <form class="cc-step-form cc-mailbox-form" on:submit=save aria-labelledby="cc-mailbox-title">
            <h2 id="cc-mailbox-title">{move || t(Msg::MailboxTitle)}</h2>
            <p class="cc-hint">{move || t(Msg::MailboxIntro)}</p>
            <ReadingStatus kept=kept/>
            <label>
                <span>{move || t(Msg::MailboxHost)}</span>
                <input type="text" class="cc-input" required maxlength="253" placeholder="imap.example.com"
                    autocomplete="off" spellcheck="false" bind:value=host aria-invalid=invalid(outcome, "host")/>
            </label>
            <label>
                <span>{move || t(Msg::MailboxPort)}</span>
                <input type="number" class="cc-input" required min="1" max="65535"
                    bind:value=port aria-invalid=invalid(outcome, "port")/>
            </label>
            <label class="cc-check">
                <input type="checkbox" prop:checked=move || tls.get()
                    on:change=move |ev| set_tls(event_target_checked(&ev))/>
                <span>{move || t(Msg::MailboxTls)}</span>
            </label>
            <label>
                <span>{move || t(Msg::MailboxUser)}</span>
                <input type="text" class="cc-input" required maxlength="320" autocomplete="username"
                    spellcheck="false" bind:value=user aria-invalid=invalid(outcome, "user")/>
            </label>
            <label>
                <span>{move || t(Msg::MailboxPassword)}</span>
                <input type="password" class="cc-input" autocomplete="off" bind:value=password
                    required=move || !is_kept.get()
                    placeholder=move || if is_kept.get() { t(Msg::MailboxPasswordKept) } else { "" }
                    aria-invalid=invalid(outcome, "password")/>
            </label>
            <label>
                <span>{move || t(Msg::MailboxFolder)}</span>
                <input type="text" class="cc-input" maxlength="200" placeholder="INBOX"
                    bind:value=folder aria-invalid=invalid(outcome, "mailbox")/>
            </label>
            <p class="cc-status" role="status" hidden=move || !pending.get()>{move || t(Msg::MailboxChecking)}</p>
            {outcome_view(outcome)}
            <div class="cc-form-actions">
                <button type="submit" class="cc-button cc-button-primary" disabled=move || pending.get()>
                    {move || t(Msg::SaveMailbox)}
                </button>
                <Show when=move || is_kept.get()>
                    <button type="button" class="cc-button" disabled=move || pending.get() on:click=remove>
                        {move || t(Msg::RemoveMailbox)}
                    </button>
                </Show>
            </div>
        </form>
    }
}

/// How reading the kept mailbox goes: last read, not yet, or what stopped it.
#[component]
fn ReadingStatus(
    kept: LocalResource<Result<Option<MailboxStatus>, crate::api_client::ApiError>>,
) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    move || match kept.get() {
        Some(Ok(Some(status))) => {
            let reading = t(Msg::MailboxReading).replace("{user}", &status.user);
            let how = match (status.error, status.read_at) {
                (Some(error), _) => view! {
                    <span class="cc-error">{t(Msg::MailboxError).replace("{error}", &error)}</span>
                }
                .into_any(),
                (None, Some(at)) => view! {
                    <span>{t(Msg::MailboxLastRead)} " " <TimeAgo at=at/></span>
                }
                .into_any(),
                (None, None) => view! { <span>{t(Msg::MailboxNotReadYet)}</span> }.into_any(),
            };
            view! { <p class="cc-wide">{reading} " " {how}</p> }.into_any()
        }
        Some(Ok(None)) => view! { <p class="cc-wide">{t(Msg::MailboxNone)}</p> }.into_any(),
        Some(Err(e)) => {
            view! { <p class="cc-error" role="alert">{e.message(state.locale.get())}</p> }
                .into_any()
        }
        None => ().into_any(),
    }
}
