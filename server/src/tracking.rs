//! Engagement: a view, a click or a reply counts while its email is delivered, and never when it
//! is the rep's own; a delivered email that bounces or is reported as spam moves there. The rules
//! and their SQL, with their own error type, for the tracking endpoints, the delivery webhook
//! and the watched mailbox alike; the abuse limits in front of the public endpoints are
//! `rate_limits`.

use crate::time::now_ms;
use api::{EmailId, UserId};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// How long after sending a tracked link still redirects by itself. Past that, the link shows
/// where it leads and the reader follows it by hand, uncounted: an old link in a forwarded or
/// leaked email is no longer a redirect anyone can point people through, and a prospect reading
/// an old email still gets where it meant to go.
pub const CLICK_REDIRECT_DAYS: i64 = 180;

/// Whether a link of an email sent at `sent_at` (never sent: a link only built so far) still
/// redirects at `now`.
pub fn click_redirects(sent_at: Option<i64>, now: i64) -> bool {
    sent_at.is_none_or(|sent| now - sent <= CLICK_REDIRECT_DAYS * 24 * 60 * 60 * 1000)
}

/// The email whose view pixel has this token.
pub async fn email_of_pixel(db: &crate::db::Db, token: &str) -> Result<Option<EmailId>, Error> {
    let email: Option<(EmailId,)> =
        sqlx::query_as("SELECT id FROM emails WHERE tracking_token = $1")
            .bind(token)
            .fetch_optional(db)
            .await?;
    Ok(email.map(|(id,)| id))
}

/// A tracked link as recorded when its email was sent, with what a click on it is judged by.
#[derive(sqlx::FromRow)]
pub struct Link {
    pub email_id: EmailId,
    pub url: String,
    pub sent_at: Option<i64>,
    pub views: i64,
}

/// The link with this token, if one was recorded.
pub async fn link(db: &crate::db::Db, token: &str) -> Result<Option<Link>, Error> {
    Ok(sqlx::query_as(
        "SELECT l.email_id, l.url, e.sent_at, e.views
         FROM email_links l JOIN emails e ON e.id = l.email_id WHERE l.token = $1",
    )
    .bind(token)
    .fetch_optional(db)
    .await?)
}

/// An email as the delivery webhook finds it by its Message-ID.
#[derive(sqlx::FromRow)]
pub struct SentEmail {
    pub id: EmailId,
    pub owner_id: UserId,
    pub status: String,
    pub channel: String,
}

pub async fn sent_with_message_id(
    db: &crate::db::Db,
    message_id: &str,
) -> Result<Option<SentEmail>, Error> {
    Ok(
        sqlx::query_as("SELECT id, owner_id, status, channel FROM emails WHERE message_id = $1")
            .bind(message_id)
            .fetch_optional(db)
            .await?,
    )
}

/// Whether a webhook request with this signature is the first seen, remembering it; ones older
/// than `keep_ms` are forgotten first (they are refused as stale before they get here).
pub async fn first_delivery(
    tx: &mut sqlx::AnyConnection,
    signature: &str,
    now: i64,
    keep_ms: i64,
) -> Result<bool, Error> {
    sqlx::query("DELETE FROM webhook_deliveries WHERE received_at < $1")
        .bind(now - keep_ms)
        .execute(&mut *tx)
        .await?;
    let first = sqlx::query(
        "INSERT INTO webhook_deliveries (signature, received_at) VALUES ($1, $2)
         ON CONFLICT (signature) DO NOTHING",
    )
    .bind(signature)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    Ok(first.rows_affected() > 0)
}

/// Records `kind` (view, click, reply) of an email inside the caller's transaction, if the email
/// is tracked now and `viewer` is not its rep; returns the owner to tell when it counted.
pub async fn record_in(
    tx: &mut sqlx::AnyConnection,
    email_id: EmailId,
    kind: &str,
    url: Option<&str>,
    viewer: Option<UserId>,
) -> Result<Option<UserId>, Error> {
    let email: Option<(UserId, String)> =
        sqlx::query_as("SELECT owner_id, status FROM emails WHERE id = $1")
            .bind(email_id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((owner_id, status)) = email else {
        return Ok(None);
    };
    let tracked = status
        .parse::<api::EmailStatus>()
        .is_ok_and(api::EmailStatus::is_tracked);
    if !tracked || viewer == Some(owner_id) {
        return Ok(None);
    }
    let now = now_ms();
    // Guarded in the write itself, so an email archived a moment ago gains nothing.
    let updated = sqlx::query(
        "UPDATE emails SET views = views + CASE WHEN $1 = 'view' THEN 1 ELSE 0 END,
                clicks = clicks + CASE WHEN $2 = 'click' THEN 1 ELSE 0 END,
                replies = replies + CASE WHEN $3 = 'reply' THEN 1 ELSE 0 END,
                last_activity_at = $4
         WHERE id = $5 AND status = 'delivered'",
    )
    .bind(kind)
    .bind(kind)
    .bind(kind)
    .bind(now)
    .bind(email_id)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Ok(None);
    }
    sqlx::query(
        "INSERT INTO email_events (email_id, kind, url, occurred_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(email_id)
    .bind(kind)
    .bind(url)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if kind == "reply" {
        // A reply to any of a campaign's emails ends the person's enrolment in it.
        let whose = crate::campaigns::progress::Whose::EmailOf(email_id);
        crate::campaigns::progress::apply(tx, whose, api::sequence::Event::Replied, now).await?;
    }
    Ok(Some(owner_id))
}

/// How a delivered email came back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Returned {
    Bounced,
    /// The recipient reported it as spam.
    Spam,
}

/// Moves a delivered email to Bounced or Spam inside the caller's transaction, with the reason
/// shown to the rep (kept when none is given) and the event in its timeline; returns its owner,
/// or `None` when it is not delivered (archived, already returned: that state wins).
pub async fn returned_in(
    tx: &mut sqlx::AnyConnection,
    email_id: EmailId,
    how: Returned,
    reason: Option<&str>,
) -> Result<Option<UserId>, Error> {
    let (status, event) = match how {
        Returned::Bounced => ("bounced", "bounce"),
        Returned::Spam => ("spam", "spam"),
    };
    let now = now_ms();
    // Guarded in the statement itself: an archive or another report a moment ago wins.
    let owner: Option<(UserId,)> = sqlx::query_as(
        "UPDATE emails SET status = $1, failure_reason = COALESCE($2, failure_reason), updated_at = $3
         WHERE id = $4 AND status = 'delivered' RETURNING owner_id",
    )
    .bind(status)
    .bind(reason)
    .bind(now)
    .bind(email_id)
    .fetch_optional(&mut *tx)
    .await?;
    if owner.is_some() {
        sqlx::query(
            "INSERT INTO email_events (email_id, kind, detail, occurred_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(email_id)
        .bind(event)
        .bind(reason)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let whose = crate::campaigns::progress::Whose::EmailOf(email_id);
        let event = match how {
            Returned::Bounced => api::sequence::Event::Bounced,
            Returned::Spam => api::sequence::Event::Spam,
        };
        crate::campaigns::progress::apply(tx, whose, event, now).await?;
    }
    Ok(owner.map(|(owner,)| owner))
}

#[cfg(test)]
mod tests {
    use super::{click_redirects, CLICK_REDIRECT_DAYS};

    #[test]
    fn a_click_link_redirects_for_its_days_after_sending_then_no_more() {
        let day = 24 * 60 * 60 * 1000;
        let sent = 1_700_000_000_000;
        assert!(click_redirects(None, sent));
        assert!(click_redirects(Some(sent), sent));
        assert!(click_redirects(
            Some(sent),
            sent + CLICK_REDIRECT_DAYS * day
        ));
        assert!(!click_redirects(
            Some(sent),
            sent + CLICK_REDIRECT_DAYS * day + 1
        ));
    }
}
