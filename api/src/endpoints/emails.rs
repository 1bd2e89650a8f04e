//! The folders, one email, and what is done to emails, one or many.

use super::*;
use crate::batch::{BatchCreated, NewBatch};
use crate::ids::*;
use crate::{
    ActionRequest, BulkRequest, BulkResponse, EmailAction, EmailDetail, EmailPatch, EmailSummary,
    EngagedEmail, Folder, FolderCounts, NewEmail,
};

/// A folder's emails, `limit` at a time, after `cursor` (the first page without one).
pub fn folder(folder: Folder, limit: usize, cursor: Option<&str>) -> Call<Page<EmailSummary>> {
    let mut pairs = vec![("folder", folder.to_string()), ("limit", limit.to_string())];
    if let Some(cursor) = cursor {
        pairs.push(("cursor", cursor.to_owned()));
    }
    Call::get(with_query(paths::EMAILS, &pairs))
}

pub fn counts() -> Call<FolderCounts> {
    Call::get(paths::EMAIL_COUNTS.to_owned())
}

/// The emails with the most engagement in the last `days`.
pub fn most_engaged(days: u32, limit: u32) -> Call<Vec<EngagedEmail>> {
    let pairs = [("days", days.to_string()), ("limit", limit.to_string())];
    Call::get(with_query(paths::MOST_ENGAGED, &pairs))
}

pub fn one(id: EmailId) -> Call<EmailDetail> {
    Call::get(at(paths::EMAIL, id))
}

pub fn create(email: &NewEmail) -> Call<EmailDetail> {
    Call::with(Method::Post, paths::EMAILS.to_owned(), email)
}

pub fn edit(id: EmailId, patch: &EmailPatch) -> Call<EmailDetail> {
    Call::with(Method::Patch, at(paths::EMAIL, id), patch)
}

pub fn delete(id: EmailId) -> Call<()> {
    Call::delete(at(paths::EMAIL, id))
}

/// A quick action on one email; the email as it now is comes back (skipping a campaign
/// step answers nothing).
pub fn act(id: EmailId, action: EmailAction, request: &ActionRequest) -> Call<Option<EmailDetail>> {
    let path = at(paths::EMAIL_ACTION, id).replace("{action}", action.as_str());
    Call::with(Method::Post, path, request)
}

pub fn bulk(request: &BulkRequest) -> Call<BulkResponse> {
    Call::with(Method::Post, paths::EMAIL_BULK.to_owned(), request)
}

/// Select and Send, or a group email.
pub fn batch(batch: &NewBatch) -> Call<BatchCreated> {
    Call::with(Method::Post, paths::EMAIL_BATCH.to_owned(), batch)
}
