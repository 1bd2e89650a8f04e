//! Quick actions on emails: their labels and the API calls behind them.

use crate::api_client::{ApiClient, ApiError};
use crate::i18n::Msg;
use api::endpoints::emails;
use api::{ActionRequest, BulkRequest, BulkResponse, EmailAction, EmailId, Timestamp};

pub fn action_label(action: EmailAction) -> Msg {
    match action {
        EmailAction::SendNow => Msg::ActionSendNow,
        EmailAction::Reschedule => Msg::ActionReschedule,
        EmailAction::Unschedule => Msg::ActionUnschedule,
        EmailAction::Archive => Msg::ActionArchive,
        EmailAction::Unarchive => Msg::ActionUnarchive,
        EmailAction::Retry => Msg::ActionRetry,
        EmailAction::MarkSuccess => Msg::ActionMarkSuccess,
        EmailAction::SkipStep => Msg::ActionSkipStep,
        EmailAction::Delete => Msg::ActionDelete,
    }
}

/// What a row offers on one email: its main action, shown as a button, and the rest, in the
/// row's "More actions" menu.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RowAction {
    Edit,
    Act(EmailAction),
}

impl RowAction {
    pub fn key(self) -> &'static str {
        match self {
            RowAction::Edit => "edit",
            RowAction::Act(action) => action.as_str(),
        }
    }

    pub fn label(self) -> Msg {
        match self {
            RowAction::Edit => Msg::ActionEdit,
            RowAction::Act(action) => action_label(action),
        }
    }

    pub fn from_key(key: &str) -> Option<RowAction> {
        match key {
            "edit" => Some(RowAction::Edit),
            other => other.parse().ok().map(RowAction::Act),
        }
    }

    /// Editing first where the email can still be edited, then the quick actions the server
    /// would take (api::EmailState::offered), in the order the UI shows them.
    pub fn offered(email: &api::EmailState) -> Vec<RowAction> {
        email
            .status
            .is_editable()
            .then_some(RowAction::Edit)
            .into_iter()
            .chain(email.offered().map(RowAction::Act))
            .collect()
    }
}

pub async fn run(
    api: &ApiClient,
    id: EmailId,
    action: EmailAction,
    send_at: Option<Timestamp>,
) -> Result<(), ApiError> {
    match action {
        EmailAction::Delete => api.call(emails::delete(id)).await,
        // The email as it now is comes back, but the list re-reads its rows anyway: skipping
        // it keeps the email's full reader out of the first download.
        _ => {
            let call = emails::act(id, action, &ActionRequest { send_at });
            api.call(call.answer_ignored()).await.map(|_| ())
        }
    }
}

pub async fn run_bulk(
    api: &ApiClient,
    ids: Vec<EmailId>,
    action: EmailAction,
) -> Result<BulkResponse, ApiError> {
    let request = BulkRequest {
        ids,
        action,
        send_at: None,
    };
    api.call(emails::bulk(&request)).await
}

#[cfg(test)]
mod tests {
    use super::RowAction;
    use api::{EmailAction, EmailState, EmailStatus};
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn state(status: EmailStatus) -> EmailState {
        EmailState {
            status,
            in_campaign: false,
            campaign_step: false,
            marked_success: false,
            rep_has_draft: false,
            person_opted_out: false,
        }
    }

    #[test]
    fn a_row_leads_with_editing_where_it_can_and_keys_name_each_action_back() {
        let scheduled = RowAction::offered(&state(EmailStatus::Scheduled));
        assert_eq!(scheduled[0], RowAction::Edit);
        assert!(scheduled.contains(&RowAction::Act(EmailAction::SendNow)));
        let delivered = RowAction::offered(&state(EmailStatus::Delivered));
        assert_eq!(delivered[0], RowAction::Act(EmailAction::Archive));
        assert!(!delivered.contains(&RowAction::Edit));
        assert!(RowAction::offered(&state(EmailStatus::InProgress)).is_empty());
        for action in scheduled.into_iter().chain(delivered) {
            assert_eq!(RowAction::from_key(action.key()), Some(action));
        }
    }
}
