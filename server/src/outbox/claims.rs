//! Which instance sends which email, when several share one database.
//!
//! An instance claims queued emails (`claimed_by`) before sending them and sends only its own
//! claims. It keeps a lease alive (`sender_instances.heartbeat_at`); when one's lease expires,
//! the others settle its claims by the rules of an interrupted send: never handed to the
//! transport, queued again; handed over, checked (outbox transport) or failed with the reason
//! (SMTP), so the rep decides. Every settling statement names the claimant it settles for, so two
//! instances settling the same one change each email once.

use super::mail::HandOff;
use super::sender::{Sender, INTERRUPTED};
use crate::db::Backend;
use crate::time::now_ms;
use api::{EmailId, UserId};
use std::time::Duration;

/// This instance, as its claims name it.
#[derive(Clone, Debug)]
pub struct Instance {
    pub id: std::sync::Arc<str>,
    /// How long after its last heartbeat an instance counts as gone.
    pub lease: Duration,
}

/// At most this many emails are claimed at once by one instance: whole chunks of sends.
const CLAIM_BATCH: i64 = 4 * super::sender::SEND_CONCURRENCY as i64;

/// Due scheduled emails are queued this many at a time.
const DUE_BATCH: i64 = 1_000;

/// The rows another instance is updating at this moment are skipped on PostgreSQL rather than
/// waited for; SQLite has one writer at a time and no row locks to skip.
macro_rules! skipping_locked {
    ($backend:expr, $before:literal, $after:literal) => {
        match $backend {
            Backend::Sqlite => concat!($before, $after),
            Backend::Postgres => concat!($before, " FOR UPDATE SKIP LOCKED", $after),
        }
    };
}

/// Claims queued emails for instance `$1`, at most `$2`.
fn claim_sql(backend: Backend) -> &'static str {
    skipping_locked!(
        backend,
        "UPDATE emails SET claimed_by = $1 WHERE id IN (
             SELECT id FROM emails
             WHERE status = 'in_progress' AND handed_off_at IS NULL AND claimed_by IS NULL
             ORDER BY id LIMIT $2",
        ") RETURNING id"
    )
}

/// Queues due scheduled emails (as of `$1`), at most `$2`, for any instance to claim; the
/// pending email of a person paused in a campaign, every email of a paused campaign and every
/// email of a deactivated user is held.
fn due_sql(backend: Backend) -> &'static str {
    skipping_locked!(
        backend,
        "UPDATE emails SET status = 'in_progress', handed_off_at = NULL, claimed_by = NULL,
                folder_at = $1, updated_at = $1
         WHERE id IN (
             SELECT id FROM emails WHERE status = 'scheduled' AND scheduled_at <= $1
               AND NOT EXISTS (SELECT 1 FROM campaign_people m
                               WHERE m.pending_email_id = emails.id AND m.state = 'paused')
               AND NOT EXISTS (SELECT 1 FROM campaigns c
                               WHERE c.id = emails.campaign_id AND c.paused_at IS NOT NULL)
               AND NOT EXISTS (SELECT 1 FROM users u
                               WHERE u.id = emails.owner_id AND u.deactivated_at IS NOT NULL)
             ORDER BY id LIMIT $2",
        ") RETURNING id, owner_id"
    )
}

impl Sender {
    /// Moves every due scheduled email to the queue, a batch at a time.
    pub(super) async fn take_due(&self) -> sqlx::Result<()> {
        loop {
            let due: Vec<(EmailId, UserId)> = sqlx::query_as(due_sql(Backend::of(&self.db)))
                .bind(now_ms())
                .bind(DUE_BATCH)
                .fetch_all(&self.db)
                .await?;
            // One change per rep, not per email: on PostgreSQL each is a notification.
            let mut by_owner: std::collections::BTreeMap<UserId, Vec<EmailId>> = Default::default();
            for (id, owner_id) in &due {
                by_owner.entry(*owner_id).or_default().push(*id);
            }
            for (owner_id, ids) in by_owner {
                self.changes.emails(owner_id, ids);
            }
            if (due.len() as i64) < DUE_BATCH {
                return Ok(());
            }
        }
    }

    /// Claims up to a batch of queued emails for this instance, oldest first.
    pub(super) async fn claim(&self) -> sqlx::Result<Vec<EmailId>> {
        let claimed: Vec<(EmailId,)> = sqlx::query_as(claim_sql(Backend::of(&self.db)))
            .bind(&*self.instance.id)
            .bind(CLAIM_BATCH)
            .fetch_all(&self.db)
            .await?;
        let mut ids: Vec<EmailId> = claimed.into_iter().map(|(id,)| id).collect();
        ids.sort_unstable();
        Ok(ids)
    }

    /// At start: takes up the lease, then settles this instance's claims from before it stopped.
    /// On SQLite every claim is this process's (one process serves a database file).
    pub async fn recover(&self) -> anyhow::Result<()> {
        self.heartbeat().await?;
        let every_claim = Backend::of(&self.db) == Backend::Sqlite;
        // Sends handed over before claims existed are adopted too.
        sqlx::query(
            "UPDATE emails SET claimed_by = $1
             WHERE status = 'in_progress'
               AND ((claimed_by IS NULL AND handed_off_at IS NOT NULL)
                    OR ($2 AND claimed_by IS NOT NULL))",
        )
        .bind(&*self.instance.id)
        .bind(every_claim)
        .execute(&self.db)
        .await?;
        self.settle_claims_of(&self.instance.id.clone()).await
    }

    /// Runs until aborted: renews this instance's lease and settles the claims of instances
    /// whose lease expired, a few times per lease.
    pub async fn keep_lease(self) {
        let every = (self.instance.lease / 3).max(Duration::from_millis(100));
        loop {
            tokio::time::sleep(every).await;
            let kept = async {
                self.heartbeat().await?;
                self.settle_expired().await
            };
            if let Err(error) = kept.await {
                tracing::error!(error = %format_args!("{error:#}"), "keeping the sender's lease");
            }
        }
    }

    async fn heartbeat(&self) -> sqlx::Result<()> {
        let now = now_ms();
        sqlx::query(
            "INSERT INTO sender_instances (id, started_at, heartbeat_at) VALUES ($1, $2, $2)
             ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at",
        )
        .bind(&*self.instance.id)
        .bind(now)
        .execute(&self.db)
        .await?;
        Ok(())
    }

    /// Settles the claims of every other instance whose lease has expired (or that left no
    /// lease at all), and forgets those instances.
    async fn settle_expired(&self) -> anyhow::Result<()> {
        let cutoff = now_ms() - self.instance.lease.as_millis() as i64;
        let gone: Vec<(String,)> = sqlx::query_as(
            "SELECT DISTINCT claimed_by FROM emails
             WHERE claimed_by IS NOT NULL AND claimed_by <> $1
               AND claimed_by NOT IN (SELECT id FROM sender_instances WHERE heartbeat_at >= $2)",
        )
        .bind(&*self.instance.id)
        .bind(cutoff)
        .fetch_all(&self.db)
        .await?;
        for (instance,) in gone {
            tracing::warn!(%instance, "settling the sends of an instance whose lease expired");
            self.settle_claims_of(&instance).await?;
        }
        sqlx::query("DELETE FROM sender_instances WHERE heartbeat_at < $1 AND id <> $2")
            .bind(cutoff)
            .bind(&*self.instance.id)
            .execute(&self.db)
            .await?;
        Ok(())
    }

    /// Settles each email `claimant` holds, by the rules of an interrupted send.
    async fn settle_claims_of(&self, claimant: &str) -> anyhow::Result<()> {
        let stuck: Vec<(EmailId, UserId, Option<String>, Option<i64>)> = sqlx::query_as(
            "SELECT id, owner_id, message_id, handed_off_at FROM emails
             WHERE status = 'in_progress' AND claimed_by = $1",
        )
        .bind(claimant)
        .fetch_all(&self.db)
        .await?;
        for (id, owner_id, message_id, handed_off_at) in stuck {
            let (Some(message_id), Some(handed_off_at)) = (message_id, handed_off_at) else {
                // Never handed over: nothing went out; queued again, it keeps its place.
                sqlx::query(
                    "UPDATE emails SET claimed_by = NULL
                     WHERE id = $1 AND status = 'in_progress' AND claimed_by = $2
                       AND handed_off_at IS NULL",
                )
                .bind(id)
                .bind(claimant)
                .execute(&self.db)
                .await?;
                continue;
            };
            match self.transport.hand_off_outcome(&message_id) {
                HandOff::Sent => {
                    self.delivered(id, handed_off_at, claimant).await?;
                }
                // Nothing went out: queue it again, it keeps its place.
                HandOff::NotSent => {
                    sqlx::query(
                        "UPDATE emails SET handed_off_at = NULL, claimed_by = NULL
                         WHERE id = $1 AND status = 'in_progress' AND claimed_by = $2",
                    )
                    .bind(id)
                    .bind(claimant)
                    .execute(&self.db)
                    .await?;
                }
                HandOff::Unknown => self.fail(id, claimant, INTERRUPTED).await?,
            }
            tracing::info!(%id, ?message_id, "settled an interrupted send");
            self.changes.emails(owner_id, vec![id]);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_skips_rows_another_instance_is_claiming() {
        for sql in [claim_sql, due_sql] {
            assert!(sql(Backend::Postgres).contains("FOR UPDATE SKIP LOCKED"));
            assert!(!sql(Backend::Sqlite).contains("FOR UPDATE"));
        }
    }
}
