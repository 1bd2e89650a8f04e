//! `GET /stream`: server-sent events of changes to the rep's data. `EventSource` cannot send an
//! Authorization header, so a signed-in client first gets a single-use ticket valid for a minute.

use super::{ApiContext, CurrentUser, Error, Result};
use crate::password;
use api::{Change, ChangeTopic, StreamTicket};
use axum::extract::{Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures_util::Stream;
use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::broadcast::error::RecvError;

const TICKET_LIFETIME: Duration = Duration::from_secs(60);

/// Outstanding tickets, by the hash of the ticket: the user and when it expires.
#[derive(Clone, Default)]
pub struct Tickets(Arc<Mutex<HashMap<String, (i64, Instant)>>>);

impl Tickets {
    fn issue(&self, user_id: i64) -> String {
        let ticket = password::new_token();
        let mut map = self.0.lock().expect("not poisoned");
        let now = Instant::now();
        map.retain(|_, (_, expires)| *expires > now);
        map.insert(
            password::token_hash(&ticket),
            (user_id, now + TICKET_LIFETIME),
        );
        ticket
    }

    fn redeem(&self, ticket: &str) -> Option<i64> {
        let mut map = self.0.lock().expect("not poisoned");
        let (user_id, expires) = map.remove(&password::token_hash(ticket))?;
        (expires > Instant::now()).then_some(user_id)
    }
}

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/stream/tickets", post(ticket))
        .route("/stream", get(stream))
}

async fn ticket(State(ctx): State<ApiContext>, current: CurrentUser) -> Json<StreamTicket> {
    Json(StreamTicket {
        ticket: ctx.tickets.issue(current.id()),
    })
}

#[derive(serde::Deserialize)]
struct StreamParams {
    #[serde(default)]
    ticket: String,
}

async fn stream(
    State(ctx): State<ApiContext>,
    Query(params): Query<StreamParams>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let owner = ctx
        .tickets
        .redeem(&params.ticket)
        .ok_or(Error::Unauthorized(api::Text::fixed(
            "That stream ticket is unknown, used or expired; ask for a new one.",
            "このストリームのチケットは無効か、使用済みか、期限切れです。新しいチケットを取得してください。",
        )))?;
    let receiver = ctx.changes.subscribe();
    let ready = Event::default().event("ready").data("{}");
    let events = futures_util::stream::unfold(
        (receiver, Some(ready)),
        move |(mut receiver, first)| async move {
            if let Some(first) = first {
                return Some((Ok(first), (receiver, None)));
            }
            loop {
                let change = match receiver.recv().await {
                    Ok(owned) if owned.owner_id == owner => owned.change,
                    Ok(_) => continue,
                    // Fell behind: tell the client to re-read everything.
                    Err(RecvError::Lagged(_)) => Change {
                        topic: ChangeTopic::Emails,
                        ids: Vec::new(),
                    },
                    Err(RecvError::Closed) => return None,
                };
                let event = Event::default()
                    .event("change")
                    .json_data(&change)
                    .unwrap_or_default();
                return Some((Ok(event), (receiver, None)));
            }
        },
    );
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}
