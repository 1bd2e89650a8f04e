//! The outbox's state machine: what a rep (or the sender, or a delivery report) may do to an
//! email in each status. The server enforces it; the SPA reads it to offer only legal actions.

use crate::folder::EmailStatus;
use crate::wire::wire_enum;

wire_enum!(
    /// What a rep asks of an email: `POST /emails/{id}/{action}`, or in bulk.
    pub enum EmailAction {
        SendNow = "send_now",
        /// Set (or change) when a draft or scheduled email goes out; needs `send_at`.
        Reschedule = "reschedule",
        /// Back to a draft; refused when the rep already has one.
        Unschedule = "unschedule",
        /// Turns tracking off.
        Archive = "archive",
        /// Turns tracking back on.
        Unarchive = "unarchive",
        Retry = "retry",
        MarkSuccess = "mark_success",
        /// A campaign step's scheduled email is not sent: its person moves on to the next step.
        SkipStep = "skip_step",
        Delete = "delete",
    }
);

/// What an action leaves behind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Becomes(EmailStatus),
    Deleted,
}

impl EmailAction {
    /// The result of this action on an email in `from`, or `None` when it is not allowed.
    pub fn apply(self, from: EmailStatus) -> Option<Outcome> {
        use EmailStatus::*;
        let to = match (self, from) {
            (EmailAction::SendNow, Draft | Scheduled) => InProgress,
            (EmailAction::Reschedule, Draft | Scheduled) => Scheduled,
            (EmailAction::Unschedule, Scheduled) => Draft,
            (EmailAction::Archive, Delivered) => Archived,
            (EmailAction::Unarchive, Archived) => Delivered,
            (EmailAction::Retry, Failed | Bounced | Spam) => InProgress,
            (EmailAction::MarkSuccess, Delivered) => Delivered,
            (EmailAction::SkipStep, Scheduled) => return Some(Outcome::Deleted),
            (EmailAction::Delete, Draft | Scheduled | Archived | Failed | Bounced | Spam) => {
                return Some(Outcome::Deleted)
            }
            _ => return None,
        };
        Some(Outcome::Becomes(to))
    }
}

/// Everything about an email, beyond its status, that decides what may be done to it. The
/// server's check and every place the SPA offers actions (row, bulk bar, detail) read it, so an
/// offered action is one the server accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EmailState {
    pub status: EmailStatus,
    /// Sent as part of a campaign: kept for the campaign's record, never deleted.
    pub in_campaign: bool,
    /// Made from a step of a campaign's sequence (so also `in_campaign`).
    pub campaign_step: bool,
    /// Already marked a success.
    pub marked_success: bool,
    /// The rep has a draft already: unscheduling would make a second one.
    pub rep_has_draft: bool,
    /// Its person unsubscribed: nothing more is sent to them.
    pub person_opted_out: bool,
}

/// Why an action is refused on an email (the server answers 409 with it in words).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not in this status.
    Status,
    /// Campaign emails cannot be deleted.
    CampaignEmail,
    /// A rep keeps one draft.
    DraftExists,
    /// Marked a success already.
    AlreadyMarked,
    /// Its person unsubscribed.
    OptedOut,
    /// Not an email of a campaign's step.
    NotCampaignStep,
}

impl EmailAction {
    /// The result of this action on the email, or why it is refused.
    pub fn check(self, email: &EmailState) -> Result<Outcome, Refusal> {
        let outcome = self.apply(email.status).ok_or(Refusal::Status)?;
        match self {
            EmailAction::Delete if email.in_campaign => Err(Refusal::CampaignEmail),
            EmailAction::SkipStep if !email.campaign_step => Err(Refusal::NotCampaignStep),
            EmailAction::Unschedule if email.rep_has_draft => Err(Refusal::DraftExists),
            EmailAction::MarkSuccess if email.marked_success => Err(Refusal::AlreadyMarked),
            EmailAction::SendNow | EmailAction::Retry | EmailAction::Reschedule
                if email.person_opted_out =>
            {
                Err(Refusal::OptedOut)
            }
            _ => Ok(outcome),
        }
    }
}

impl EmailState {
    /// The quick actions this email offers, in the order the UI shows them: those `check` takes.
    pub fn offered(&self) -> impl Iterator<Item = EmailAction> + '_ {
        self.status
            .quick_actions()
            .iter()
            .copied()
            .filter(|action| action.check(self).is_ok())
    }
}

impl EmailStatus {
    /// Only drafts and scheduled emails can still be edited.
    pub fn is_editable(self) -> bool {
        matches!(self, EmailStatus::Draft | EmailStatus::Scheduled)
    }

    /// The quick actions a row in this status offers, in the order the UI shows them.
    pub fn quick_actions(self) -> &'static [EmailAction] {
        use EmailAction::*;
        match self {
            EmailStatus::Delivered => &[Archive, MarkSuccess],
            EmailStatus::Archived => &[Unarchive, Delete],
            EmailStatus::Draft => &[SendNow, Reschedule, Delete],
            EmailStatus::Scheduled => &[SendNow, Reschedule, Unschedule, SkipStep, Delete],
            EmailStatus::InProgress => &[],
            EmailStatus::Failed | EmailStatus::Bounced | EmailStatus::Spam => &[Retry, Delete],
        }
    }

    /// Views, clicks and replies count only while the email is delivered and not archived.
    pub fn is_tracked(self) -> bool {
        self == EmailStatus::Delivered
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use EmailStatus::*;

    #[test]
    fn the_transitions_of_the_design_and_no_others() {
        let legal: Vec<(EmailAction, EmailStatus, Outcome)> = EmailAction::ALL
            .iter()
            .flat_map(|a| EmailStatus::ALL.iter().map(move |s| (*a, *s)))
            .filter_map(|(a, s)| a.apply(s).map(|o| (a, s, o)))
            .collect();
        use EmailAction as A;
        use Outcome::*;
        let expected = vec![
            (A::SendNow, Draft, Becomes(InProgress)),
            (A::SendNow, Scheduled, Becomes(InProgress)),
            (A::Reschedule, Draft, Becomes(Scheduled)),
            (A::Reschedule, Scheduled, Becomes(Scheduled)),
            (A::Unschedule, Scheduled, Becomes(Draft)),
            (A::Archive, Delivered, Becomes(Archived)),
            (A::Unarchive, Archived, Becomes(Delivered)),
            (A::Retry, Failed, Becomes(InProgress)),
            (A::Retry, Bounced, Becomes(InProgress)),
            (A::Retry, Spam, Becomes(InProgress)),
            (A::MarkSuccess, Delivered, Becomes(Delivered)),
            (A::SkipStep, Scheduled, Deleted),
            (A::Delete, Draft, Deleted),
            (A::Delete, Scheduled, Deleted),
            (A::Delete, Archived, Deleted),
            (A::Delete, Failed, Deleted),
            (A::Delete, Bounced, Deleted),
            (A::Delete, Spam, Deleted),
        ];
        assert_eq!(legal, expected);
    }

    #[test]
    fn every_quick_action_is_legal_where_it_is_offered() {
        for status in EmailStatus::ALL {
            for action in status.quick_actions() {
                assert!(action.apply(status).is_some(), "{action:?} on {status:?}");
            }
        }
    }

    #[test]
    fn a_row_offers_exactly_the_quick_actions_its_state_allows() {
        for status in EmailStatus::ALL {
            for bits in 0..32u8 {
                let email = EmailState {
                    status,
                    in_campaign: bits & 1 != 0 || bits & 16 != 0,
                    campaign_step: bits & 16 != 0,
                    marked_success: bits & 2 != 0,
                    rep_has_draft: bits & 4 != 0,
                    person_opted_out: bits & 8 != 0,
                };
                let offered: Vec<EmailAction> = email.offered().collect();
                for action in EmailAction::ALL {
                    let shown = status.quick_actions().contains(&action);
                    assert_eq!(
                        offered.contains(&action),
                        shown && action.check(&email).is_ok(),
                        "{action:?} on {email:?}"
                    );
                }
                assert_eq!(
                    offered.contains(&EmailAction::Delete),
                    status.quick_actions().contains(&EmailAction::Delete) && !email.in_campaign
                );
            }
        }
    }

    #[test]
    fn actions_round_trip_through_their_wire_names() {
        for action in EmailAction::ALL {
            assert_eq!(action.as_str().parse::<EmailAction>(), Ok(action));
            assert_eq!(serde_json::to_value(action).unwrap(), action.as_str());
        }
    }
}
