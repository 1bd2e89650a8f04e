//! Compose a new email (send now, schedule, or save as the rep's one draft), or edit a draft or a
//! scheduled one. What is typed survives a failed save and an accidental close: a new email's
//! fields are kept in local storage until it is sent or saved.

mod model;
mod preview;
mod recipient;

use crate::components::error_banner::ErrorBanner;
use crate::components::modal::Modal;
use crate::components::send_warnings::SendWarnings;
use crate::components::template_picker::TemplatePicker;
use crate::components::tracking_choice::TrackingFields;
use crate::i18n::Msg;
use crate::state::use_app;
use api::{EmailDetail, EmailId, EmailStatus, PersonRef};
use leptos::prelude::*;
use model::{ComposeModel, Submit};
use preview::Preview;
pub use recipient::RecipientPicker;

/// Reads the saved email with this id, then opens it for editing; one that cannot be read is
/// said so in the dialog, with Try again. (The list has only its summary: reading the email here
/// keeps its reader out of the list's download.)
#[component]
pub fn EditSavedDialog(id: EmailId, #[prop(into)] on_close: Callback<()>) -> impl IntoView {
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

#[component]
pub fn ComposeDialog(mode: ComposeMode, #[prop(into)] on_close: Callback<()>) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let model = ComposeModel::new(mode);
    let editing = model.editing;
    let submit =
        move |kind: Submit, replace_draft: bool| model.submit(kind, replace_draft, on_close);
    let title = Signal::derive(move || {
        t(if editing.is_some() {
            Msg::EditTitle
        } else {
            Msg::ComposeTitle
        })
        .to_owned()
    });
    let is_scheduled = editing.is_some_and(|(_, s)| s == EmailStatus::Scheduled);
    let pending = model.pending;
    view! {
        <Modal id="cc-compose" title=title on_close=on_close>
            <form class="cc-compose" on:submit=move |ev| { ev.prevent_default(); submit(Submit::SendNow, false) }>
                {model.restored.then(|| view! { <p class="cc-note" role="status">{t(Msg::DraftRestored)}</p> })}
                <RecipientPicker person=model.person locked=editing.is_some()/>
                {editing.is_none().then(|| view! {
                    <TemplatePicker on_pick=move |template| model.insert_template(template)/>
                })}
                <label class="cc-field">
                    <span>{move || t(Msg::Subject)}</span>
                    <input type="text" name="subject" bind:value=model.subject required/>
                </label>
                <label class="cc-field">
                    <span>{move || t(Msg::Body)}</span>
                    <textarea name="body" rows="8" bind:value=model.body></textarea>
                </label>
                <label class="cc-field">
                    <span>{move || t(Msg::SendAt)}</span>
                    <input type="datetime-local" name="send_at" step="1" bind:value=model.send_at/>
                </label>
                <Preview model=model/>
                <SendWarnings subject=model.subject body=model.body bulk=false/>
                {editing.is_none().then(|| view! { <TrackingFields choice=model.tracking/> })}
                <p class="cc-error" role="alert" hidden=move || model.error.with(Option::is_none)>{move || model.error.get()}</p>
                <Show when=move || model.offer_replace.get()>
                    <div class="cc-error" role="alert">
                        <span>{move || t(Msg::ReplaceDraftPrompt)}</span>
                        <button type="button" class="cc-button" on:click=move |_| submit(Submit::Draft, true)>
                            {move || t(Msg::ReplaceDraft)}
                        </button>
                    </div>
                </Show>
                <div class="cc-dialog-actions">
                    <button type="submit" class="cc-button cc-button-primary" disabled=move || pending.get()>
                        {move || t(Msg::ActionSendNow)}
                    </button>
                    <Show when=move || !is_scheduled>
                        <button type="button" class="cc-button" disabled=move || pending.get()
                            on:click=move |_| submit(Submit::Schedule, false)>{move || t(Msg::Schedule)}</button>
                    </Show>
                    {match editing {
                        None => view! {
                            <button type="button" class="cc-button" disabled=move || pending.get()
                                on:click=move |_| submit(Submit::Draft, false)>{move || t(Msg::SaveDraft)}</button>
                        }.into_any(),
                        Some(_) => view! {
                            <button type="button" class="cc-button" disabled=move || pending.get()
                                on:click=move |_| submit(Submit::Save, false)>{move || t(Msg::SaveChanges)}</button>
                        }.into_any(),
                    }}
                    <button type="button" class="cc-button" on:click=move |_| on_close.run(())>{move || t(Msg::Cancel)}</button>
                </div>
            </form>
        </Modal>
    }
}
