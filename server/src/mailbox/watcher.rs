//! Watches one IMAP mailbox: reads each new message once (by UIDVALIDITY and UID), hands it to
//! `apply`, and waits for the next with IDLE where the server offers it, else by polling. Only
//! reads: `BODY.PEEK[]` leaves even the \Seen flag as it was, and nothing is moved or deleted.

use super::account::{sign_in, Account, Stream, Unreadable};
use super::apply::{self, Position};
use crate::changes::Changes;
use crate::db::Db;
use api::UserId;
use async_imap::Session;
use futures_util::TryStreamExt;
use std::time::Duration;

/// Messages fetched at once.
const FETCH_BATCH: usize = 50;

/// The wait after the mail server refused the sign-in (the rep's new password, saved, starts a
/// new watcher at once).
const AFTER_REFUSED_SIGN_IN: Duration = Duration::from_secs(15 * 60);

/// How far back the first look at a rep's own mailbox goes.
const FIRST_LOOK_DAYS: u64 = 90;

/// Whose emails a mailbox's messages may change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The server's reply and bounce mailbox: any rep's.
    Server,
    /// A rep's own mailbox: only theirs; the rest of their mail is none of ours and is not kept.
    Rep(UserId),
}

impl Scope {
    /// Where the position in `account` is kept: a rep's apart from the server's, even when both
    /// read the same mailbox.
    fn position_key(self, account: &Account) -> String {
        match self {
            Scope::Server => account.name(),
            Scope::Rep(rep) => format!("rep {rep}: {}", account.name()),
        }
    }
}

pub struct Watcher {
    pub db: Db,
    pub account: Account,
    pub changes: Changes,
    /// Without IDLE, the wait between looks.
    pub poll: Duration,
    pub scope: Scope,
    /// Whether the mailbox may be on a loopback or private network (see `account`).
    pub private_allowed: bool,
}

impl Watcher {
    /// Runs until aborted: after a lost connection, tries again a minute later (sooner the first
    /// times, and at once after a session that ran a while); after a refused sign-in, a quarter
    /// of an hour later, since a provider locks an account that keeps failing.
    pub async fn run(self) {
        let mut backoff = Duration::from_secs(1);
        loop {
            let started = tokio::time::Instant::now();
            let Err(error) = self.session().await else {
                continue;
            };
            tracing::warn!(mailbox = %self.account.name(), error = %format_args!("{error:#}"), "watching the mailbox");
            if let Scope::Rep(rep) = self.scope {
                let said = format!("{error:#}");
                if let Err(error) = super::reps::note_error(&self.db, rep, &said).await {
                    tracing::warn!(%error, "noting a rep's mailbox error");
                }
            }
            if started.elapsed() > Duration::from_secs(300) {
                backoff = Duration::from_secs(1);
            }
            let refused = matches!(error.downcast_ref(), Some(Unreadable::SignIn(_)));
            let pause = if refused {
                AFTER_REFUSED_SIGN_IN
            } else {
                backoff
            };
            backoff = (backoff * 2).min(Duration::from_secs(60));
            tokio::time::sleep(pause).await;
        }
    }

    async fn session(&self) -> anyhow::Result<()> {
        let mut session = sign_in(&self.account, self.private_allowed).await?;
        let idle = session.capabilities().await?.has_str("IDLE");
        loop {
            // Read-only: nothing in the mailbox changes, not even a flag.
            let opened = session.examine(&self.account.mailbox).await?;
            let validity = opened.uid_validity.unwrap_or(0);
            self.read_new(&mut session, validity).await?;
            if let Scope::Rep(rep) = self.scope {
                super::reps::note_read(&self.db, rep).await?;
            }
            if idle {
                let mut handle = session.idle();
                handle.init().await?;
                // Servers end an IDLE after 30 minutes; a new one starts before.
                let (wait, _stop) = handle.wait_with_timeout(Duration::from_secs(25 * 60));
                wait.await?;
                session = handle.done().await?;
            } else {
                tokio::time::sleep(self.poll).await;
            }
        }
    }

    /// Every message after the last one read, oldest first, each applied with its position;
    /// fetched a few at a time, so a large mailbox read for the first time is never all in memory.
    async fn read_new(&self, session: &mut Session<Stream>, validity: u32) -> anyhow::Result<()> {
        let mailbox = self.scope.position_key(&self.account);
        let read_up_to = apply::position(&self.db, &mailbox, validity).await?;
        let first = read_up_to + 1;
        let mut search = format!("UID {first}:*");
        if let (Scope::Rep(_), 0) = (self.scope, read_up_to) {
            // A rep's whole mailbox is mostly other mail: the first look goes back a while, not
            // to their first message ever.
            let since = chrono::Utc::now() - chrono::Days::new(FIRST_LOOK_DAYS);
            search.push_str(&since.format(" SINCE %-d-%b-%Y").to_string());
        }
        let mut uids: Vec<u32> = session
            .uid_search(search)
            .await?
            .into_iter()
            // `n:*` names the last message even when its UID is below n.
            .filter(|uid| i64::from(*uid) >= first)
            .collect();
        uids.sort_unstable();
        for batch in uids.chunks(FETCH_BATCH) {
            let set = batch
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(",");
            let fetched: Vec<_> = session
                .uid_fetch(set, "(UID BODY.PEEK[])")
                .await?
                .try_collect()
                .await?;
            let mut messages: Vec<(u32, &[u8])> = fetched
                .iter()
                .filter_map(|fetch| Some((fetch.uid?, fetch.body()?)))
                .collect();
            messages.sort_by_key(|(uid, _)| *uid);
            for (uid, raw) in messages {
                let position = Position {
                    mailbox: &mailbox,
                    uid_validity: validity,
                    uid,
                };
                if let Some(changed) = apply::apply(&self.db, raw, position, self.scope).await? {
                    self.changes.emails(changed.rep, vec![changed.email]);
                }
            }
        }
        Ok(())
    }
}
