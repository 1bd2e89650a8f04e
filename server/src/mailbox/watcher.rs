//! Watches one IMAP mailbox: reads each new message once (by UIDVALIDITY and UID), hands it to
//! `apply`, and waits for the next with IDLE where the server offers it, else by polling. Only
//! reads: `BODY.PEEK[]` leaves even the \Seen flag as it was, and nothing is moved or deleted.
//! A message over `MAX_MESSAGE_BYTES` is passed over with a note (a reply or a bounce is never
//! that large; a mailbox's attachments are not ours to load), and each command has a time and a
//! byte budget (see `account`).

use super::account::{sign_in, Account, Budget, Reach, Stream, Unreadable};
use super::account::{COMMAND_BYTES, COMMAND_WAIT};
use super::apply::{self, Position};
use crate::changes::Changes;
use crate::db::Db;
use api::UserId;
use async_imap::Session;
use futures_util::TryStreamExt;
use std::time::Duration;

/// Messages looked at at once.
const FETCH_BATCH: usize = 50;
/// The largest message read.
pub const MAX_MESSAGE_BYTES: u64 = 25 * 1024 * 1024;
/// At most this many bytes of messages are fetched in one command.
const FETCH_BYTES: u64 = 32 * 1024 * 1024;

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
    /// Where the mailbox may be (see `account`).
    pub reach: Reach,
}

/// A command's answer within `COMMAND_WAIT`, reading at most `bytes`.
async fn within<T, E: Into<anyhow::Error>>(
    budget: &Budget,
    bytes: u64,
    command: impl std::future::Future<Output = Result<T, E>>,
) -> anyhow::Result<T> {
    budget.allow(bytes);
    match tokio::time::timeout(COMMAND_WAIT, command).await {
        Ok(answer) => answer.map_err(Into::into),
        Err(_) => anyhow::bail!(
            "the mail server did not answer within {} seconds",
            COMMAND_WAIT.as_secs()
        ),
    }
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
        let (mut session, budget) = sign_in(&self.account, self.reach).await?;
        let idle = within(&budget, COMMAND_BYTES, session.capabilities())
            .await?
            .has_str("IDLE");
        loop {
            // Read-only: nothing in the mailbox changes, not even a flag.
            let opened = within(
                &budget,
                COMMAND_BYTES,
                session.examine(&self.account.mailbox),
            )
            .await?;
            let validity = opened.uid_validity.unwrap_or(0);
            let passed_over = self.read_new(&mut session, &budget, validity).await?;
            if let Scope::Rep(rep) = self.scope {
                super::reps::note_read(&self.db, rep).await?;
                if passed_over > 0 {
                    let note = format!(
                        "{passed_over} message(s) over {} MB were not read",
                        MAX_MESSAGE_BYTES / (1024 * 1024)
                    );
                    super::reps::note_error(&self.db, rep, &note).await?;
                }
            }
            if idle {
                let mut handle = session.idle();
                within(&budget, COMMAND_BYTES, handle.init()).await?;
                // Servers end an IDLE after 30 minutes; a new one starts before. What it says
                // while idle is a line or two.
                budget.allow(COMMAND_BYTES);
                let (wait, _stop) = handle.wait_with_timeout(Duration::from_secs(25 * 60));
                wait.await?;
                session = within(&budget, COMMAND_BYTES, handle.done()).await?;
            } else {
                tokio::time::sleep(self.poll).await;
            }
        }
    }

    /// Every message after the last one read, oldest first, each applied with its position;
    /// looked at a few at a time and fetched within `FETCH_BYTES`, so a large mailbox read for
    /// the first time is never all in memory. Answers how many were passed over for their size.
    #[tracing::instrument(name = "mailbox look", skip_all, fields(mailbox = %self.account.name()))]
    async fn read_new(
        &self,
        session: &mut Session<Stream>,
        budget: &Budget,
        validity: u32,
    ) -> anyhow::Result<usize> {
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
        let mut uids: Vec<u32> = within(budget, COMMAND_BYTES, session.uid_search(search))
            .await?
            .into_iter()
            // `n:*` names the last message even when its UID is below n.
            .filter(|uid| i64::from(*uid) >= first)
            .collect();
        uids.sort_unstable();
        let mut passed_over = 0;
        for batch in uids.chunks(FETCH_BATCH) {
            let sizes: Vec<_> = within(budget, COMMAND_BYTES, async {
                session
                    .uid_fetch(uid_set(batch), "(UID RFC822.SIZE)")
                    .await?
                    .try_collect::<Vec<_>>()
                    .await
            })
            .await?;
            let mut sized: Vec<(u32, u64)> = sizes
                .iter()
                .filter_map(|fetch| Some((fetch.uid?, u64::from(fetch.size?))))
                .collect();
            sized.sort_unstable();
            for group in fetch_groups(&sized) {
                let wanted: u64 = group.iter().map(|(_, size)| size).sum();
                let uids: Vec<u32> = group.iter().map(|(uid, _)| *uid).collect();
                let fetched: Vec<_> = if wanted > MAX_MESSAGE_BYTES {
                    Vec::new()
                } else {
                    // The bodies claimed, and room for the lines around them.
                    within(budget, wanted + COMMAND_BYTES, async {
                        session
                            .uid_fetch(uid_set(&uids), "(UID BODY.PEEK[])")
                            .await?
                            .try_collect::<Vec<_>>()
                            .await
                    })
                    .await?
                };
                let mut messages: Vec<(u32, &[u8])> = fetched
                    .iter()
                    .filter_map(|fetch| Some((fetch.uid?, fetch.body()?)))
                    .collect();
                messages.sort_by_key(|(uid, _)| *uid);
                let position = |uid| Position {
                    mailbox: &mailbox,
                    uid_validity: validity,
                    uid,
                };
                if messages.is_empty() {
                    if let Some(&(uid, size)) = group.last().filter(|_| wanted > MAX_MESSAGE_BYTES)
                    {
                        tracing::warn!(mailbox = %self.account.name(), uid, size, "a message too large to read was passed over");
                        apply::pass_over(&self.db, position(uid)).await?;
                        passed_over += 1;
                    }
                    continue;
                }
                for (uid, raw) in messages {
                    if let Some(changed) =
                        apply::apply(&self.db, raw, position(uid), self.scope).await?
                    {
                        self.changes.emails(changed.rep, vec![changed.email]);
                    }
                }
            }
        }
        Ok(passed_over)
    }
}

fn uid_set(uids: &[u32]) -> String {
    uids.iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// Messages (UID, size) in order, grouped so that each group's sizes add up to at most
/// `FETCH_BYTES`; a message over `MAX_MESSAGE_BYTES` is a group of its own (passed over).
fn fetch_groups(sized: &[(u32, u64)]) -> Vec<&[(u32, u64)]> {
    let mut groups = Vec::new();
    let (mut start, mut total) = (0, 0);
    for (i, &(_, size)) in sized.iter().enumerate() {
        let alone = size > MAX_MESSAGE_BYTES;
        if i > start && (alone || total + size > FETCH_BYTES) {
            groups.push(&sized[start..i]);
            (start, total) = (i, 0);
        }
        total += size;
        if alone {
            groups.push(&sized[start..=i]);
            (start, total) = (i + 1, 0);
        }
    }
    if start < sized.len() {
        groups.push(&sized[start..]);
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_fetched_in_groups_within_the_budget_and_the_too_large_alone() {
        const MB: u64 = 1024 * 1024;
        let sized = [
            (1, MB),
            (2, 20 * MB),
            (3, 20 * MB),
            (4, 30 * MB),
            (5, 1),
            (6, 2),
        ];
        let groups = fetch_groups(&sized);
        let uids: Vec<Vec<u32>> = groups
            .iter()
            .map(|g| g.iter().map(|(uid, _)| *uid).collect())
            .collect();
        assert_eq!(uids, [vec![1, 2], vec![3], vec![4], vec![5, 6]]);
        assert!(fetch_groups(&[]).is_empty());
    }
}
