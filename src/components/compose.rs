//! Compose a new email (send now, schedule, or save as the rep's one draft), or edit a draft or a
//! scheduled one. What is typed survives a failed save and an accidental close: a new email's
//! fields are kept in local storage until it is sent or saved.

use crate::api_client::ApiError;
use crate::components::combobox::{Combobox, Suggestion};
use crate::components::error_banner::ErrorBanner;
use crate::components::modal::Modal;
use crate::compose_text::{html_to_text, parse_local_input, text_to_html, to_local_input};
use crate::i18n::Msg;
use crate::state::use_app;
use api::endpoints::emails;
use api::merge::{self, MergeValues};
use api::EmailAction;
use api::{ActionRequest, EmailDetail, EmailPatch, EmailStatus, NewEmail, PersonRef};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Where unsaved typing is kept: one slot for a new email, one per email being edited.
fn unsent_key(editing: Option<api::Id>) -> String {
    match editing {
        None => "cc.compose.unsent".to_owned(),
        Some(id) => format!("cc.compose.unsent.{id}"),
    }
}

/// Reads the saved email with this id, then opens it for editing; one that cannot be read is
/// said so in the dialog, with Try again. (The list has only its summary: reading the email here
/// keeps its reader out of the list's download.)
#[component]
pub fn EditSavedDialog(id: api::Id, #[prop(into)] on_close: Callback<()>) -> impl IntoView {
    let state = use_app();
    let attempt = RwSignal::new(0u32);
    let email = LocalResource::new(move || {
        attempt.track();
        let api = state.api();
        async move { api.call(api::endpoints::emails::one(id)).await }
    });
    let title = Signal::derive(move || state.t(Msg::EditTitle).to_owned());
    // While the email is read, or when it cannot be, the dialog the rep opened says so.
    let in_dialog = move |body: AnyView| {
        view! { <Modal id="cc-compose" title=title on_close=on_close>{body}</Modal> }.into_any()
    };
    move || match email.get() {
        Some(Ok(email)) => {
            view! { <ComposeDialog mode=ComposeMode::Edit(Box::new(email)) on_close=on_close/> }
                .into_any()
        }
        Some(Err(error)) => in_dialog(
            view! { <ErrorBanner error=error on_retry=move |_| attempt.update(|n| *n += 1)/> }
                .into_any(),
        ),
        None => in_dialog(
            view! { <p class="cc-status" role="status">{state.t(Msg::Loading)}</p> }.into_any(),
        ),
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ComposeMode {
    New {
        person: Option<PersonRef>,
        subject: String,
        body: String,
    },
    Edit(Box<EmailDetail>),
}

/// The new email's fields as last typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct Unsent {
    person: Option<PersonRef>,
    subject: String,
    body: String,
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

#[derive(Clone, Copy, PartialEq)]
enum Submit {
    SendNow,
    Schedule,
    Draft,
    Save,
}

#[component]
pub fn ComposeDialog(mode: ComposeMode, #[prop(into)] on_close: Callback<()>) -> impl IntoView {
    let state = use_app();
    let editing = match &mode {
        ComposeMode::Edit(email) => Some((email.summary.id, email.summary.status)),
        ComposeMode::New { .. } => None,
    };
    let (person, subject, body, send_at) = match mode {
        ComposeMode::Edit(email) => (
            Some(email.summary.person.clone()),
            email.summary.subject.clone(),
            html_to_text(&email.body_html),
            email
                .summary
                .scheduled_at
                .map(to_local_input)
                .unwrap_or_default(),
        ),
        ComposeMode::New {
            person,
            subject,
            body,
        } => (person, subject, body, String::new()),
    };
    // Typing that was never sent or saved comes back: into an empty new email, or into the
    // email it was typed for.
    let key = unsent_key(editing.map(|(id, _)| id));
    let blank = editing.is_some() || (person.is_none() && subject.is_empty() && body.is_empty());
    let original = Unsent {
        person: person.clone(),
        subject: subject.clone(),
        body: body.clone(),
    };
    let restored = blank
        .then(storage)
        .flatten()
        .and_then(|s| s.get_item(&key).ok().flatten())
        .and_then(|json| serde_json::from_str::<Unsent>(&json).ok())
        .filter(|unsent| unsent != &Unsent::default() && unsent != &original);
    let (person, subject, body) = match restored.clone() {
        Some(unsent) => (unsent.person, unsent.subject, unsent.body),
        None => (person, subject, body),
    };
    let person = RwSignal::new(person);
    let subject = RwSignal::new(subject);
    let body = RwSignal::new(body);
    let send_at = RwSignal::new(send_at);
    // The template the text came from, so that the template's sends are counted.
    let template_id = RwSignal::new(None::<api::Id>);
    let insert_template = move |template: api::templates::Template| {
        subject.set(template.subject);
        body.set(html_to_text(&template.body));
        template_id.set(Some(template.id));
    };
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let offer_replace = RwSignal::new(false);
    let recipient_values = RwSignal::new(None::<MergeValues>);
    let tracking = crate::components::tracking_choice::TrackingChoice::from_defaults();

    let key = StoredValue::new(key);
    Effect::new(move |_| {
        let unsent = Unsent {
            person: person.get(),
            subject: subject.get(),
            body: body.get(),
        };
        if let (Some(storage), Ok(json)) = (storage(), serde_json::to_string(&unsent)) {
            let _ = storage.set_item(&key.get_value(), &json);
        }
    });
    // The chosen recipient's merge values, for the preview.
    Effect::new(move |_| {
        let Some(chosen) = person.get() else {
            recipient_values.set(None);
            return;
        };
        let api = state.api();
        leptos::task::spawn_local(async move {
            if let Ok(page) = api
                .call(api::endpoints::people::find(&chosen.email, 50))
                .await
            {
                let found = page.items.into_iter().find(|p| p.id == chosen.id);
                recipient_values.set(found.map(|p| p.merge_values()));
            }
        });
    });

    let submit = move |kind: Submit, replace_draft: bool| {
        error.set(None);
        offer_replace.set(false);
        let Some(recipient) = person.get_untracked() else {
            error.set(Some(state.t(Msg::ChooseRecipient).to_owned()));
            return;
        };
        let when = parse_local_input(&send_at.get_untracked());
        if kind == Submit::Schedule && when.is_none() {
            error.set(Some(state.t(Msg::ChooseSendAt).to_owned()));
            return;
        }
        let (subject_text, body_html) =
            (subject.get_untracked(), text_to_html(&body.get_untracked()));
        pending.set(true);
        let api = state.api();
        leptos::task::spawn_local(async move {
            let result: Result<(), ApiError> = match editing {
                None => {
                    let new = NewEmail {
                        person_id: recipient.id,
                        subject: subject_text,
                        body: body_html,
                        send_at: if kind == Submit::Schedule { when } else { None },
                        draft: kind == Submit::Draft,
                        replace_draft,
                        campaign_id: None,
                        template_id: template_id.get_untracked(),
                        track_opens: Some(tracking.opens.get_untracked()),
                        track_links: Some(tracking.links.get_untracked()),
                    };
                    api.call(emails::create(&new)).await.map(|_| ())
                }
                Some((id, status)) => {
                    let patch = EmailPatch {
                        person_id: Some(recipient.id),
                        subject: Some(subject_text),
                        body: Some(body_html),
                        send_at: if status == EmailStatus::Scheduled {
                            when
                        } else {
                            None
                        },
                    };
                    let saved = api.call(emails::edit(id, &patch)).await;
                    let action = match kind {
                        Submit::SendNow => Some(EmailAction::SendNow),
                        Submit::Schedule if status == EmailStatus::Draft => {
                            Some(EmailAction::Reschedule)
                        }
                        _ => None,
                    };
                    match (saved, action) {
                        (Err(e), _) => Err(e),
                        (Ok(_), None) => Ok(()),
                        (Ok(_), Some(action)) => {
                            let request = ActionRequest { send_at: when };
                            api.call(emails::act(id, action, &request))
                                .await
                                .map(|_| ())
                        }
                    }
                }
            };
            pending.set(false);
            match result {
                Ok(()) => {
                    if let Some(storage) = storage() {
                        if let Some(key) = key.try_get_value() {
                            let _ = storage.remove_item(&key);
                        }
                    }
                    on_close.run(());
                }
                Err(ApiError::Problem { status: 409, .. }) if kind == Submit::Draft => {
                    offer_replace.set(true)
                }
                Err(e) => error.set(Some(e.message(state.locale.get_untracked()))),
            }
        });
    };

    let preview = move || {
        let values = recipient_values.get()?;
        let name = person
            .with(|p| p.as_ref().map(|p| p.name.clone()))
            .unwrap_or_default();
        let rendered_subject = merge::render(&subject.get(), &values, str::to_owned);
        let rendered_body = merge::render(&body.get(), &values, str::to_owned);
        let mut unfilled: Vec<String> = Vec::new();
        for missing in [rendered_subject.clone().err(), rendered_body.clone().err()]
            .into_iter()
            .flatten()
            .flatten()
        {
            if !unfilled.contains(&missing) {
                unfilled.push(missing);
            }
        }
        Some(view! {
            <section class="cc-preview" aria-label=state.t(Msg::Preview).replace("{name}", &name)>
                <h3>{state.t(Msg::Preview).replace("{name}", &name)}</h3>
                <p class="cc-preview-subject">{rendered_subject.unwrap_or_else(|_| subject.get())}</p>
                <p class="cc-preview-body">{rendered_body.unwrap_or_else(|_| body.get())}</p>
                {(!unfilled.is_empty()).then(|| view! {
                    <p class="cc-warning" role="status">
                        {state.t(Msg::UnfilledFields).replace("{fields}", &unfilled.join(", "))}
                    </p>
                })}
            </section>
        })
    };

    let title = Signal::derive(move || {
        state
            .t(if editing.is_some() {
                Msg::EditTitle
            } else {
                Msg::ComposeTitle
            })
            .to_owned()
    });
    let is_scheduled = editing.is_some_and(|(_, s)| s == EmailStatus::Scheduled);
    view! {
        <Modal id="cc-compose" title=title on_close=on_close>
            <form class="cc-compose" on:submit=move |ev| { ev.prevent_default(); submit(Submit::SendNow, false) }>
                {restored.is_some().then(|| view! { <p class="cc-note" role="status">{state.t(Msg::DraftRestored)}</p> })}
                <RecipientPicker person=person locked=editing.is_some()/>
                {editing.is_none().then(|| view! {
                    <crate::components::template_picker::TemplatePicker on_pick=insert_template/>
                })}
                <label class="cc-field">
                    <span>{move || state.t(Msg::Subject)}</span>
                    <input type="text" name="subject" bind:value=subject required/>
                </label>
                <label class="cc-field">
                    <span>{move || state.t(Msg::Body)}</span>
                    <textarea name="body" rows="8" bind:value=body></textarea>
                </label>
                <label class="cc-field">
                    <span>{move || state.t(Msg::SendAt)}</span>
                    <input type="datetime-local" name="send_at" step="1" bind:value=send_at/>
                </label>
                {preview}
                <crate::components::send_warnings::SendWarnings subject=subject body=body bulk=false/>
                {editing.is_none().then(|| view! { <crate::components::tracking_choice::TrackingFields choice=tracking/> })}
                <p class="cc-error" role="alert" hidden=move || error.with(Option::is_none)>{move || error.get()}</p>
                <Show when=move || offer_replace.get()>
                    <div class="cc-error" role="alert">
                        <span>{move || state.t(Msg::ReplaceDraftPrompt)}</span>
                        <button type="button" class="cc-button" on:click=move |_| submit(Submit::Draft, true)>
                            {move || state.t(Msg::ReplaceDraft)}
                        </button>
                    </div>
                </Show>
                <div class="cc-dialog-actions">
                    <button type="submit" class="cc-button cc-button-primary" disabled=move || pending.get()>
                        {move || state.t(Msg::ActionSendNow)}
                    </button>
                    <Show when=move || !is_scheduled>
                        <button type="button" class="cc-button" disabled=move || pending.get()
                            on:click=move |_| submit(Submit::Schedule, false)>{move || state.t(Msg::Schedule)}</button>
                    </Show>
                    {match editing {
                        None => view! {
                            <button type="button" class="cc-button" disabled=move || pending.get()
                                on:click=move |_| submit(Submit::Draft, false)>{move || state.t(Msg::SaveDraft)}</button>
                        }.into_any(),
                        Some(_) => view! {
                            <button type="button" class="cc-button" disabled=move || pending.get()
                                on:click=move |_| submit(Submit::Save, false)>{move || state.t(Msg::SaveChanges)}</button>
                        }.into_any(),
                    }}
                    <button type="button" class="cc-button" on:click=move |_| on_close.run(())>{move || state.t(Msg::Cancel)}</button>
                </div>
            </form>
        </Modal>
    }
}

/// People suggested in a picker.
const SUGGESTED: u64 = 8;

/// The recipient: a search over the rep's people (a combobox), or the fixed recipient of an
/// email being edited.
#[component]
pub fn RecipientPicker(
    person: RwSignal<Option<PersonRef>>,
    locked: bool,
    #[prop(default = Msg::Recipient)] label: Msg,
    /// The search field's id: unique on the page.
    #[prop(default = "cc-recipient-search")]
    id: &'static str,
) -> impl IntoView {
    let state = use_app();
    let query = RwSignal::new(String::new());
    let found = LocalResource::new(move || {
        let q = query.get();
        let api = state.api();
        async move {
            if q.trim().is_empty() {
                return Vec::new();
            }
            let page = api.call(api::endpoints::people::find(&q, SUGGESTED)).await;
            page.map(|page| page.items).unwrap_or_default()
        }
    });
    let found = Memo::new(move |_| found.get().unwrap_or_default());
    // Those who cannot be emailed say so before they are chosen.
    let suggestions = Signal::derive(move || {
        found.with(|people| {
            people
                .iter()
                .map(|p| {
                    let badge = match (p.opted_out, p.do_not_contact) {
                        (true, _) => format!(" — {}", state.t(Msg::Unsubscribed)),
                        (false, true) => format!(" — {}", state.t(Msg::DoNotContact)),
                        _ => String::new(),
                    };
                    Suggestion {
                        key: p.id.to_string(),
                        label: format!("{} <{}> · {}{badge}", p.name, p.email, p.company),
                    }
                })
                .collect::<Vec<_>>()
        })
    });
    let pick = move |key: String| {
        let chosen = found.with_untracked(|people| {
            people
                .iter()
                .find(|p| p.id.to_string() == key)
                .map(|p| PersonRef {
                    id: p.id,
                    name: p.name.clone(),
                    email: p.email.clone(),
                    company: p.company.clone(),
                    opted_out: p.opted_out || p.do_not_contact,
                })
        });
        if let Some(chosen) = chosen {
            person.set(Some(chosen));
            query.set(String::new());
        }
    };
    let chosen = move || {
        person.get().map(|p| {
            let badge = if p.opted_out {
                format!(" — {}", state.t(Msg::Unsubscribed))
            } else {
                String::new()
            };
            format!("{} <{}> · {}{badge}", p.name, p.email, p.company)
        })
    };
    let label_id = format!("{id}-label");
    view! {
        <div class="cc-field">
            <span id=label_id.clone()>{move || state.t(label)}</span>
            <p class="cc-recipient" aria-labelledby=label_id>{chosen}</p>
            <Show when=move || !locked>
                <Combobox id=id label=Signal::derive(move || state.t(Msg::RecipientSearch).to_owned())
                    placeholder=Signal::derive(move || state.t(Msg::RecipientSearch).to_owned())
                    query=query suggestions=suggestions on_pick=pick/>
            </Show>
        </div>
    }
}
