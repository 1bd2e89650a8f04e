//! The compose dialog's model: the email's fields as signals, what was typed and never sent
//! (kept in local storage until it is sent or saved), and sending, scheduling or saving it.

use super::ComposeMode;
use crate::api_client::ApiError;
use crate::components::tracking_choice::TrackingChoice;
use crate::compose_text::{html_to_text, parse_local_input, text_to_html, to_local_input};
use crate::i18n::Msg;
use crate::state::{use_app, AppState};
use api::endpoints::emails;
use api::merge::MergeValues;
use api::templates::Template;
use api::{
    ActionRequest, EmailAction, EmailId, EmailPatch, EmailStatus, NewEmail, PersonRef, TemplateId,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Where unsaved typing is kept: one slot for a new email, one per email being edited.
fn unsent_key(editing: Option<EmailId>) -> String {
    match editing {
        None => "cc.compose.unsent".to_owned(),
        Some(id) => format!("cc.compose.unsent.{id}"),
    }
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
pub enum Submit {
    SendNow,
    Schedule,
    Draft,
    Save,
}

#[derive(Clone, Copy)]
pub struct ComposeModel {
    state: AppState,
    /// The email being edited and its status; `None` for a new one.
    pub editing: Option<(EmailId, EmailStatus)>,
    pub person: RwSignal<Option<PersonRef>>,
    pub subject: RwSignal<String>,
    pub body: RwSignal<String>,
    pub send_at: RwSignal<String>,
    /// The template the text came from, so that the template's sends are counted.
    template_id: RwSignal<Option<TemplateId>>,
    pub pending: RwSignal<bool>,
    pub error: RwSignal<Option<String>>,
    /// A second draft was refused: the rep may replace the one they have.
    pub offer_replace: RwSignal<bool>,
    /// The chosen recipient's merge values, for the preview.
    pub recipient_values: RwSignal<Option<MergeValues>>,
    pub tracking: TrackingChoice,
    /// Typing from an earlier visit was put back.
    pub restored: bool,
    key: StoredValue<String>,
}

impl ComposeModel {
    pub fn new(mode: ComposeMode) -> Self {
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
        let blank =
            editing.is_some() || (person.is_none() && subject.is_empty() && body.is_empty());
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
        let model = ComposeModel {
            state: use_app(),
            editing,
            person: RwSignal::new(person),
            subject: RwSignal::new(subject),
            body: RwSignal::new(body),
            send_at: RwSignal::new(send_at),
            template_id: RwSignal::new(None),
            pending: RwSignal::new(false),
            error: RwSignal::new(None),
            offer_replace: RwSignal::new(false),
            recipient_values: RwSignal::new(None),
            tracking: TrackingChoice::from_defaults(),
            restored: restored.is_some(),
            key: StoredValue::new(key),
        };
        model.keep_typing();
        model.read_recipient_values();
        model
    }

    /// Every keystroke is kept until the email is sent or saved.
    fn keep_typing(self) {
        Effect::new(move |_| {
            let unsent = Unsent {
                person: self.person.get(),
                subject: self.subject.get(),
                body: self.body.get(),
            };
            if let (Some(storage), Ok(json)) = (storage(), serde_json::to_string(&unsent)) {
                let _ = storage.set_item(&self.key.get_value(), &json);
            }
        });
    }

    fn forget_typing(self) {
        if let (Some(storage), Some(key)) = (storage(), self.key.try_get_value()) {
            let _ = storage.remove_item(&key);
        }
    }

    fn read_recipient_values(self) {
        Effect::new(move |_| {
            let Some(chosen) = self.person.get() else {
                self.recipient_values.set(None);
                return;
            };
            let api = self.state.api();
            leptos::task::spawn_local(async move {
                if let Ok(page) = api
                    .call(api::endpoints::people::find(&chosen.email, 50))
                    .await
                {
                    let found = page.items.into_iter().find(|p| p.id == chosen.id);
                    self.recipient_values
                        .try_set(found.map(|p| p.merge_values()));
                }
            });
        });
    }

    pub fn insert_template(self, template: Template) {
        self.subject.set(template.subject);
        self.body.set(html_to_text(&template.body));
        self.template_id.set(Some(template.id));
    }

    /// Sends, schedules or saves the email; closes the dialog once the server has it, and keeps
    /// everything typed when it refuses.
    pub fn submit(self, kind: Submit, replace_draft: bool, on_close: Callback<()>) {
        let state = self.state;
        self.error.set(None);
        self.offer_replace.set(false);
        let Some(recipient) = self.person.get_untracked() else {
            self.error
                .set(Some(state.t(Msg::ChooseRecipient).to_owned()));
            return;
        };
        let when = parse_local_input(&self.send_at.get_untracked());
        if kind == Submit::Schedule && when.is_none() {
            self.error.set(Some(state.t(Msg::ChooseSendAt).to_owned()));
            return;
        }
        let subject = self.subject.get_untracked();
        let body = text_to_html(&self.body.get_untracked());
        self.pending.set(true);
        let api = state.api();
        leptos::task::spawn_local(async move {
            let result: Result<(), ApiError> = match self.editing {
                None => {
                    let new = NewEmail {
                        person_id: recipient.id,
                        subject,
                        body,
                        send_at: if kind == Submit::Schedule { when } else { None },
                        draft: kind == Submit::Draft,
                        replace_draft,
                        campaign_id: None,
                        template_id: self.template_id.get_untracked(),
                        track_opens: Some(self.tracking.opens.get_untracked()),
                        track_links: Some(self.tracking.links.get_untracked()),
                    };
                    api.call(emails::create(&new)).await.map(|_| ())
                }
                Some((id, status)) => {
                    let patch = EmailPatch {
                        person_id: Some(recipient.id),
                        subject: Some(subject),
                        body: Some(body),
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
            self.pending.try_set(false);
            match result {
                Ok(()) => {
                    self.forget_typing();
                    on_close.run(());
                }
                Err(ApiError::Problem { status: 409, .. }) if kind == Submit::Draft => {
                    self.offer_replace.try_set(true);
                }
                Err(e) => {
                    self.error
                        .try_set(Some(e.message(state.locale.get_untracked())));
                }
            }
        });
    }
}
