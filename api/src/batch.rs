//! Select and Send: one compose to many people at once, never a draft. An individual send (up to
//! 200) lets the rep edit each recipient's copy; a group email (up to 1,000) is one text for all.
//! The same rules run in the browser before sending and on the server when it is asked to.

use crate::dto::Timestamp;
use crate::folder::EmailStatus;
use crate::ids::{CampaignId, EmailId, PersonId, TemplateId};
use crate::merge::{self, MergeValues};
use crate::wire::wire_enum;
use serde::{Deserialize, Serialize};

wire_enum!(
    pub enum BatchKind {
        /// Up to 200 recipients, each copy previewable and editable.
        Individual = "individual",
        /// Up to 1,000 recipients, one text (bulk edits only).
        Group = "group",
    }
);

impl BatchKind {
    /// The most recipients one send of this kind takes.
    pub fn limit(self) -> usize {
        match self {
            BatchKind::Individual => 200,
            BatchKind::Group => 1000,
        }
    }
}

/// One recipient, with their own subject or body where the rep edited their copy.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BatchRecipient {
    pub person_id: PersonId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// HTML, like `NewEmail::body`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

impl BatchRecipient {
    /// The person, with the shared text.
    pub fn to(person_id: PersonId) -> Self {
        BatchRecipient {
            person_id,
            ..Default::default()
        }
    }

    pub fn is_edited(&self) -> bool {
        self.subject.is_some() || self.body.is_some()
    }
}

/// `POST /emails/batch`: sent now (no `send_at`) or scheduled; optionally part of a campaign,
/// which the recipients then belong to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewBatch {
    pub kind: BatchKind,
    pub recipients: Vec<BatchRecipient>,
    pub subject: String,
    pub body: String,
    #[serde(default)]
    pub send_at: Option<Timestamp>,
    #[serde(default)]
    pub campaign_id: Option<CampaignId>,
    /// As `NewEmail`'s: the template every copy was written from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_id: Option<TemplateId>,
    /// As `NewEmail`'s: each copy's tracking, by default the rep's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub track_opens: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub track_links: Option<bool>,
}

impl NewBatch {
    /// Sent now, outside any campaign, written from no template, tracked as the rep's default.
    pub fn new(
        kind: BatchKind,
        recipients: Vec<BatchRecipient>,
        subject: &str,
        body: &str,
    ) -> Self {
        NewBatch {
            kind,
            recipients,
            subject: subject.to_owned(),
            body: body.to_owned(),
            send_at: None,
            campaign_id: None,
            template_id: None,
            track_opens: None,
            track_links: None,
        }
    }

    /// The refusal for a send that is too large, empty, or edits copies of a group email; the
    /// first rule broken, as `(field, message)`.
    pub fn check_shape(&self) -> Result<(), (&'static str, crate::Text)> {
        use crate::Text;
        let limit = self.kind.limit();
        if self.recipients.is_empty() {
            return Err((
                "recipients",
                Text::fixed(
                    "Select at least one person.",
                    "宛先を 1 人以上選んでください。",
                ),
            ));
        }
        if self.recipients.len() > limit {
            let (what, what_ja) = match self.kind {
                BatchKind::Individual => ("Select and Send", "選択して送信"),
                BatchKind::Group => ("A group email", "グループメール"),
            };
            let selected = self.recipients.len();
            return Err((
                "recipients",
                Text::new(
                    format!("{what} takes at most {limit} people; {selected} were selected. Nothing was sent."),
                    format!("{what_ja}で送れるのは {limit} 人までです（{selected} 人が選ばれています）。何も送信していません。"),
                ),
            ));
        }
        if self.kind == BatchKind::Group && self.recipients.iter().any(BatchRecipient::is_edited) {
            return Err((
                "recipients",
                Text::fixed(
                    "A group email has one text for everyone; edit copies one by one with Select and Send (up to 200).",
                    "グループメールは全員に同じ文面です。1 通ずつ編集するには「選択して送信」（200 人まで）を使ってください。",
                ),
            ));
        }
        let mut seen = std::collections::HashSet::new();
        if let Some(twice) = self.recipients.iter().find(|r| !seen.insert(r.person_id)) {
            return Err((
                "recipients",
                Text::new(
                    format!("Person {} is listed twice.", twice.person_id),
                    format!("宛先 {} が 2 回含まれています。", twice.person_id),
                ),
            ));
        }
        Ok(())
    }

    /// The subject and body this recipient gets, before merge fields are filled.
    pub fn copy_for<'a>(&'a self, recipient: &'a BatchRecipient) -> (&'a str, &'a str) {
        (
            recipient.subject.as_deref().unwrap_or(&self.subject),
            recipient.body.as_deref().unwrap_or(&self.body),
        )
    }
}

/// The merge fields a copy would leave empty for these values (`{{company}}`), subject first.
pub fn unfilled_fields(subject: &str, body: &str, values: &MergeValues) -> Vec<String> {
    merge::render_email(subject, body, values)
        .err()
        .unwrap_or_default()
}

/// What a batch created: one email per recipient, in the order given.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatchCreated {
    pub ids: Vec<EmailId>,
    pub status: EmailStatus,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(kind: BatchKind, n: usize) -> NewBatch {
        let recipients = (1..=n as i64)
            .map(PersonId)
            .map(BatchRecipient::to)
            .collect();
        NewBatch::new(kind, recipients, "Hi {{first_name}}", "At {{company}}?")
    }

    #[test]
    fn limits_are_200_individual_and_1000_group() {
        assert!(batch(BatchKind::Individual, 200).check_shape().is_ok());
        let (_, refusal) = batch(BatchKind::Individual, 201).check_shape().unwrap_err();
        assert!(
            refusal.en.contains("at most 200") && refusal.en.contains("201"),
            "{refusal}"
        );
        assert!(
            refusal.ja.contains("200 人まで") && refusal.ja.contains("201 人"),
            "{}",
            refusal.ja
        );
        assert!(batch(BatchKind::Group, 1000).check_shape().is_ok());
        assert!(batch(BatchKind::Group, 1001).check_shape().is_err());
        assert!(batch(BatchKind::Group, 0).check_shape().is_err());
    }

    #[test]
    fn group_emails_have_no_per_recipient_edits_and_nobody_is_listed_twice() {
        let mut group = batch(BatchKind::Group, 3);
        group.recipients[1].body = Some("mine".into());
        assert!(group.check_shape().is_err());
        let mut individual = batch(BatchKind::Individual, 3);
        individual.recipients[1].body = Some("mine".into());
        assert!(individual.check_shape().is_ok());
        assert_eq!(individual.copy_for(&individual.recipients[1]).1, "mine");
        assert_eq!(
            individual.copy_for(&individual.recipients[0]).1,
            "At {{company}}?"
        );
        individual.recipients[2].person_id = PersonId(1);
        assert!(individual.check_shape().is_err());
    }

    #[test]
    fn unfilled_fields_are_named_once_across_subject_and_body() {
        let values = MergeValues {
            first_name: "Aiko".into(),
            ..Default::default()
        };
        assert_eq!(
            unfilled_fields(
                "{{company}} {{first_name}}",
                "{{title}} {{company}}",
                &values
            ),
            vec!["{{company}}".to_owned(), "{{title}}".to_owned()]
        );
        assert!(unfilled_fields("Hi {{first_name}}", "", &values).is_empty());
    }
}
