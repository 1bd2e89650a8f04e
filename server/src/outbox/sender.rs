//! The sender: moves due scheduled emails to in progress and sends every queued one, exactly once.
//!
//! Each email is claimed by this instance (`claims`), marked handed-off (with its final
//! Message-ID, committed) before the transport sees it, and delivered or failed after. An email
//! found handed-off but not finished, after a restart or once its instance's lease expired, had
//! an unknown outcome: the outbox transport checks for its file; for SMTP it is never resent
//! automatically but failed with a reason, so the rep decides.

use super::mail::{self, Envelope, NotSent, Transport};
use crate::changes::Changes;
use crate::db::Db;
use crate::time::now_ms;
use api::merge::{self, MergeValues};
use api::{EmailId, PersonId, UserId};
use sqlx::AnyConnection;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use tracing::Instrument;

/// How many emails are handed to the transport at once (a chunk; SMTP holds a connection for
/// each); also the most a crash can leave with an unknown outcome. Each send mostly waits on the
/// relay's replies (about 35 ms a message on loopback), so the pace grows with it.
pub const SEND_CONCURRENCY: usize = 32;

pub const INTERRUPTED: &str =
    "Sending was interrupted; it may or may not have been delivered. Check with the recipient, or retry.";

#[derive(Clone)]
pub struct Sender {
    pub db: Db,
    pub transport: Arc<Transport>,
    pub changes: Changes,
    pub public_url: String,
    /// Nudged when an email is queued to send now, so it does not wait for the next tick.
    pub wake: Arc<Notify>,
    pub interval: Duration,
    /// Signs every message with DKIM, when configured.
    pub signer: Option<Arc<super::dkim::Signer>>,
    /// The Message-ID domain; by default that of the rep's own address.
    pub message_id_domain: Option<String>,
    /// This instance, as its claims on emails name it.
    pub instance: super::claims::Instance,
    /// Where bounces go, with each email's own token (VERP), when configured.
    pub return_path: Option<mail::ReturnPath>,
    /// After a deferral (SMTP 4xx), the wait before each new attempt; once they are spent, the
    /// email fails with the server's last reply.
    pub retries: Arc<[Duration]>,
}

#[derive(sqlx::FromRow)]
struct Queued {
    id: EmailId,
    owner_id: UserId,
    person_id: PersonId,
    /// The person opted out, or the rep marked them do not contact: nothing more goes to them.
    #[sqlx(try_from = "crate::db::Flag")]
    opted_out: bool,
    /// Only the rep's mark (the failure says which).
    #[sqlx(try_from = "crate::db::Flag")]
    only_do_not_contact: bool,
    unsubscribe_token: Option<String>,
    /// Whether this email counts opens and clicks (its own choice, or the rep's).
    #[sqlx(try_from = "crate::db::Flag")]
    track_opens: bool,
    #[sqlx(try_from = "crate::db::Flag")]
    track_links: bool,
    rep_locale: String,
    subject: String,
    body_html: String,
    /// `template` until the text is first handed over with its merge fields filled.
    text_is: String,
    first_name: String,
    last_name: String,
    person_email: String,
    company: String,
    title: String,
    rep_name: String,
    rep_email: String,
}

/// An email of a chunk made ready for the transport, with what its hand-off records.
struct Ready {
    id: EmailId,
    owner_id: UserId,
    message: lettre::Message,
    message_id: String,
    tracking_token: String,
    /// The text the person gets, merge fields filled.
    subject: String,
    body: String,
    /// The (token, original URL) of each tracked link.
    links: Vec<(String, String)>,
    return_token: String,
    return_path: Option<lettre::Address>,
}

/// What became of one email of a chunk.
enum Outcome {
    Delivered {
        sent_at: i64,
    },
    Failed(String),
    /// Refused for good by the receiving server.
    Bounced(String),
    /// Refused for now: tried again later.
    Deferred(String),
}

impl Sender {
    /// Runs until aborted. `recover` has already run (in `Application::build`).
    pub async fn run(self) {
        loop {
            if let Err(error) = self.tick().await {
                // Logged by Display with its causes, as everywhere here: anyhow's Debug would
                // resolve the backtrace it captured (with RUST_BACKTRACE set), reading the
                // binary's debug information into memory, 200 MB for a debug build.
                tracing::error!(error = %format_args!("{error:#}"), "sender tick");
            }
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(self.interval) => {}
            }
        }
    }

    /// Claims due scheduled emails, then sends every queued one; answers how many it took.
    #[tracing::instrument(name = "sender tick", skip_all)]
    pub async fn tick(&self) -> anyhow::Result<usize> {
        self.take_due().await?;
        let mut taken = 0;
        loop {
            let queued = self.claim().await?;
            if queued.is_empty() {
                return Ok(taken);
            }
            taken += queued.len();
            // A chunk at a time: its hand-offs are one commit, its sends go side by side (each
            // SMTP exchange spends most of its time waiting on the other side), and what became
            // of them is one commit more; not two or three commits an email.
            for chunk in queued.chunks(SEND_CONCURRENCY) {
                self.send_chunk(chunk).await?;
            }
        }
    }

    async fn send_chunk(&self, ids: &[EmailId]) -> anyhow::Result<()> {
        let emails: Vec<Queued> = sqlx::query_as(
            "SELECT e.id, e.owner_id, e.person_id,
                    COALESCE(p.opted_out_at, p.do_not_contact_at) IS NOT NULL AS opted_out,
                    p.opted_out_at IS NULL AND p.do_not_contact_at IS NOT NULL AS only_do_not_contact,
                    p.unsubscribe_token,
                    u.locale AS rep_locale, e.subject, e.body_html, e.text_is, p.first_name, p.last_name, p.email AS person_email,
                    p.company, p.title, u.name AS rep_name, u.email AS rep_email,
                    COALESCE(e.track_opens, u.track_opens) AS track_opens,
                    COALESCE(e.track_links, u.track_links) AS track_links
             FROM emails e JOIN people p ON p.id = e.person_id JOIN users u ON u.id = e.owner_id
             WHERE e.id IN (SELECT CAST(value AS BIGINT) FROM json_each($1))
               AND e.status = 'in_progress' AND e.handed_off_at IS NULL AND e.claimed_by = $2
             ORDER BY e.id",
        )
        .bind(crate::db::id_list(ids.iter().copied()))
        .bind(&*self.instance.id)
        .fetch_all(&self.db)
        .await?;
        let without_token = emails
            .iter()
            .filter(|e| e.unsubscribe_token.is_none() && !e.opted_out)
            .map(|e| e.person_id);
        let tokens = crate::opt_out::tokens_for(&self.db, without_token).await?;

        let mut outcomes = Vec::with_capacity(emails.len());
        let mut ready = Vec::with_capacity(emails.len());
        for email in emails {
            let (id, owner_id) = (email.id, email.owner_id);
            match self.prepare(email, &tokens) {
                Ok(email) => ready.push(email),
                Err(reason) => {
                    tracing::warn!(email = %id, rep = %owner_id, %reason, "not sent");
                    outcomes.push((id, owner_id, Outcome::Failed(reason)));
                }
            }
        }
        let ready = self.hand_off(ready).await?;
        let sends = ready.iter().map(|email| {
            let span = tracing::info_span!("send", email = %email.id, rep = %email.owner_id);
            async move {
                let sent = self
                    .transport
                    .send(
                        &email.message,
                        &email.message_id,
                        email.return_path.as_ref(),
                    )
                    .await;
                let outcome = match sent {
                    Ok(()) => Outcome::Delivered { sent_at: now_ms() },
                    Err(NotSent::Bounced(reason)) => Outcome::Bounced(reason),
                    Err(NotSent::Deferred(reason)) => Outcome::Deferred(reason),
                    Err(NotSent::Failed(reason)) => Outcome::Failed(reason),
                };
                match &outcome {
                    Outcome::Delivered { .. } => tracing::info!("delivered"),
                    Outcome::Bounced(reason) => tracing::warn!(%reason, "bounced"),
                    Outcome::Deferred(reason) => tracing::warn!(%reason, "deferred"),
                    Outcome::Failed(reason) => tracing::warn!(%reason, "failed"),
                }
                (email.id, email.owner_id, outcome)
            }
            .instrument(span)
        });
        outcomes.extend(futures_util::future::join_all(sends).await);
        self.settle(&outcomes).await?;

        // One change per rep, not per email: on PostgreSQL each is a notification.
        let mut by_owner: std::collections::BTreeMap<UserId, Vec<EmailId>> = Default::default();
        for (id, owner_id, _) in &outcomes {
            by_owner.entry(*owner_id).or_default().push(*id);
        }
        for (owner_id, ids) in by_owner {
            self.changes.emails(owner_id, ids);
        }
        Ok(())
    }

    /// The message the person gets, or why the email cannot go (the person opted out, a merge
    /// field is left unfilled, no valid message can be made of it).
    fn prepare(&self, email: Queued, tokens: &HashMap<PersonId, String>) -> Result<Ready, String> {
        if email.opted_out {
            return Err(if email.only_do_not_contact {
                crate::opt_out::DO_NOT_CONTACT
            } else {
                crate::opt_out::UNSUBSCRIBED
            }
            .to_owned());
        }
        let values = MergeValues {
            first_name: email.first_name.clone(),
            last_name: email.last_name.clone(),
            company: email.company.clone(),
            title: email.title.clone(),
        };
        // A text that already went out once (a retry) is sent as it went: a value that holds
        // braces must not be taken for a merge field the second time.
        let (subject, body) = if email.text_is == "template" {
            merge::render_email(&email.subject, &email.body_html, &values).map_err(|unfilled| {
                format!("A merge field was left unfilled: {}", unfilled.join(", "))
            })?
        } else {
            (email.subject.clone(), email.body_html.clone())
        };

        let token = crate::password::new_token();
        let message_id = format!(
            "<{}@{}>",
            &token[..32],
            self.message_id_domain(&email.rep_email)
        );
        let tracking_token = crate::password::new_token();
        // The return path's token: the Message-ID's token's other half (random too), short
        // enough for a local part (at most 64 characters).
        let return_token = token[32..].to_owned();
        let return_path = match &self.return_path {
            Some(path) => Some(path.for_token(&return_token)?),
            None => None,
        };
        let unsubscribe_token = email
            .unsubscribe_token
            .as_ref()
            .or_else(|| tokens.get(&email.person_id))
            .ok_or("The person has no unsubscribe link.")?;
        let unsubscribe = format!(
            "{}/u/{unsubscribe_token}",
            self.public_url.trim_end_matches('/'),
        );
        let tracked = mail::with_tracking(
            &body,
            &self.public_url,
            &tracking_token,
            mail::Tracking {
                opens: email.track_opens,
                links: email.track_links,
            },
        );
        let links = tracked.links.clone();
        let person_name = api::full_name(&email.first_name, &email.last_name);
        let mut message = mail::build(Envelope {
            from_name: &email.rep_name,
            from_email: &email.rep_email,
            to_name: &person_name,
            to_email: &email.person_email,
            subject: &subject,
            html: mail::document(&subject, &body, tracked, &unsubscribe, &email.rep_locale),
            text: mail::text(&body, &unsubscribe, &email.rep_locale),
            message_id: &message_id,
            unsubscribe: &unsubscribe,
        })?;
        if let Some(signer) = &self.signer {
            signer.sign(&mut message);
        }
        Ok(Ready {
            id: email.id,
            owner_id: email.owner_id,
            message,
            message_id,
            tracking_token,
            subject,
            body,
            links,
            return_token,
            return_path,
        })
    }

    /// Records the chunk's hand-offs in one commit, before the transport sees any of them; the
    /// emails another instance or a rep's action took meanwhile (the guard no longer holds) are
    /// left out. A crash after this commit leaves at most this chunk with an unknown outcome.
    ///
    /// It writes first and reads nothing it decides on (each UPDATE's own guard decides), so it
    /// needs no `begin_write`: on PostgreSQL, instances hand off side by side under row locks.
    async fn hand_off(&self, ready: Vec<Ready>) -> anyhow::Result<Vec<Ready>> {
        if ready.is_empty() {
            return Ok(ready);
        }
        let now = now_ms();
        let mut tx = self.db.begin().await?;
        let mut handed = Vec::with_capacity(ready.len());
        for email in ready {
            // The record becomes the text the person gets, in the same commit as the hand-off.
            let marked = sqlx::query(
                "UPDATE emails SET handed_off_at = $1, message_id = $2, tracking_token = $3,
                        subject = $4, body_html = $5, text_is = 'as_sent', return_token = $8
                 WHERE id = $6 AND status = 'in_progress' AND handed_off_at IS NULL AND claimed_by = $7",
            )
            .bind(now)
            .bind(&email.message_id)
            .bind(&email.tracking_token)
            .bind(&email.subject)
            .bind(&email.body)
            .bind(email.id)
            .bind(&*self.instance.id)
            .bind(&email.return_token)
            .execute(&mut *tx)
            .await?;
            if marked.rows_affected() == 0 {
                continue;
            }
            sqlx::query("DELETE FROM email_links WHERE email_id = $1")
                .bind(email.id)
                .execute(&mut *tx)
                .await?;
            for (token, url) in &email.links {
                sqlx::query("INSERT INTO email_links (token, email_id, url) VALUES ($1, $2, $3)")
                    .bind(token)
                    .bind(email.id)
                    .bind(url)
                    .execute(&mut *tx)
                    .await?;
            }
            handed.push(email);
        }
        tx.commit().await?;
        Ok(handed)
    }

    /// Records what became of a chunk: its deliveries (each moving its person on in a campaign)
    /// and failures in one commit; a bounce or a deferral, rarer, each in its own.
    async fn settle(&self, outcomes: &[(EmailId, UserId, Outcome)]) -> anyhow::Result<()> {
        let claimant = &*self.instance.id;
        let mut tx = crate::db::begin_write(&self.db).await?;
        for (id, _, outcome) in outcomes {
            match outcome {
                Outcome::Delivered { sent_at } => {
                    record_delivered(&mut tx, *id, *sent_at, claimant).await?
                }
                Outcome::Failed(reason) => record_failed(&mut tx, *id, claimant, reason).await?,
                Outcome::Bounced(_) | Outcome::Deferred(_) => {}
            }
        }
        tx.commit().await?;
        for (id, _, outcome) in outcomes {
            match outcome {
                Outcome::Bounced(reason) => self.bounce(*id, reason).await?,
                Outcome::Deferred(reason) => self.defer(*id, reason).await?,
                Outcome::Delivered { .. } | Outcome::Failed(_) => {}
            }
        }
        Ok(())
    }

    /// The receiving server refused the recipient for good: the email is Bounced, with its
    /// reply as the reason and a bounce event (as a reported bounce records).
    async fn bounce(&self, id: EmailId, reason: &str) -> anyhow::Result<()> {
        let now = now_ms();
        let mut tx = self.db.begin().await?;
        let bounced = sqlx::query(
            "UPDATE emails SET status = 'bounced', sent_at = $1, folder_at = $1, updated_at = $1,
                    failure_reason = $2, claimed_by = NULL, send_attempts = 0
             WHERE id = $3 AND status = 'in_progress' AND claimed_by = $4",
        )
        .bind(now)
        .bind(reason)
        .bind(id)
        .bind(&*self.instance.id)
        .execute(&mut *tx)
        .await?;
        if bounced.rows_affected() == 1 {
            sqlx::query(
                "INSERT INTO email_events (email_id, kind, occurred_at) VALUES ($1, 'bounce', $2)",
            )
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let whose = crate::campaigns::progress::Whose::EmailOf(id);
            crate::campaigns::progress::apply(&mut tx, whose, api::sequence::Event::Bounced, now)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Refused for now: back to Scheduled after the next wait, saying why and when; once the
    /// waits are spent, failed with the last reply.
    async fn defer(&self, id: EmailId, reason: &str) -> anyhow::Result<()> {
        let (attempts,): (i64,) = sqlx::query_as("SELECT send_attempts FROM emails WHERE id = $1")
            .bind(id)
            .fetch_one(&self.db)
            .await?;
        let Some(wait) = self.retries.get(attempts as usize) else {
            let tries = attempts + 1;
            let reason = format!("{reason} (tried {tries} times; the rep decides)");
            return self.fail(id, &self.instance.id, &reason).await;
        };
        let now = now_ms();
        let again = now + wait.as_millis() as i64;
        let when = chrono::DateTime::from_timestamp_millis(again)
            .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
            .unwrap_or_default();
        sqlx::query(
            "UPDATE emails SET status = 'scheduled', scheduled_at = $1, folder_at = $1,
                    updated_at = $2, failure_reason = $3, send_attempts = send_attempts + 1,
                    handed_off_at = NULL, claimed_by = NULL
             WHERE id = $4 AND status = 'in_progress' AND claimed_by = $5",
        )
        .bind(again)
        .bind(now)
        .bind(format!("{reason}; trying again at {when}"))
        .bind(id)
        .bind(&*self.instance.id)
        .execute(&self.db)
        .await?;
        Ok(())
    }

    /// Marks a claimed email delivered at `sent_at` (see `record_delivered`).
    pub(super) async fn delivered(
        &self,
        id: EmailId,
        sent_at: i64,
        claimant: &str,
    ) -> anyhow::Result<()> {
        let mut tx = crate::db::begin_write(&self.db).await?;
        record_delivered(&mut tx, id, sent_at, claimant).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Fails an email `claimant` holds (see `record_failed`).
    pub(super) async fn fail(
        &self,
        id: EmailId,
        claimant: &str,
        reason: &str,
    ) -> anyhow::Result<()> {
        let mut tx = crate::db::begin_write(&self.db).await?;
        record_failed(&mut tx, id, claimant, reason).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The configured Message-ID domain, or the rep's own: the ID names the sending domain, as
    /// mail filters expect, not the server's host.
    fn message_id_domain<'a>(&'a self, rep_email: &'a str) -> &'a str {
        self.message_id_domain
            .as_deref()
            .or_else(|| rep_email.rsplit_once('@').map(|(_, domain)| domain))
            .filter(|domain| !domain.is_empty())
            .unwrap_or_else(|| self.domain())
    }

    fn domain(&self) -> &str {
        let host = self.public_url.split("://").nth(1).unwrap_or("");
        let host = host.split(['/', ':']).next().unwrap_or("");
        if host.is_empty() {
            "command-center.local"
        } else {
            host
        }
    }
}

/// Marks a claimed email delivered at `sent_at`; the campaign step it was moves its person on in
/// the same transaction, so a crash never leaves one without the other.
async fn record_delivered(
    tx: &mut AnyConnection,
    id: EmailId,
    sent_at: i64,
    claimant: &str,
) -> anyhow::Result<()> {
    let updated = sqlx::query(
        "UPDATE emails SET status = 'delivered', sent_at = $1, folder_at = $1,
                updated_at = $2, claimed_by = NULL, failure_reason = NULL, send_attempts = 0
         WHERE id = $3 AND status = 'in_progress' AND claimed_by = $4",
    )
    .bind(sent_at)
    .bind(now_ms())
    .bind(id)
    .bind(claimant)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 1 {
        let whose = crate::campaigns::progress::Whose::PendingEmail(id);
        crate::campaigns::progress::apply(tx, whose, api::sequence::Event::StepDone, sent_at)
            .await?;
    }
    Ok(())
}

/// Fails a claimed email with `reason`; its person waits in their campaign, paused with the
/// reason, until the rep decides.
async fn record_failed(
    tx: &mut AnyConnection,
    id: EmailId,
    claimant: &str,
    reason: &str,
) -> anyhow::Result<()> {
    let now = now_ms();
    let failed = sqlx::query(
        "UPDATE emails SET status = 'failed', failed_at = $1, folder_at = $1, updated_at = $1,
                failure_reason = $2, handed_off_at = NULL, claimed_by = NULL, send_attempts = 0
         WHERE id = $3 AND status = 'in_progress' AND claimed_by = $4",
    )
    .bind(now)
    .bind(reason)
    .bind(id)
    .bind(claimant)
    .execute(&mut *tx)
    .await?;
    if failed.rows_affected() == 1 {
        let whose = crate::campaigns::progress::Whose::PendingEmail(id);
        crate::campaigns::progress::apply(tx, whose, api::sequence::Event::SendFailed, now).await?;
    }
    Ok(())
}
