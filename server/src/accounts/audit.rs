//! The audit log: sign-ins (and failures), changes to users and teams, hand-overs, viewing as
//! another user and exports — who, when, from where. Admins read it; it keeps 180 days.

use super::{Actor, Result};
use crate::time::from_ms;
use api::users::{AuditAction, AuditEvent, AuditPage};
use api::{Id, UserId};
use sqlx::AnyConnection;
use std::net::IpAddr;

pub const KEPT_MS: i64 = 180 * 24 * 60 * 60 * 1000;
pub const PAGE_SIZE: i64 = 100;

/// One event to record.
pub struct Entry<'a> {
    pub action: AuditAction,
    pub actor: Option<UserId>,
    pub subject: Option<UserId>,
    pub address: Option<IpAddr>,
    pub detail: &'a str,
}

/// A refusal alike to one recorded this recently adds to its count instead of a new entry.
const REPEAT_WINDOW_MS: i64 = 10 * 60 * 1000;

pub async fn record(conn: &mut AnyConnection, entry: Entry<'_>, now: i64) -> Result<()> {
    // A detail is a note, not a place to store a request body.
    let detail: String = entry.detail.chars().take(500).collect();
    let address = entry.address.map(|a| a.to_string());
    // Refusals are what strangers can cause at will: alike ones are counted on one entry.
    if entry.action == AuditAction::SignInFailed {
        let counted = sqlx::query(
            "UPDATE audit_events SET repeats = repeats + 1, at = $1
             WHERE id = (SELECT MAX(id) FROM audit_events
                         WHERE action = $2 AND at >= $3 AND detail = $4
                           AND COALESCE(actor_id, 0) = COALESCE($5, 0)
                           AND COALESCE(address, '') = COALESCE($6, ''))",
        )
        .bind(now)
        .bind(entry.action.as_str())
        .bind(now - REPEAT_WINDOW_MS)
        .bind(&detail)
        .bind(entry.actor)
        .bind(address.as_deref())
        .execute(&mut *conn)
        .await?;
        if counted.rows_affected() > 0 {
            return Ok(());
        }
    }
    sqlx::query(
        "INSERT INTO audit_events (at, actor_id, action, subject_id, address, detail)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(now)
    .bind(entry.actor)
    .bind(entry.action.as_str())
    .bind(entry.subject)
    .bind(address)
    .bind(detail)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Whether `actor` did `action` about `subject` since `since` (ms).
pub async fn seen_within(
    conn: &mut AnyConnection,
    action: AuditAction,
    actor: UserId,
    subject: UserId,
    since: i64,
) -> Result<bool> {
    let found: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM audit_events
         WHERE at >= $1 AND action = $2 AND actor_id = $3 AND subject_id = $4 LIMIT 1",
    )
    .bind(since)
    .bind(action.as_str())
    .bind(actor)
    .bind(subject)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.is_some())
}

#[derive(sqlx::FromRow)]
struct Row {
    id: Id,
    at: i64,
    action: String,
    actor: Option<String>,
    subject: Option<String>,
    address: Option<String>,
    detail: String,
    repeats: i64,
}

/// A page of events, newest first, older than the cursor `before` (an event id) when given.
pub async fn page(
    conn: &mut AnyConnection,
    actor: Actor,
    before: Option<Id>,
    action: Option<AuditAction>,
) -> Result<AuditPage> {
    actor.require_admin()?;
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT a.id, a.at, a.action, actor.name || ' <' || actor.email || '>' AS actor,
                subject.name || ' <' || subject.email || '>' AS subject, a.address, a.detail,
                a.repeats
         FROM audit_events a
         LEFT JOIN users actor ON actor.id = a.actor_id
         LEFT JOIN users subject ON subject.id = a.subject_id
         WHERE a.id < $1 AND ($2 = '' OR a.action = $2)
         ORDER BY a.id DESC LIMIT $3",
    )
    .bind(before.unwrap_or(i64::MAX))
    .bind(action.map_or("", AuditAction::as_str))
    .bind(PAGE_SIZE + 1)
    .fetch_all(&mut *conn)
    .await?;
    let more = rows.len() as i64 > PAGE_SIZE;
    let events: Vec<AuditEvent> = rows
        .into_iter()
        .take(PAGE_SIZE as usize)
        .filter_map(|row| {
            Some(AuditEvent {
                id: row.id,
                at: from_ms(row.at),
                action: row.action.parse::<AuditAction>().ok()?,
                actor: row.actor,
                subject: row.subject,
                address: row.address,
                detail: row.detail,
                repeats: u32::try_from(row.repeats).unwrap_or(u32::MAX),
            })
        })
        .collect();
    let next = more
        .then(|| events.last().map(|e| e.id.to_string()))
        .flatten();
    Ok(AuditPage { events, next })
}

/// Forgets events older than 180 days.
pub async fn purge(conn: &mut AnyConnection, now: i64) -> Result<u64> {
    let purged = sqlx::query("DELETE FROM audit_events WHERE at < $1")
        .bind(now - KEPT_MS)
        .execute(&mut *conn)
        .await?;
    Ok(purged.rows_affected())
}
