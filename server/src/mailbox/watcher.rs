//! Watches one IMAP mailbox: reads each new message once (by UIDVALIDITY and UID), hands it to
//! `apply`, and waits for the next with IDLE where the server offers it, else by polling. Only
//! reads: `BODY.PEEK[]` leaves even the \Seen flag as it was, and nothing is moved or deleted.

use super::apply::{self, Position};
use crate::changes::Changes;
use crate::db::Db;
use async_imap::{Client, Session};
use futures_util::TryStreamExt;
use std::fmt::Debug;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

/// A mailbox to watch, from `imap[s]://user:pass@host[:port]/MAILBOX`.
#[derive(Clone, PartialEq, Eq)]
pub struct Account {
    pub tls: bool,
    pub host: String,
    pub port: u16,
    pub user: String,
    password: String,
    pub mailbox: String,
}

impl Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.name())
    }
}

impl Account {
    pub fn parse(text: &str) -> Result<Account, String> {
        let refuse =
            |why: &str| format!("the IMAP URL is not valid ({why}): imaps://user:pass@host/INBOX");
        let url = url::Url::parse(text).map_err(|_| refuse("not a URL"))?;
        let tls = match url.scheme() {
            "imaps" => true,
            "imap" => false,
            _ => return Err(refuse("the scheme is imaps or imap")),
        };
        let host = url.host_str().ok_or_else(|| refuse("no host"))?.to_owned();
        let decode = |part: &str| {
            percent_decode(part).ok_or_else(|| refuse("the user or password is not valid UTF-8"))
        };
        let user = decode(url.username())?;
        let password = decode(url.password().unwrap_or(""))?;
        if user.is_empty() {
            return Err(refuse("no user"));
        }
        let mailbox = decode(url.path().trim_start_matches('/'))?;
        Ok(Account {
            tls,
            port: url.port().unwrap_or(if tls { 993 } else { 143 }),
            host,
            user,
            password,
            mailbox: if mailbox.is_empty() {
                "INBOX".to_owned()
            } else {
                mailbox
            },
        })
    }

    /// The mailbox without its password: its key in `mailbox_positions`, and in logs.
    pub fn name(&self) -> String {
        format!("{}@{}:{}/{}", self.user, self.host, self.port, self.mailbox)
    }
}

fn percent_decode(text: &str) -> Option<String> {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .ok()
        .map(|decoded| decoded.into_owned())
}

/// Messages fetched at once.
const FETCH_BATCH: usize = 50;

pub struct Watcher {
    pub db: Db,
    pub account: Account,
    pub changes: Changes,
    /// Without IDLE, the wait between looks.
    pub poll: Duration,
}

impl Watcher {
    /// Runs until aborted: after a lost connection or a refused login, tries again a minute later
    /// (sooner the first times).
    pub async fn run(self) {
        let mut wait = Duration::from_secs(1);
        loop {
            if let Err(error) = self.session().await {
                tracing::warn!(mailbox = %self.account.name(), error = %format_args!("{error:#}"), "watching the mailbox");
            }
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(Duration::from_secs(60));
        }
    }

    async fn session(&self) -> anyhow::Result<()> {
        let tcp = TcpStream::connect((self.account.host.as_str(), self.account.port)).await?;
        if !self.account.tls {
            return self.watch(Client::new(tcp)).await;
        }
        let mut roots = tokio_rustls::rustls::RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        let tls = tokio_rustls::rustls::ClientConfig::builder()
            .with_root_certificates(roots)
            .with_no_client_auth();
        let name =
            tokio_rustls::rustls::pki_types::ServerName::try_from(self.account.host.clone())?;
        let stream = tokio_rustls::TlsConnector::from(Arc::new(tls))
            .connect(name, tcp)
            .await?;
        self.watch(Client::new(stream)).await
    }

    async fn watch<T>(&self, mut client: Client<T>) -> anyhow::Result<()>
    where
        T: AsyncRead + AsyncWrite + Unpin + Debug + Send,
    {
        client.read_response().await?;
        let mut session = client
            .login(&self.account.user, &self.account.password)
            .await
            .map_err(|(error, _)| error)?;
        let idle = session.capabilities().await?.has_str("IDLE");
        loop {
            let selected = session.select(&self.account.mailbox).await?;
            let validity = selected.uid_validity.unwrap_or(0);
            self.read_new(&mut session, validity).await?;
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
    async fn read_new<T>(&self, session: &mut Session<T>, validity: u32) -> anyhow::Result<()>
    where
        T: AsyncRead + AsyncWrite + Unpin + Debug + Send,
    {
        let mailbox = self.account.name();
        let read_up_to = apply::position(&self.db, &mailbox, validity).await?;
        let first = read_up_to + 1;
        let mut uids: Vec<u32> = session
            .uid_search(format!("UID {first}:*"))
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
                if let Some(changed) = apply::apply(&self.db, raw, position).await? {
                    self.changes.emails(changed.rep, vec![changed.email]);
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_comes_from_its_url_and_its_name_hides_the_password() {
        let account =
            Account::parse("imaps://replies%40demo.example:p%40ss@imap.example.com/INBOX").unwrap();
        assert!(account.tls);
        assert_eq!(account.port, 993);
        assert_eq!(account.user, "replies@demo.example");
        assert_eq!(account.password, "p@ss");
        assert_eq!(
            account.name(),
            "replies@demo.example@imap.example.com:993/INBOX"
        );
        assert!(!format!("{account:?}").contains("p@ss"));
        let plain = Account::parse("imap://u:p@127.0.0.1:1430").unwrap();
        assert_eq!(
            (plain.tls, plain.port, plain.mailbox.as_str()),
            (false, 1430, "INBOX")
        );
        assert!(Account::parse("https://u:p@host/INBOX").is_err());
        assert!(Account::parse("imaps://host/INBOX").is_err());
    }
}
