//! Select and Send's model: the shared text (kept in local storage while typed), who gets it,
//! each person's own copy once the rep edits it, the merge fields that would come out empty,
//! and sending the batch.

use crate::components::tracking_choice::TrackingChoice;
use crate::compose_text::{html_to_text, parse_local_input, text_to_html};
use crate::i18n::Msg;
use crate::state::{use_app, AppState};
use api::batch::{unfilled_fields, BatchKind, BatchRecipient, NewBatch};
use api::templates::Template;
use api::{EmailStatus, Person, PersonId, TemplateId};
use leptos::prelude::*;
use std::collections::HashMap;

/// Where the shared text is kept while being typed, so closing by accident loses nothing.
const UNSENT_KEY: &str = "cc.batch.unsent";

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// One person's copy: their own subject and body once the rep edits it.
#[derive(Clone, Debug, PartialEq)]
pub struct OwnCopy {
    pub subject: String,
    pub body: String,
}

#[derive(Clone, Copy)]
pub struct BatchModel {
    state: AppState,
    pub kind: BatchKind,
    pub subject: RwSignal<String>,
    pub body: RwSignal<String>,
    /// The template the shared text came from, so that its sends are counted.
    template_id: RwSignal<Option<TemplateId>>,
    pub tracking: TrackingChoice,
    pub send_at: RwSignal<String>,
    /// The campaign's id as text; `""` for none.
    pub campaign: RwSignal<String>,
    pub recipients: RwSignal<Vec<Person>>,
    pub copies: RwSignal<HashMap<PersonId, OwnCopy>>,
    /// Whose copy is previewed.
    pub focused: RwSignal<Option<PersonId>>,
    pub pending: RwSignal<bool>,
    pub error: RwSignal<Option<String>>,
    /// Who would get an empty merge field, and which.
    pub unfilled: Memo<Vec<(Person, Vec<String>)>>,
}

impl BatchModel {
    pub fn new(kind: BatchKind, people: Vec<Person>) -> Self {
        let (saved_subject, saved_body) = storage()
            .and_then(|s| s.get_item(UNSENT_KEY).ok().flatten())
            .and_then(|json| serde_json::from_str::<(String, String)>(&json).ok())
            .unwrap_or_default();
        let subject = RwSignal::new(saved_subject);
        let body = RwSignal::new(saved_body);
        Effect::new(move |_| {
            if let (Some(s), Ok(json)) = (
                storage(),
                serde_json::to_string(&(subject.get(), body.get())),
            ) {
                let _ = s.set_item(UNSENT_KEY, &json);
            }
        });
        let focused = RwSignal::new(people.first().map(|p| p.id));
        let recipients = RwSignal::new(people);
        let copies = RwSignal::new(HashMap::new());
        let unfilled = Memo::new(move |_| {
            recipients
                .get()
                .into_iter()
                .filter_map(|p| {
                    let copy = copy_of(copies, subject, body, p.id);
                    let missing = unfilled_fields(&copy.subject, &copy.body, &p.merge_values());
                    (!missing.is_empty()).then_some((p, missing))
                })
                .collect::<Vec<_>>()
        });
        BatchModel {
            state: use_app(),
            kind,
            subject,
            body,
            template_id: RwSignal::new(None),
            tracking: TrackingChoice::from_defaults(),
            send_at: RwSignal::new(String::new()),
            campaign: RwSignal::new(String::new()),
            recipients,
            copies,
            focused,
            pending: RwSignal::new(false),
            error: RwSignal::new(None),
            unfilled,
        }
    }

    /// The text a person gets: their own copy, or the shared one (tracked).
    pub fn copy_of(self, id: PersonId) -> OwnCopy {
        copy_of(self.copies, self.subject, self.body, id)
    }

    pub fn has_own_copy(self, id: PersonId) -> bool {
        self.copies.with(|c| c.contains_key(&id))
    }

    pub fn insert_template(self, template: Template) {
        self.subject.set(template.subject);
        self.body.set(html_to_text(&template.body));
        self.template_id.set(Some(template.id));
    }

    /// "{field} is empty for {names}", one line per field.
    pub fn warning_lines(self) -> Vec<String> {
        let mut by_field: Vec<(String, Vec<String>)> = Vec::new();
        for (person, fields) in self.unfilled.get() {
            for field in fields {
                match by_field.iter_mut().find(|(f, _)| *f == field) {
                    Some((_, names)) => names.push(person.name.clone()),
                    None => by_field.push((field, vec![person.name.clone()])),
                }
            }
        }
        by_field
            .into_iter()
            .map(|(field, names)| {
                self.state
                    .t(Msg::EmptyFieldFor)
                    .replace("{field}", &field)
                    .replace("{names}", &names.join(", "))
            })
            .collect()
    }

    pub fn leave_out_unfilled(self) {
        let out: Vec<PersonId> = self
            .unfilled
            .with_untracked(|u| u.iter().map(|(p, _)| p.id).collect());
        self.leave_out(&out);
    }

    pub fn remove(self, id: PersonId) {
        self.leave_out(&[id]);
    }

    fn leave_out(self, out: &[PersonId]) {
        self.recipients
            .update(|r| r.retain(|p| !out.contains(&p.id)));
        self.copies.update(|c| c.retain(|id, _| !out.contains(id)));
        if self
            .focused
            .get_untracked()
            .is_some_and(|id| out.contains(&id))
        {
            self.focused
                .set(self.recipients.with_untracked(|r| r.first().map(|p| p.id)));
        }
    }

    /// Gives a person their own copy, starting from the shared text.
    pub fn edit_own(self, id: PersonId) {
        let copy = OwnCopy {
            subject: self.subject.get_untracked(),
            body: self.body.get_untracked(),
        };
        self.copies.update(|c| {
            c.insert(id, copy);
        })
    }

    pub fn use_shared(self, id: PersonId) {
        self.copies.update(|c| {
            c.remove(&id);
        })
    }

    pub fn set_own(self, id: PersonId, subject: Option<String>, body: Option<String>) {
        self.copies.update(|c| {
            if let Some(copy) = c.get_mut(&id) {
                if let Some(s) = subject {
                    copy.subject = s;
                }
                if let Some(b) = body {
                    copy.body = b;
                }
            }
        })
    }

    /// Sends (or schedules) one email per recipient; refused while a merge field would be
    /// empty, and nothing is lost when the server refuses.
    pub fn submit(
        self,
        schedule: bool,
        on_sent: Callback<(usize, EmailStatus)>,
        on_close: Callback<()>,
    ) {
        let state = self.state;
        let t = move |msg| state.t(msg);
        self.error.set(None);
        let when = parse_local_input(&self.send_at.get_untracked());
        if schedule && when.is_none() {
            self.error.set(Some(t(Msg::ChooseSendAt).to_owned()));
            return;
        }
        if self.recipients.with_untracked(Vec::is_empty) {
            self.error.set(Some(t(Msg::NobodyToSend).to_owned()));
            return;
        }
        if !self.unfilled.with_untracked(Vec::is_empty) {
            self.error.set(Some(t(Msg::FixEmptyFields).to_owned()));
            return;
        }
        let recipients = self.recipients.with_untracked(|r| {
            r.iter()
                .map(|p| {
                    let own = self.copies.with_untracked(|c| c.get(&p.id).cloned());
                    BatchRecipient {
                        person_id: p.id,
                        subject: own.as_ref().map(|c| c.subject.clone()),
                        body: own.map(|c| text_to_html(&c.body)),
                    }
                })
                .collect()
        });
        let batch = NewBatch {
            kind: self.kind,
            recipients,
            subject: self.subject.get_untracked(),
            body: text_to_html(&self.body.get_untracked()),
            send_at: if schedule { when } else { None },
            campaign_id: self.campaign.get_untracked().parse().ok(),
            template_id: self.template_id.get_untracked(),
            track_opens: Some(self.tracking.opens.get_untracked()),
            track_links: Some(self.tracking.links.get_untracked()),
        };
        self.pending.set(true);
        let api = state.api();
        leptos::task::spawn_local(async move {
            let result = api.call(api::endpoints::emails::batch(&batch)).await;
            self.pending.try_set(false);
            match result {
                Ok(created) => {
                    if let Some(s) = storage() {
                        let _ = s.remove_item(UNSENT_KEY);
                    }
                    on_sent.run((created.ids.len(), created.status));
                    on_close.run(());
                }
                Err(e) => {
                    self.error
                        .try_set(Some(e.message(state.locale.get_untracked())));
                }
            }
        });
    }
}

fn copy_of(
    copies: RwSignal<HashMap<PersonId, OwnCopy>>,
    subject: RwSignal<String>,
    body: RwSignal<String>,
    id: PersonId,
) -> OwnCopy {
    copies
        .with(|c| c.get(&id).cloned())
        .unwrap_or_else(|| OwnCopy {
            subject: subject.get(),
            body: body.get(),
        })
}
