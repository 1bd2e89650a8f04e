//! Advanced search and the saved searches (dynamic lists).

use super::*;
use crate::ids::*;

pub fn run(request: &SearchRequest) -> Call<SearchResponse> {
    Call::with(Method::Post, paths::SEARCH.to_owned(), request)
}

pub fn saved_list() -> Call<Vec<SavedSearch>> {
    Call::get(paths::SAVED_SEARCHES.to_owned())
}

pub fn saved(id: SavedSearchId) -> Call<SavedSearch> {
    Call::get(at(paths::SAVED_SEARCH, id))
}

pub fn save(new: &NewSavedSearch) -> Call<SavedSearch> {
    Call::with(Method::Post, paths::SAVED_SEARCHES.to_owned(), new)
}

pub fn change_saved(id: SavedSearchId, patch: &SavedSearchPatch) -> Call<SavedSearch> {
    Call::with(Method::Patch, at(paths::SAVED_SEARCH, id), patch)
}

pub fn delete_saved(id: SavedSearchId) -> Call<()> {
    Call::delete(at(paths::SAVED_SEARCH, id))
}

/// Who matches a saved search now; `mark_seen` (its opening) makes its newcomers seen.
pub fn saved_results(id: SavedSearchId, mark_seen: bool) -> Call<SavedSearchResults> {
    let pairs = [("mark_seen", mark_seen.to_string())];
    Call::get(with_query(&at(paths::SAVED_SEARCH_RESULTS, id), &pairs))
}
