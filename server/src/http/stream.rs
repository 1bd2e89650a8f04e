//! `GET /stream`: server-sent events of changes to the rep's data. `EventSource` cannot send an
//! Authorization header, so a signed-in client first gets a single-use ticket valid for a minute.
//! A stream lives no longer than the session it was opened under (sign-out, sign-out everywhere,
//! expiry), and a rep has at most `STREAMS_PER_USER` open at once.

use super::session_cache::Ended;
use super::{ApiContext, CurrentUser, Error, Result};
use crate::password;
use api::{Change, ChangeTopic, StreamTicket, UserId};
use axum::extract::{Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures_util::Stream;
use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

const TICKET_LIFETIME: Duration = Duration::from_secs(60);
/// Streams a rep may have open at once: a browser tab holds one.
pub const STREAMS_PER_USER: usize = 10;

/// The session a ticket was issued under.
#[derive(Clone)]
struct Session {
    user_id: UserId,
    token_hash: String,
    expires_at_ms: i64,
}

/// Issues a ticket for `session`, valid for `TICKET_LIFETIME`; only its hash is stored.
async fn issue(db: &crate::db::Db, session: &Session) -> sqlx::Result<String> {
    let ticket = password::new_token();
    let now = crate::time::now_ms();
    sqlx::query(
        "INSERT INTO stream_tickets (ticket_hash, user_id, token_hash, session_until, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(password::token_hash(&ticket))
    .bind(session.user_id)
    .bind(&session.token_hash)
    .bind(session.expires_at_ms)
    .bind(now + TICKET_LIFETIME.as_millis() as i64)
    .execute(db)
    .await?;
    Ok(ticket)
}

/// Deletes the tickets nobody used in time (a redeemed one is deleted as it is used; `redeem`
/// refuses an expired one whether or not it is still stored).
pub async fn delete_expired_tickets(db: &crate::db::Db) -> sqlx::Result<u64> {
    let deleted = sqlx::query("DELETE FROM stream_tickets WHERE expires_at <= $1")
        .bind(crate::time::now_ms())
        .execute(db)
        .await?;
    Ok(deleted.rows_affected())
}

/// The session of an unexpired ticket, which is used up: one statement takes it, so of two
/// instances redeeming it at once only one gets it.
async fn redeem(db: &crate::db::Db, ticket: &str) -> sqlx::Result<Option<Session>> {
    let taken: Option<(UserId, String, i64, i64)> = sqlx::query_as(
        "DELETE FROM stream_tickets WHERE ticket_hash = $1
         RETURNING user_id, token_hash, session_until, expires_at",
    )
    .bind(password::token_hash(ticket))
    .fetch_optional(db)
    .await?;
    Ok(taken
        .filter(|(.., expires_at)| *expires_at > crate::time::now_ms())
        .map(|(user_id, token_hash, expires_at_ms, _)| Session {
            user_id,
            token_hash,
            expires_at_ms,
        }))
}

/// How many streams each user has open.
#[derive(Clone, Default)]
pub struct OpenStreams(Arc<Mutex<HashMap<UserId, usize>>>);

/// One open stream, counted while it lives.
struct StreamSlot {
    streams: OpenStreams,
    user_id: UserId,
}

impl OpenStreams {
    fn open(&self, user_id: UserId) -> Option<StreamSlot> {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let open = map.entry(user_id).or_default();
        if *open >= STREAMS_PER_USER {
            return None;
        }
        *open += 1;
        Some(StreamSlot {
            streams: self.clone(),
            user_id,
        })
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut map = self.streams.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(open) = map.get_mut(&self.user_id) {
            *open -= 1;
            if *open == 0 {
                map.remove(&self.user_id);
            }
        }
    }
}

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route(api::endpoints::paths::STREAM_TICKETS, post(ticket))
        .route(api::endpoints::paths::STREAM, get(stream))
}

async fn ticket(State(ctx): State<ApiContext>, current: CurrentUser) -> Result<Json<StreamTicket>> {
    let session = Session {
        user_id: current.id(),
        token_hash: current.token_hash,
        expires_at_ms: current.expires_at_ms,
    };
    Ok(Json(StreamTicket {
        ticket: issue(&ctx.db, &session).await?,
    }))
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
    let session = redeem(&ctx.db, &params.ticket)
        .await?
        .ok_or(Error::Unauthorized(api::Text::fixed(
            "That stream ticket is unknown, used or expired; ask for a new one.",
            "このストリームのチケットは無効か、使用済みか、期限切れです。新しいチケットを取得してください。",
        )))?;
    // Signed out between taking the ticket and using it: the ticket died with the session.
    let live: Option<(i64,)> =
        sqlx::query_as("SELECT 1 FROM sessions WHERE token_hash = $1 AND expires_at > $2")
            .bind(&session.token_hash)
            .bind(crate::time::now_ms())
            .fetch_optional(&ctx.db)
            .await?;
    if live.is_none() {
        return Err(Error::Unauthorized(api::Text::fixed(
            "The session this ticket was taken under has ended; sign in again.",
            "このチケットを取得したセッションは終了しています。もう一度サインインしてください。",
        )));
    }
    let slot = ctx
        .streams
        .open(session.user_id)
        .ok_or(Error::TooManyRequests {
            retry_after: 30,
            message: api::Text::new(
                format!(
                    "At most {STREAMS_PER_USER} live updates can be open at once; close a tab."
                ),
                format!(
                "同時に開けるライブ更新は {STREAMS_PER_USER} 個までです。タブを閉じてください。"
            ),
            ),
        })?;
    let state = Open {
        changes: ctx.changes.subscribe(),
        ends: ctx.session_ends.subscribe(),
        expires_at: tokio::time::Instant::now()
            + Duration::from_millis((session.expires_at_ms - crate::time::now_ms()).max(0) as u64),
        session,
        first: Some(Event::default().event("ready").data("{}")),
        _slot: slot,
    };
    let events = futures_util::stream::unfold(state, |mut open| async move {
        let event = open.next().await?;
        Some((Ok(event), open))
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}

/// A stream's state between events.
struct Open {
    changes: tokio::sync::broadcast::Receiver<crate::changes::OwnedChange>,
    ends: tokio::sync::broadcast::Receiver<Ended>,
    expires_at: tokio::time::Instant,
    session: Session,
    first: Option<Event>,
    _slot: StreamSlot,
}

impl Open {
    /// The next event to send, or `None` when the stream must close.
    async fn next(&mut self) -> Option<Event> {
        if let Some(first) = self.first.take() {
            return Some(first);
        }
        let expiry = tokio::time::sleep_until(self.expires_at);
        tokio::pin!(expiry);
        loop {
            let change = tokio::select! {
                received = self.changes.recv() => match received {
                    Ok(owned) if owned.owner_id == self.session.user_id => owned.change,
                    Ok(_) => continue,
                    // Fell behind: tell the client to re-read everything.
                    Err(RecvError::Lagged(_)) => Change {
                        topic: ChangeTopic::Emails,
                        ids: Vec::new(),
                    },
                    Err(RecvError::Closed) => return None,
                },
                ended = self.ends.recv() => match ended {
                    Ok(Ended::Session(hash)) if hash == self.session.token_hash => return None,
                    Ok(Ended::User(id)) if id == self.session.user_id => return None,
                    Ok(Ended::OthersOf { user, keep })
                        if user == self.session.user_id && keep != self.session.token_hash =>
                    {
                        return None
                    }
                    Ok(_) => continue,
                    // Missed an end: closing is the safe answer; a live client reconnects.
                    Err(_) => return None,
                },
                () = &mut expiry => return None,
            };
            return Some(
                Event::default()
                    .event("change")
                    .json_data(&change)
                    .unwrap_or_default(),
            );
        }
    }
}
