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
use futures_util::StreamExt;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// How many emails are handed to the transport at once; also the most a crash can leave with an
/// unknown outcome.
pub const SEND_CONCURRENCY: usize = 16;

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
    owner_id: i64,
    person_id: i64,
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

    /// Claims due scheduled emails, then sends every queued one.
    pub async fn tick(&self) -> anyhow::Result<()> {
        self.take_due().await?;
        loop {
            let queued = self.claim().await?;
            if queued.is_empty() {
                return Ok(());
            }
            // Several in flight: each SMTP exchange spends most of its time waiting on the
            // other side (round trips, delayed ACKs), not on this process.
            let mut results = futures_util::stream::iter(queued)
                .map(|id| self.deliver(id))
                .buffer_unordered(SEND_CONCURRENCY);
            let mut failure = None;
            while let Some(result) = results.next().await {
                if let Err(error) = result {
                    failure.get_or_insert(error);
                }
            }
            if let Some(error) = failure {
                return Err(error);
            }
        }
    }

    async fn deliver(&self, id: i64) -> anyhow::Result<()> {
        let email: Option<Queued> = sqlx::query_as(
            "SELECT e.owner_id, e.person_id, COALESCE(p.opted_out_at, p.do_not_contact_at) IS NOT NULL AS opted_out,
                    p.opted_out_at IS NULL AND p.do_not_contact_at IS NOT NULL AS only_do_not_contact,
                    p.unsubscribe_token,
                    u.locale AS rep_locale, e.subject, e.body_html, e.text_is, p.first_name, p.last_name, p.email AS person_email,
                    p.company, p.title, u.name AS rep_name, u.email AS rep_email,
                    COALESCE(e.track_opens, u.track_opens) AS track_opens,
                    COALESCE(e.track_links, u.track_links) AS track_links
             FROM emails e JOIN people p ON p.id = e.person_id JOIN users u ON u.id = e.owner_id
             WHERE e.id = $1 AND e.status = 'in_progress' AND e.handed_off_at IS NULL
               AND e.claimed_by = $2",
        )
        .bind(id)
        .bind(&*self.instance.id)
        .fetch_optional(&self.db)
        .await?;
        let Some(email) = email else { return Ok(()) };
        if email.opted_out {
            let reason = if email.only_do_not_contact {
                crate::opt_out::DO_NOT_CONTACT
            } else {
                crate::opt_out::UNSUBSCRIBED
            };
            self.fail(id, &self.instance.id, reason).await?;
            self.changes.emails(email.owner_id, vec![id]);
            return Ok(());
        }
        let values = MergeValues {
            first_name: email.first_name.clone(),
            last_name: email.last_name.clone(),
            company: email.company.clone(),
            title: email.title.clone(),
        };
        // A text that already went out once (a retry) is sent as it went: a value that holds
        // braces must not be taken for a merge field the second time.
        let merged = if email.text_is == "template" {
            merge::render_email(&email.subject, &email.body_html, &values)
        } else {
            Ok((email.subject.clone(), email.body_html.clone()))
        };
        let (subject, body) = match merged {
            Ok(merged) => merged,
            Err(unfilled) => {
                self.fail(
                    id,
                    &self.instance.id,
                    &format!("A merge field was left unfilled: {}", unfilled.join(", ")),
                )
                .await?;
                self.changes.emails(email.owner_id, vec![id]);
                return Ok(());
            }
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
        let return_token = &token[32..];
        let return_path = match &self.return_path {
            Some(path) => Some(path.for_token(return_token).map_err(anyhow::Error::msg)?),
            None => None,
        };
        let unsubscribe = format!(
            "{}/u/{}",
            self.public_url.trim_end_matches('/'),
            crate::opt_out::token_for(&self.db, email.person_id, email.unsubscribe_token.clone())
                .await?
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
        let message = mail::build(Envelope {
            from_name: &email.rep_name,
            from_email: &email.rep_email,
            to_name: &person_name,
            to_email: &email.person_email,
            subject: &subject,
            html: mail::document(&subject, &body, tracked, &unsubscribe, &email.rep_locale),
            text: mail::text(&body, &unsubscribe, &email.rep_locale),
            message_id: &message_id,
            unsubscribe: &unsubscribe,
        })
        .map(|mut message| {
            if let Some(signer) = &self.signer {
                signer.sign(&mut message);
            }
            message
        });
        let message = match message {
            Ok(message) => message,
            Err(reason) => {
                self.fail(id, &self.instance.id, &reason).await?;
                self.changes.emails(email.owner_id, vec![id]);
                return Ok(());
            }
        };

        // The hand-off record is committed before the transport sees the message. It writes first
        // and reads nothing it decides on (the UPDATE's own guard decides), so it needs no
        // `begin_write`: on PostgreSQL, instances hand off side by side under row locks only.
        let mut tx = self.db.begin().await?;
        // The record becomes the text the person gets, in the same commit as the hand-off.
        let marked = sqlx::query(
            "UPDATE emails SET handed_off_at = $1, message_id = $2, tracking_token = $3,
                    subject = $4, body_html = $5, text_is = 'as_sent', return_token = $8
             WHERE id = $6 AND status = 'in_progress' AND handed_off_at IS NULL AND claimed_by = $7",
        )
        .bind(now_ms())
        .bind(&message_id)
        .bind(&tracking_token)
        .bind(&subject)
        .bind(&body)
        .bind(id)
        .bind(&*self.instance.id)
        .bind(return_token)
        .execute(&mut *tx)
        .await?;
        if marked.rows_affected() == 0 {
            return Ok(());
        }
        sqlx::query("DELETE FROM email_links WHERE email_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for (token, url) in &links {
            sqlx::query("INSERT INTO email_links (token, email_id, url) VALUES ($1, $2, $3)")
                .bind(token)
                .bind(id)
                .bind(url)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;

        match self
            .transport
            .send(&message, &message_id, return_path.as_ref())
            .await
        {
            Ok(()) => {
                self.delivered(id, now_ms(), &self.instance.id).await?;
            }
            Err(NotSent::Bounced(reason)) => self.bounce(id, &reason).await?,
            Err(NotSent::Deferred(reason)) => self.defer(id, &reason).await?,
            Err(NotSent::Failed(reason)) => self.fail(id, &self.instance.id, &reason).await?,
        }
        self.changes.emails(email.owner_id, vec![id]);
        Ok(())
    }

    /// The receiving server refused the recipient for good: the email is Bounced, with its
    /// reply as the reason and a bounce event (as a reported bounce records).
    async fn bounce(&self, id: i64, reason: &str) -> anyhow::Result<()> {
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
    async fn defer(&self, id: i64, reason: &str) -> anyhow::Result<()> {
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

    /// Fails an email `claimant` holds.
    /// Marks a claimed email delivered at `sent_at`; the campaign step it was moves its person
    /// on in the same transaction, so a crash never leaves one without the other.
    pub(super) async fn delivered(
        &self,
        id: i64,
        sent_at: i64,
        claimant: &str,
    ) -> anyhow::Result<()> {
        let mut tx = crate::db::begin_write(&self.db).await?;
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
            crate::campaigns::progress::apply(
                &mut tx,
                whose,
                api::sequence::Event::StepDone,
                sent_at,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub(super) async fn fail(&self, id: i64, claimant: &str, reason: &str) -> anyhow::Result<()> {
        let now = now_ms();
        let mut tx = crate::db::begin_write(&self.db).await?;
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
            // The person waits, paused with this reason, until the rep decides.
            let whose = crate::campaigns::progress::Whose::PendingEmail(id);
            crate::campaigns::progress::apply(
                &mut tx,
                whose,
                api::sequence::Event::SendFailed,
                now,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Fills, once, the record of emails sent before records kept the text as sent: from their
    /// person's values (people could not be edited before then, so these are the values they
    /// were sent with), or marked `as_written` where a field cannot be filled.
    pub async fn fill_sent_text(&self) -> anyhow::Result<()> {
        // A thousand at a time, each thousand in one commit: at a million old emails a commit
        // each would take minutes, and reading them all at once would hold them all in memory.
        let mut after = 0_i64;
        loop {
            let pending: Vec<(i64, String, String, String, String, String, String)> =
                sqlx::query_as(
                    "SELECT e.id, e.subject, e.body_html, p.first_name, p.last_name, p.company, p.title
                     FROM emails e JOIN people p ON p.id = e.person_id
                     WHERE e.text_is = 'template' AND e.sent_at IS NOT NULL AND e.id > $1
                     ORDER BY e.id LIMIT 1000",
                )
                .bind(after)
                .fetch_all(&self.db)
                .await?;
            let Some(&(last, ..)) = pending.last() else {
                return Ok(());
            };
            after = last;
            let mut tx = crate::db::begin_write(&self.db).await?;
            for (id, subject, body, first_name, last_name, company, title) in pending {
                let values = MergeValues {
                    first_name,
                    last_name,
                    company,
                    title,
                };
                let query = match merge::render_email(&subject, &body, &values) {
                    Ok((subject, body)) => sqlx::query(
                        "UPDATE emails SET subject = $1, body_html = $2, text_is = 'as_sent' WHERE id = $3",
                    )
                    .bind(subject)
                    .bind(body),
                    Err(_) => sqlx::query("UPDATE emails SET text_is = 'as_written' WHERE id = $1"),
                };
                query.bind(id).execute(&mut *tx).await?;
            }
            tx.commit().await?;
        }
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
