//! Reps' own mailboxes: where replies to a rep's emails land when they send through their
//! company's mail server. A rep sets theirs in Settings; it is kept only once the server has
//! signed in to it, with the password sealed by the server's secret, and read by a watcher of
//! its own that acts on that rep's emails alone. `RepWatchers` keeps one watcher per rep who
//! has a mailbox and is active, following changes made on any instance.

use super::account::{probe, Account, Reach, Unreadable};
use super::watcher::{Scope, Watcher};
use super::Error;
use crate::changes::Changes;
use crate::db::{Db, Flag};
use crate::secrets::Secrets;
use crate::time::{from_ms, from_ms_opt, now_ms};
use api::users::{MailboxSettings, MailboxStatus};
use api::{Text, UserId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;
use tokio::task::AbortHandle;

/// A rep's mailbox settings as parsed: each field fit to connect with.
struct Parsed {
    tls: bool,
    host: String,
    port: u16,
    user: String,
    password: Option<String>,
    mailbox: String,
}

fn one_line(text: &str, max: usize) -> Option<&str> {
    let text = text.trim();
    (!text.is_empty() && text.chars().count() <= max && !text.chars().any(char::is_control))
        .then_some(text)
}

/// A host name (letters, digits, hyphens between dots) or an IP address.
fn is_host(host: &str) -> bool {
    host.parse::<std::net::IpAddr>().is_ok()
        || (host.len() <= 253
            && host.split('.').all(|label| {
                (1..=63).contains(&label.len())
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    && !label.starts_with('-')
                    && !label.ends_with('-')
            }))
}

fn parse(settings: &MailboxSettings) -> Result<Parsed, Error> {
    let host = settings.host.trim();
    if !is_host(host) {
        return Err(Error::unprocessable(
            "host",
            Text::fixed(
                "Enter the mail server's name, such as imap.gmail.com.",
                "imap.gmail.com のようなメールサーバー名を入力してください。",
            ),
        ));
    }
    if settings.port == 0 {
        return Err(Error::unprocessable(
            "port",
            Text::fixed(
                "Enter a port from 1 to 65535 (993 for TLS).",
                "1〜65535 のポート番号を入力してください（TLS は 993）。",
            ),
        ));
    }
    let user = one_line(&settings.user, 320).ok_or_else(|| {
        Error::unprocessable(
            "user",
            Text::fixed(
                "Enter the mailbox's user name (one line), usually your address.",
                "メールボックスのユーザー名（1 行、通常はメールアドレス）を入力してください。",
            ),
        )
    })?;
    let password = match &settings.password {
        Some(password) if password.is_empty() => None,
        Some(password) => {
            if password.chars().count() > 1024 || password.chars().any(char::is_control) {
                return Err(Error::unprocessable(
                    "password",
                    Text::fixed(
                        "The password is one line of up to 1024 characters.",
                        "パスワードは 1 行、1024 文字までです。",
                    ),
                ));
            }
            Some(password.clone())
        }
        None => None,
    };
    let mailbox = match settings.mailbox.trim() {
        "" => "INBOX",
        folder => one_line(folder, 200).ok_or_else(|| {
            Error::unprocessable(
                "mailbox",
                Text::fixed(
                    "Enter the folder to read (one line), such as INBOX.",
                    "読むフォルダー（1 行、INBOX など）を入力してください。",
                ),
            )
        })?,
    };
    Ok(Parsed {
        tls: settings.tls,
        host: host.to_ascii_lowercase(),
        port: settings.port,
        user: user.to_owned(),
        password,
        mailbox: mailbox.to_owned(),
    })
}

/// What the sealed password belongs to: a sealed value moved onto another rep does not open.
fn owner(rep: UserId) -> String {
    format!("rep mailbox {rep}")
}

/// A kept mailbox as its row holds it.
#[derive(sqlx::FromRow)]
struct Kept {
    user_id: UserId,
    host: String,
    port: i64,
    tls: Flag,
    username: String,
    /// Sealed (`crate::sealed`).
    password: String,
    mailbox: String,
    changed_at: i64,
    read_at: Option<i64>,
    error: Option<String>,
}

impl Kept {
    fn status(self) -> MailboxStatus {
        MailboxStatus {
            host: self.host,
            port: u16::try_from(self.port).unwrap_or_default(),
            tls: self.tls.into(),
            user: self.username,
            mailbox: self.mailbox,
            changed_at: from_ms(self.changed_at),
            read_at: from_ms_opt(self.read_at),
            error: self.error,
        }
    }

    /// The account to read, when the password opens with these keys.
    fn account(&self, secret: &Secrets) -> Option<Account> {
        let password = secret.open(&owner(self.user_id), &self.password)?;
        Some(Account::new(
            self.tls.into(),
            &self.host,
            u16::try_from(self.port).ok()?,
            &self.username,
            &password,
            &self.mailbox,
        ))
    }
}

async fn kept(db: &Db, rep: UserId) -> sqlx::Result<Option<Kept>> {
    sqlx::query_as(
        "SELECT user_id, host, port, (tls = TRUE) AS tls, username, password, mailbox,
                changed_at, read_at, error
         FROM rep_mailboxes WHERE user_id = $1",
    )
    .bind(rep)
    .fetch_optional(db)
    .await
}

/// The rep's mailbox, if they set one.
pub async fn of(db: &Db, rep: UserId) -> Result<Option<MailboxStatus>, Error> {
    Ok(kept(db, rep).await?.map(Kept::status))
}

/// Why the server could not use the mailbox, said to the rep against the field to change.
fn refused(unreadable: Unreadable) -> Error {
    let said = unreadable.to_string();
    match unreadable {
        Unreadable::NoAddress => Error::unprocessable(
            "host",
            Text::fixed(
                "No mail server answers to that name.",
                "その名前のメールサーバーが見つかりません。",
            ),
        ),
        Unreadable::Private => Error::unprocessable(
            "host",
            Text::fixed(
                "That server is on a private network, which this Command Center does not connect to for reps (its administrator can allow it).",
                "そのサーバーはプライベートネットワーク上にあり、この Command Center は担当者のために接続しません（管理者が許可できます）。",
            ),
        ),
        Unreadable::PlainToPublic => Error::unprocessable(
            "tls",
            Text::fixed(
                "Turn on TLS (port 993): a mail server on the internet is not sent your password in clear.",
                "TLS をオンにしてください（ポート 993）。インターネット上のメールサーバーにパスワードを暗号化せずに送ることはしません。",
            ),
        ),
        Unreadable::Port(_) => Error::unprocessable(
            "port",
            Text::fixed(
                "Use the IMAP port: 993 with TLS (or 143).",
                "IMAP のポートを使ってください（TLS は 993、または 143）。",
            ),
        ),
        Unreadable::TimedOut(..) | Unreadable::Connect(_) => Error::unprocessable(
            "host",
            Text::new(
                format!("Could not reach the mail server: check its name, port and TLS ({said})."),
                format!("メールサーバーに接続できません。名前・ポート・TLS を確認してください（{said}）。"),
            ),
        ),
        Unreadable::SignIn(_) | Unreadable::Imap(_) => {
            let said = match unreadable {
                Unreadable::SignIn(text) => text,
                _ => said,
            };
            Error::unprocessable(
            "password",
            Text::new(
                format!("The mail server refused this user and password ({said}). Gmail and Microsoft 365 need an app password."),
                format!("メールサーバーがこのユーザーとパスワードを拒否しました（{said}）。Gmail と Microsoft 365 ではアプリ パスワードが必要です。"),
            ),
        )
        }
        Unreadable::NoFolder(_) => Error::unprocessable(
            "mailbox",
            Text::fixed(
                "The mailbox has no such folder.",
                "メールボックスにそのフォルダーはありません。",
            ),
        ),
    }
}

/// Keeps the rep's mailbox once the server has signed in to it and opened the folder. The
/// password left out keeps the one kept (the rep changes the folder without typing it again).
pub async fn set(
    db: &Db,
    secret: &Secrets,
    private_allowed: bool,
    rep: UserId,
    settings: &MailboxSettings,
) -> Result<MailboxStatus, Error> {
    let parsed = parse(settings)?;
    let password = match parsed.password {
        Some(password) => password,
        None => {
            let kept = kept(db, rep).await?;
            // The kept password goes only where it was given for: a new server, port, TLS setting
            // or user name asks for it again, before anything connects.
            let same_place = |kept: &Kept| {
                kept.host == parsed.host
                    && kept.port == i64::from(parsed.port)
                    && bool::from(kept.tls) == parsed.tls
                    && kept.username == parsed.user
            };
            match kept {
                Some(kept) if !same_place(&kept) => {
                    return Err(Error::unprocessable(
                        "password",
                        Text::fixed(
                            "Enter the password again: the server, port, TLS or user name changed.",
                            "パスワードをもう一度入力してください（サーバー・ポート・TLS・ユーザー名が変わりました）。",
                        ),
                    ))
                }
                kept => kept
                    .and_then(|kept| secret.open(&owner(rep), &kept.password))
                    .ok_or_else(|| {
                        Error::unprocessable(
                            "password",
                            Text::fixed(
                                "Enter the mailbox's password.",
                                "メールボックスのパスワードを入力してください。",
                            ),
                        )
                    })?,
            }
        }
    };
    let account = Account::new(
        parsed.tls,
        &parsed.host,
        parsed.port,
        &parsed.user,
        &password,
        &parsed.mailbox,
    );
    probe(&account, Reach::Rep { private_allowed })
        .await
        .map_err(refused)?;
    let sealed = secret.seal(&owner(rep), &password);
    sqlx::query(
        "INSERT INTO rep_mailboxes (user_id, host, port, tls, username, password, mailbox, changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (user_id) DO UPDATE SET host = $2, port = $3, tls = $4, username = $5,
             password = $6, mailbox = $7, changed_at = $8, read_at = NULL, error = NULL",
    )
    .bind(rep)
    .bind(&parsed.host)
    .bind(i64::from(parsed.port))
    .bind(parsed.tls)
    .bind(&parsed.user)
    .bind(&sealed)
    .bind(&parsed.mailbox)
    .bind(now_ms())
    .execute(db)
    .await?;
    Ok(of(db, rep).await?.expect("the row was just written"))
}

/// Seals every kept password with the newest key (after a new one was put first in the secret
/// file); answers how many were sealed anew. One that opens with none of the keys is left.
pub async fn seal_anew(db: &Db, secret: &Secrets) -> sqlx::Result<u64> {
    let rows: Vec<(UserId, String)> = sqlx::query_as("SELECT user_id, password FROM rep_mailboxes")
        .fetch_all(db)
        .await?;
    let mut sealed_anew = 0;
    for (rep, sealed) in rows {
        if secret.sealed_by_newest(&owner(rep), &sealed) {
            continue;
        }
        let Some(password) = secret.open(&owner(rep), &sealed) else {
            tracing::warn!(%rep, "a rep's mailbox password opens with none of the keys");
            continue;
        };
        sqlx::query("UPDATE rep_mailboxes SET password = $1 WHERE user_id = $2 AND password = $3")
            .bind(secret.seal(&owner(rep), &password))
            .bind(rep)
            .bind(&sealed)
            .execute(db)
            .await?;
        sealed_anew += 1;
    }
    Ok(sealed_anew)
}

/// Stops reading the rep's mailbox and forgets it; whether there was one.
pub async fn remove(db: &Db, rep: UserId) -> Result<bool, Error> {
    Ok(sqlx::query("DELETE FROM rep_mailboxes WHERE user_id = $1")
        .bind(rep)
        .execute(db)
        .await?
        .rows_affected()
        == 1)
}

pub(super) async fn note_read(db: &Db, rep: UserId) -> sqlx::Result<()> {
    sqlx::query("UPDATE rep_mailboxes SET read_at = $1, error = NULL WHERE user_id = $2")
        .bind(now_ms())
        .bind(rep)
        .execute(db)
        .await
        .map(drop)
}

pub(super) async fn note_error(db: &Db, rep: UserId, error: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE rep_mailboxes SET error = $1 WHERE user_id = $2")
        .bind(error.chars().take(500).collect::<String>())
        .bind(rep)
        .execute(db)
        .await
        .map(drop)
}

/// How often the kept mailboxes are looked at again for changes made on another instance.
const RELOAD_EVERY: Duration = Duration::from_secs(60);

/// One watcher per active rep with a mailbox.
pub struct RepWatchers {
    db: Db,
    changes: Changes,
    secret: Arc<Secrets>,
    poll: Duration,
    private_allowed: bool,
    /// Each rep's watcher, with the settings' `changed_at` it was started from.
    running: Mutex<HashMap<UserId, (i64, AbortHandle)>>,
    changed: Notify,
}

impl RepWatchers {
    pub fn new(
        db: Db,
        changes: Changes,
        secret: Arc<Secrets>,
        poll: Duration,
        private_allowed: bool,
    ) -> Self {
        RepWatchers {
            db,
            changes,
            secret,
            poll,
            private_allowed,
            running: Mutex::default(),
            changed: Notify::new(),
        }
    }

    /// Looks at the kept mailboxes at once (one was set or removed here).
    pub fn changed(&self) {
        self.changed.notify_one();
    }

    /// Runs until aborted, then stops every watcher it started.
    pub async fn run(self: Arc<Self>) {
        struct StopAll<'a>(&'a RepWatchers);
        impl Drop for StopAll<'_> {
            fn drop(&mut self) {
                let mut running = self.0.running.lock().expect("not poisoned");
                running.drain().for_each(|(_, (_, task))| task.abort());
            }
        }
        let _stop = StopAll(&self);
        loop {
            if let Err(error) = self.reload().await {
                tracing::warn!(%error, "loading reps' mailboxes");
            }
            tokio::select! {
                () = self.changed.notified() => {}
                () = tokio::time::sleep(RELOAD_EVERY) => {}
            }
        }
    }

    /// Starts a watcher for each new or changed mailbox, stops those removed or whose rep is
    /// deactivated.
    async fn reload(&self) -> sqlx::Result<()> {
        let kept: Vec<Kept> = sqlx::query_as(
            "SELECT user_id, host, port, (tls = TRUE) AS tls, username, password, mailbox,
                    changed_at, read_at, error
             FROM rep_mailboxes JOIN users ON users.id = rep_mailboxes.user_id
             WHERE users.deactivated_at IS NULL",
        )
        .fetch_all(&self.db)
        .await?;
        let mut running = self.running.lock().expect("not poisoned");
        running.retain(|rep, (changed_at, task)| {
            let same = kept
                .iter()
                .any(|k| k.user_id == *rep && k.changed_at == *changed_at);
            if !same {
                task.abort();
            }
            same
        });
        for mailbox in kept {
            if running.contains_key(&mailbox.user_id) {
                continue;
            }
            let Some(account) = mailbox.account(&self.secret) else {
                tracing::warn!(
                    rep = %mailbox.user_id,
                    "a rep's mailbox password does not open with this server's secret"
                );
                continue;
            };
            let watcher = Watcher {
                db: self.db.clone(),
                account,
                changes: self.changes.clone(),
                poll: self.poll,
                scope: Scope::Rep(mailbox.user_id),
                reach: Reach::Rep {
                    private_allowed: self.private_allowed,
                },
            };
            let task = crate::time::spawn(watcher.run()).abort_handle();
            running.insert(mailbox.user_id, (mailbox.changed_at, task));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(host: &str, user: &str, mailbox: &str) -> MailboxSettings {
        MailboxSettings {
            host: host.to_owned(),
            port: 993,
            tls: true,
            user: user.to_owned(),
            password: Some("app password".to_owned()),
            mailbox: mailbox.to_owned(),
        }
    }

    #[test]
    fn settings_parse_into_something_to_connect_with() {
        let parsed = parse(&settings(" IMAP.Example.com ", "aiko@example.com", "")).unwrap();
        assert_eq!(parsed.host, "imap.example.com");
        assert_eq!(parsed.mailbox, "INBOX");
        assert!(parse(&settings("127.0.0.1", "u", "Replies")).is_ok());
        for (host, user, mailbox, field) in [
            ("imap example.com", "u", "", "host"),
            ("-bad.example.com", "u", "", "host"),
            ("", "u", "", "host"),
            ("imap.example.com", " ", "", "user"),
            ("imap.example.com", "a\nb", "", "user"),
            ("imap.example.com", "u", "In\rbox", "mailbox"),
        ] {
            match parse(&settings(host, user, mailbox)) {
                Err(Error::Unprocessable { field: f, .. }) => assert_eq!(f, field, "{host:?}"),
                other => panic!("{host:?} {user:?} {mailbox:?}: {:?}", other.map(|p| p.host)),
            }
        }
    }
}
