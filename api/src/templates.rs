//! A rep's email templates: a reusable subject and body with merge fields, inserted in compose
//! and used by a campaign's steps, with how the emails made from each have done.

use crate::dto::Timestamp;
use crate::ids::TemplateId;
use serde::{Deserialize, Serialize};

/// A template as the API shows it (`GET /templates`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Template {
    pub id: TemplateId,
    pub name: String,
    pub subject: String,
    /// HTML, sanitized as an email's body is.
    pub body: String,
    pub updated_at: Timestamp,
    pub usage: TemplateUsage,
}

/// How the emails made from a template have done: those sent, and of those how many were
/// viewed, clicked and replied to at least once.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateUsage {
    pub sent: u64,
    pub viewed: u64,
    pub clicked: u64,
    pub replied: u64,
}

impl TemplateUsage {
    /// `part` of the sent emails as a whole percentage; `None` before any was sent.
    pub fn rate(&self, part: u64) -> Option<u32> {
        crate::sequence::StepResults::rate(part, self.sent)
    }
}

/// `POST /templates` and `PUT /templates/{id}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TemplateInput {
    pub name: String,
    pub subject: String,
    pub body: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_round_to_whole_percent_and_need_a_send() {
        let usage = TemplateUsage {
            sent: 3,
            viewed: 2,
            clicked: 1,
            replied: 0,
        };
        assert_eq!(usage.rate(usage.viewed), Some(67));
        assert_eq!(usage.rate(usage.clicked), Some(33));
        assert_eq!(usage.rate(usage.replied), Some(0));
        assert_eq!(TemplateUsage::default().rate(0), None);
    }
}
