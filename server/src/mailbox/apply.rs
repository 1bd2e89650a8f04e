//! What a message from the mailbox does, each message once. In one transaction: the message is
//! kept by its key (a second arrival changes nothing), its effect on the email it concerns is
//! written, and the mailbox's position moves past it; so a crash at any point neither repeats
//! nor skips one.

use super::classify::{classify, Inbound};
use super::watcher::Scope;
use crate::db::Db;
use crate::time::now_ms;
use crate::tracking::{returned_in, Returned};
use api::{EmailId, UserId};
use sha2::{Digest, Sha256};

/// Where a message sits in its mailbox.
#[derive(Clone, Copy, Debug)]
pub struct Position<'a> {
    pub mailbox: &'a str,
    pub uid_validity: u32,
    pub uid: u32,
}

/// The email a message changed, and its rep (to tell).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Changed {
    pub rep: UserId,
    pub email: EmailId,
}

/// The last UID read in this mailbox, or 0 when it has not been read at this UIDVALIDITY (its
/// messages are then read again: the kept keys stop any from acting twice).
pub async fn position(db: &Db, mailbox: &str, uid_validity: u32) -> sqlx::Result<i64> {
    let kept: Option<(i64, i64)> =
        sqlx::query_as("SELECT uid_validity, last_uid FROM mailbox_positions WHERE mailbox = $1")
            .bind(mailbox)
            .fetch_optional(db)
            .await?;
    Ok(match kept {
        Some((validity, last)) if validity == i64::from(uid_validity) => last,
        _ => 0,
    })
}

/// Applies one message read at `at` in a mailbox of `scope`; answers the email it changed, if
/// any.
pub async fn apply(
    db: &Db,
    raw: &[u8],
    at: Position<'_>,
    scope: Scope,
) -> anyhow::Result<Option<Changed>> {
    let inbound = classify(raw);
    let key = key_of(raw);
    let mut tx = crate::db::begin_write(db).await?;
    let mut changed = None;
    let (kind, email, detail) = match &inbound {
        Inbound::Reply {
            answers, snippet, ..
        } => {
            let email = sent_email(&mut tx, answers).await?;
            ("reply", email, Some(snippet.clone()))
        }
        Inbound::AutoReply { answers } => ("auto_reply", sent_email(&mut tx, answers).await?, None),
        Inbound::Bounce {
            original,
            status,
            diagnostic,
        }
        | Inbound::Delayed {
            original,
            status,
            diagnostic,
        } => {
            let kind = if matches!(inbound, Inbound::Bounce { .. }) {
                "bounce"
            } else {
                "delayed"
            };
            let email = returned_email(&mut tx, original).await?;
            let said = format!("{status} {diagnostic}").trim().to_owned();
            (kind, email, Some(said))
        }
        Inbound::Complaint { original } => ("spam", returned_email(&mut tx, original).await?, None),
        Inbound::Unrelated => ("unrelated", None, None),
    };
    // A rep's mailbox speaks only of their own emails.
    let email = match (scope, email) {
        (Scope::Rep(rep), Some((id, owner))) if owner == rep => Some(id),
        (Scope::Rep(_), _) => None,
        (Scope::Server, found) => found.map(|(id, _)| id),
    };
    // Of a rep's mailbox only what concerns their emails is kept: the rest is their own mail.
    let keep = scope == Scope::Server || email.is_some();
    let first = keep
        && sqlx::query(
            "INSERT INTO inbound_messages (key, kind, email_id, detail, received_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key) DO NOTHING",
        )
        .bind(&key)
        .bind(kind)
        .bind(email)
        .bind(detail.as_deref())
        .bind(now_ms())
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
    if let (true, Some(email)) = (first, email) {
        let rep = match kind {
            "reply" => {
                let rep = crate::tracking::record_in(&mut tx, email, "reply", None, None).await?;
                if rep.is_some() {
                    sqlx::query(
                        "UPDATE email_events SET detail = $1 WHERE id =
                           (SELECT MAX(id) FROM email_events WHERE email_id = $2 AND kind = 'reply')",
                    )
                    .bind(detail.as_deref())
                    .bind(email)
                    .execute(&mut *tx)
                    .await?;
                }
                rep
            }
            "bounce" => returned_in(&mut tx, email, Returned::Bounced, detail.as_deref()).await?,
            "spam" => returned_in(&mut tx, email, Returned::Spam, None).await?,
            // An automatic reply or a delay is kept above and changes nothing.
            _ => None,
        };
        changed = rep.map(|rep| Changed { rep, email });
    }
    move_past(&mut tx, at).await?;
    tx.commit().await?;
    Ok(changed)
}

/// Moves the mailbox's position past a message that is not read (too large): it is not looked
/// at again.
pub async fn pass_over(db: &Db, at: Position<'_>) -> sqlx::Result<()> {
    let mut tx = crate::db::begin_write(db).await?;
    move_past(&mut tx, at).await?;
    tx.commit().await
}

async fn move_past(tx: &mut sqlx::AnyConnection, at: Position<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO mailbox_positions (mailbox, uid_validity, last_uid) VALUES ($1, $2, $3)
         ON CONFLICT (mailbox) DO UPDATE SET uid_validity = $2,
             -- Several instances may watch one mailbox: none moves it back.
             last_uid = CASE WHEN mailbox_positions.uid_validity = $2
                              AND mailbox_positions.last_uid > $3
                             THEN mailbox_positions.last_uid ELSE $3 END",
    )
    .bind(at.mailbox)
    .bind(i64::from(at.uid_validity))
    .bind(i64::from(at.uid))
    .execute(&mut *tx)
    .await
    .map(drop)
}

/// A message's key: its Message-ID, or without one a digest of the whole message.
fn key_of(raw: &[u8]) -> String {
    let id = mail_parser::MessageParser::default()
        .parse_headers(raw)
        .and_then(|headers| headers.message_id().map(str::to_owned));
    match id {
        Some(id) => format!("id:{id}"),
        None => format!("sha256:{}", hex::encode(Sha256::digest(raw))),
    }
}

/// An email of ours and its owner.
type Found = Option<(EmailId, UserId)>;

/// The first of these Message-IDs that is one of our sent emails.
async fn sent_email(tx: &mut sqlx::AnyConnection, ids: &[String]) -> sqlx::Result<Found> {
    for id in ids {
        // Kept as `<…>`; the parser gives it without the brackets.
        let found: Found = sqlx::query_as("SELECT id, owner_id FROM emails WHERE message_id = $1")
            .bind(format!("<{id}>"))
            .fetch_optional(&mut *tx)
            .await?;
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

/// The email a report returns: by the Message-ID it quotes, else by its return path's token.
async fn returned_email(
    tx: &mut sqlx::AnyConnection,
    original: &super::Original,
) -> sqlx::Result<Found> {
    if let Some(found) = sent_email(&mut *tx, original.message_id.as_slice()).await? {
        return Ok(Some(found));
    }
    let Some(token) = &original.return_token else {
        return Ok(None);
    };
    sqlx::query_as("SELECT id, owner_id FROM emails WHERE return_token = $1")
        .bind(token)
        .fetch_optional(&mut *tx)
        .await
}
