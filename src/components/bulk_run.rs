//! The one way an action runs on many emails or tasks: in small batches, with a progress bar,
//! then a result that names each one that was not done and why.

use crate::api_client::ApiError;
use crate::i18n::Msg;
use crate::selection::RowId;
use crate::state::use_app;
use leptos::prelude::*;
use std::future::Future;

/// Items per request: small enough for the progress bar to move.
const BATCH: usize = 25;

/// What a run's items are: emails or tasks, each named by its id.
pub trait Item: RowId + Ord + std::fmt::Display {}
impl<T: RowId + Ord + std::fmt::Display> Item for T {}

#[derive(Clone, Debug, PartialEq)]
pub struct Failure<Id> {
    pub id: Id,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Progress<Id> {
    pub done: usize,
    pub total: usize,
    pub failures: Vec<Failure<Id>>,
    pub finished: bool,
}

/// One item's answer in a batch: done, or why not.
pub type Outcome<Id> = (Id, Result<(), String>);

/// An item's answer as the bulk endpoints give it.
pub fn outcome<Id>(id: Id, ok: bool, error: Option<String>) -> Outcome<Id> {
    (
        id,
        if ok {
            Ok(())
        } else {
            Err(error.unwrap_or_default())
        },
    )
}

/// Sends `ids` in batches through `send`, moving `progress` as each answers. Answers the ids
/// done, and the error that stopped the run, if one did (what was not sent is not done).
pub async fn in_batches<Id: Item, Fut>(
    mut ids: Vec<Id>,
    progress: RwSignal<Option<Progress<Id>>>,
    send: impl Fn(Vec<Id>) -> Fut,
) -> (Vec<Id>, Option<ApiError>)
where
    Fut: Future<Output = Result<Vec<Outcome<Id>>, ApiError>>,
{
    ids.sort_unstable();
    progress.set(Some(Progress {
        done: 0,
        total: ids.len(),
        failures: Vec::new(),
        finished: false,
    }));
    let mut done = Vec::with_capacity(ids.len());
    let mut stopped = None;
    for batch in ids.chunks(BATCH) {
        match send(batch.to_vec()).await {
            Ok(outcomes) => progress.update(|p| {
                let Some(p) = p else { return };
                p.done += batch.len();
                for (id, outcome) in outcomes {
                    match outcome {
                        Ok(()) => done.push(id),
                        Err(reason) => p.failures.push(Failure { id, reason }),
                    }
                }
            }),
            Err(error) => {
                stopped = Some(error);
                break;
            }
        }
    }
    progress.update(|p| {
        if let Some(p) = p {
            p.finished = true;
        }
    });
    (done, stopped)
}

/// The run's bar and what came of it.
#[component]
pub fn BulkProgress<Id: Item>(progress: RwSignal<Option<Progress<Id>>>) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    move || {
        progress.get().map(|p| {
            let counted = |msg: Msg| {
                t(msg)
                    .replace("{done}", &p.done.to_string())
                    .replace("{total}", &p.total.to_string())
            };
            let said = if p.finished {
                let failed = p.failures.len() + p.total - p.done;
                t(Msg::BulkDone)
                    .replace("{ok}", &(p.total - failed).to_string())
                    .replace("{failed}", &failed.to_string())
            } else {
                counted(Msg::BulkProgress)
            };
            view! {
                <div class="cc-progress">
                    <progress max=p.total value=p.done aria-label=counted(Msg::BulkProgress)></progress>
                    <span role="status">{said}</span>
                    <ul class="cc-bulk-failures">
                        {p.failures.iter().map(|f| view! {
                            <li>{t(Msg::BulkFailedItem).replace("{id}", &f.id.to_string()).replace("{reason}", &f.reason)}</li>
                        }).collect_view()}
                    </ul>
                </div>
            }
        })
    }
}
