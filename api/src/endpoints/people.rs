//! The rep's people: the list, one person, import and export, actions on many.

use super::*;
use crate::ids::*;
use crate::people::{
    ColumnMapping, ImportReport, OnExisting, PeopleBulkRequest, PeopleBulkResponse, PeoplePage,
    PeopleSort, PersonDetail, PersonFields, PersonPatch,
};

/// The rep's people whose name, email or company holds `text`, in `sort`'s order, `limit`
/// from `offset`.
pub fn page(text: &str, sort: PeopleSort, offset: u64, limit: u64) -> Call<PeoplePage> {
    let pairs = [
        ("q", text.trim().to_owned()),
        ("sort", sort.as_str().to_owned()),
        ("offset", offset.to_string()),
        ("limit", limit.to_string()),
    ];
    Call::get(with_query(paths::PEOPLE, &pairs))
}

/// The first `limit` people found for `text`, for a picker: the list's first page.
pub fn find(text: &str, limit: u64) -> Call<PeoplePage> {
    page(text, PeopleSort::default(), 0, limit)
}

pub fn one(id: PersonId) -> Call<PersonDetail> {
    Call::get(at(paths::PERSON, id))
}

pub fn create(person: &PersonFields) -> Call<Person> {
    Call::with(Method::Post, paths::PEOPLE.to_owned(), person)
}

pub fn edit(id: PersonId, patch: &PersonPatch) -> Call<Person> {
    Call::with(Method::Patch, at(paths::PERSON, id), patch)
}

pub fn delete(id: PersonId) -> Call<()> {
    Call::delete(at(paths::PERSON, id))
}

pub fn restore(id: PersonId) -> Call<Person> {
    Call::with(Method::Post, at(paths::PERSON_RESTORE, id), &NoFields {})
}

/// A part of a CSV file, its header row first: `first_row` is its first row's number in
/// the whole file.
pub fn import(
    mapping: &ColumnMapping,
    on_existing: OnExisting,
    first_row: usize,
    csv: String,
) -> Call<ImportReport> {
    let on_existing = match on_existing {
        OnExisting::Skip => "skip",
        OnExisting::Update => "update",
    };
    let pairs = [
        ("mapping", mapping.to_param()),
        ("on_existing", on_existing.to_owned()),
        ("first_row", first_row.to_string()),
    ];
    Call {
        body: Some(csv),
        content_type: "text/csv; charset=utf-8",
        ..Call::new(Method::Post, with_query(paths::PEOPLE_IMPORT, &pairs))
    }
}

pub fn bulk(request: &PeopleBulkRequest) -> Call<PeopleBulkResponse> {
    Call::with(Method::Post, paths::PEOPLE_BULK.to_owned(), request)
}

/// Every person as CSV.
pub fn export() -> Call<Csv> {
    Call::get(paths::PEOPLE_EXPORT.to_owned())
}
