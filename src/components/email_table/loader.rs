//! A folder's rows as the server pages them: the first page, the next pages on scrolling (by
//! cursor), and the loaded rows read again from the top when the rep's emails change. Written by
//! hand rather than as a `Resource`: pages are appended, not replaced, and a live re-read must
//! keep the rows loaded beyond it and any page being appended meanwhile; an answer for a folder
//! the rep has left, or an older re-read's, is dropped by the counters below.

use crate::api_client::ApiError;
use crate::quick_filter::Loaded;
use crate::state::{use_app, AppState};
use api::{EmailId, EmailSummary, Folder};
use leptos::prelude::*;
use std::collections::HashSet;

const PAGE_SIZE: usize = 50;
/// A live re-read fetches what is on screen, up to the API's page limit.
const MAX_RELOAD: usize = 200;

#[derive(Clone, Debug)]
pub enum Load {
    Idle,
    Loading,
    /// What failed is what Try again asks for again.
    Failed(ApiError, Request),
}

/// A read of the folder's rows.
#[derive(Clone, Debug)]
pub enum Request {
    /// The page after `cursor` (the first page without one), appended.
    Page(Option<String>),
    /// The rows loaded so far, read again from the top after a live change.
    Reread,
}

#[derive(Clone, Copy)]
pub struct FolderRows {
    state: AppState,
    folder: Memo<Folder>,
    pub rows: RwSignal<Loaded<EmailSummary>>,
    pub next_cursor: RwSignal<Option<String>>,
    pub load: RwSignal<Load>,
    /// The rows ticked; a re-read drops those no longer in the folder.
    pub selected: RwSignal<HashSet<EmailId>>,
    /// Responses for a folder the rep has already left are dropped.
    generation: StoredValue<u64>,
    /// A live re-read's answer is dropped when a newer re-read has started.
    rereads: StoredValue<u64>,
}

impl FolderRows {
    pub fn new(folder: Memo<Folder>) -> Self {
        FolderRows {
            state: use_app(),
            folder,
            rows: RwSignal::new(Loaded::default()),
            next_cursor: RwSignal::new(None),
            load: RwSignal::new(Load::Idle),
            selected: RwSignal::new(HashSet::new()),
            generation: StoredValue::new(0),
            rereads: StoredValue::new(0),
        }
    }

    /// Another folder: everything loaded or ticked goes, and its first page is read.
    pub fn restart(self) {
        self.generation.update_value(|g| *g += 1);
        self.rows.set(Loaded::default());
        self.selected.set(HashSet::new());
        self.next_cursor.set(None);
        self.fetch(Request::Page(None));
    }

    pub fn next_page(self) {
        self.fetch(Request::Page(self.next_cursor.get_untracked()));
    }

    /// Whether another page may be asked for now (tracked).
    pub fn can_load_more(self) -> bool {
        self.load.with(|l| matches!(l, Load::Idle)) && self.next_cursor.with(Option::is_some)
    }

    pub fn fetch(self, request: Request) {
        let FolderRows {
            state,
            rows,
            next_cursor,
            load,
            selected,
            generation,
            rereads,
            ..
        } = self;
        let (cursor, limit, replace) = match &request {
            Request::Page(cursor) => (cursor.clone(), PAGE_SIZE, false),
            // A page being appended meanwhile still lands: the re-read keeps the rows beyond
            // its head, and their cursor.
            Request::Reread => {
                rereads.update_value(|r| *r += 1);
                let shown = rows
                    .with_untracked(|rows| rows.len())
                    .clamp(PAGE_SIZE, MAX_RELOAD);
                (None, shown, true)
            }
        };
        let folder = self.folder.get_untracked();
        let this_generation = generation.get_value();
        let this_reread = rereads.get_value();
        // A re-read under loaded rows goes on quietly: the footer's state belongs to the page
        // being appended, if any (were a re-read to say Idle meanwhile, the infinite scroll
        // would ask for the same next page again); unless the footer shows a re-read's failure.
        let shows_loading = !replace
            || rows.with_untracked(|rows| rows.is_empty())
            || load.with_untracked(|l| matches!(l, Load::Failed(_, Request::Reread)));
        if shows_loading {
            load.set(Load::Loading);
        }
        let call = api::endpoints::emails::folder(folder, limit, cursor.as_deref())
            .viewed_as(state.viewed_id());
        let api = state.api();
        leptos::task::spawn_local(async move {
            let result = api.call(call).await;
            // The table may be gone (another folder, signed out): then nothing is shown.
            if generation.try_get_value() != Some(this_generation)
                || (replace && rereads.try_get_value() != Some(this_reread))
            {
                return;
            }
            match result {
                Ok(page) => {
                    let mut cursor = page.next_cursor;
                    if replace {
                        // The rows loaded beyond the re-read stay (and so does their cursor).
                        let reached_the_end = cursor.is_none();
                        let mut kept_tail = false;
                        rows.update(|rows| {
                            kept_tail = rows.refresh_head(
                                page.items,
                                reached_the_end,
                                |e| e.id,
                                |row, last| row.listed_after(last, folder),
                            );
                        });
                        if kept_tail {
                            cursor = next_cursor.get_untracked();
                        }
                        let ids: HashSet<EmailId> =
                            rows.with_untracked(|rows| rows.iter().map(|e| e.id).collect());
                        selected.update(|s| s.retain(|id| ids.contains(id)));
                    } else {
                        rows.update(|rows| rows.extend(page.items));
                    }
                    next_cursor.set(cursor);
                    // Not over a failure meanwhile: the rep is still to see that one.
                    if shows_loading && load.with_untracked(|l| matches!(l, Load::Loading)) {
                        load.set(Load::Idle);
                    }
                }
                Err(error) => load.set(Load::Failed(error, request)),
            }
        });
    }
}
