//! Quick actions on emails: their labels and the API calls behind them.

use crate::api_client::{ApiClient, ApiError};
use crate::i18n::Msg;
use api::{ActionRequest, BulkRequest, BulkResponse, EmailAction, Id, Timestamp};
use serde::de::IgnoredAny;

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

pub async fn run(
    api: &ApiClient,
    id: Id,
    action: EmailAction,
    send_at: Option<Timestamp>,
) -> Result<(), ApiError> {
    let path = format!("/emails/{id}/{}", action.as_str());
    match action {
        EmailAction::Delete => api.delete(&format!("/emails/{id}")).await,
        EmailAction::SkipStep => api.post_empty(&path, &ActionRequest { send_at }).await,
        // The email as it now is comes back, but the list re-reads its rows anyway: skipping
        // it keeps the email's full reader out of the first download.
        _ => api
            .post::<_, IgnoredAny>(&path, &ActionRequest { send_at })
            .await
            .map(|_| ()),
    }
}

pub async fn run_bulk(
    api: &ApiClient,
    ids: Vec<Id>,
    action: EmailAction,
) -> Result<BulkResponse, ApiError> {
    api.post(
        "/emails/bulk",
        &BulkRequest {
            ids,
            action,
            send_at: None,
        },
    )
    .await
}
