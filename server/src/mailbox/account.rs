//! A mailbox to read: where it is and how to sign in, and the connection to it. The server's own
//! comes from `--imap-url`; a rep's from their settings, checked by `probe` before it is kept.
//! A rep's mailbox is an address a rep typed, so the connection refuses loopback and private
//! networks unless the operator allows them (the server must not become a way into its own
//! network); the check is made on the address actually connected to, at every connection. A
//! rep's mailbox is reached only on the IMAP ports (143, 993), and by TLS whenever it is out on
//! the internet: their password never crosses it in clear. Every read is bounded: a command has
//! `COMMAND_WAIT` to answer and a budget of bytes (`Budget`) it may not read past.

use async_imap::{Client, Session};
use std::fmt::Debug;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// A mailbox to watch, from `imap[s]://user:pass@host[:port]/MAILBOX` or a rep's settings.
#[derive(Clone, PartialEq, Eq)]
pub struct Account {
    pub tls: bool,
    pub host: String,
    pub port: u16,
    pub user: String,
    pub(super) password: String,
    pub mailbox: String,
}

impl Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.name())
    }
}

impl Account {
    pub fn new(
        tls: bool,
        host: &str,
        port: u16,
        user: &str,
        password: &str,
        mailbox: &str,
    ) -> Self {
        Account {
            tls,
            host: host.to_owned(),
            port,
            user: user.to_owned(),
            password: password.to_owned(),
            mailbox: if mailbox.is_empty() {
                "INBOX".to_owned()
            } else {
                mailbox.to_owned()
            },
        }
    }

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
        let port = url.port().unwrap_or(if tls { 993 } else { 143 });
        Ok(Account::new(tls, &host, port, &user, &password, &mailbox))
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

/// Why a mailbox could not be read.
#[derive(Debug, thiserror::Error)]
pub enum Unreadable {
    #[error("the host has no address this server may connect to")]
    NoAddress,
    #[error("the host is on a loopback or private network, which this server does not connect to for reps")]
    Private,
    #[error("a mailbox on the internet is read over TLS only")]
    PlainToPublic,
    #[error("port {0} is not an IMAP port (993 with TLS, 143 without)")]
    Port(u16),
    #[error("no answer from {0} within {1} seconds")]
    TimedOut(String, u64),
    #[error("could not connect: {0}")]
    Connect(#[source] io::Error),
    #[error("the sign-in was refused: {0}")]
    SignIn(String),
    #[error("there is no folder {0:?} in this mailbox")]
    NoFolder(String),
    #[error("{0}")]
    Imap(#[from] async_imap::error::Error),
}

/// How many more bytes the connection may read before the command being run is cut off: set
/// before each command, so that a mail server cannot make the client collect a message (or a
/// list) of any size it likes.
#[derive(Clone, Debug)]
pub(super) struct Budget(Arc<AtomicU64>);

impl Budget {
    pub(super) fn allow(&self, bytes: u64) {
        self.0.store(bytes, Ordering::Relaxed);
    }
}

/// The budget of a command other than a fetch of whole messages (a search's list of UIDs, the
/// sizes of fifty messages, a greeting).
pub(super) const COMMAND_BYTES: u64 = 16 * 1024 * 1024;
/// How long one command may take to answer.
pub(super) const COMMAND_WAIT: Duration = Duration::from_secs(120);

/// A connection, with or without TLS, as the IMAP client reads it, within its budget.
#[derive(Debug)]
pub(super) struct Stream {
    inner: Inner,
    budget: Budget,
}

#[derive(Debug)]
enum Inner {
    Plain(TcpStream),
    Tls(Box<tokio_rustls::client::TlsStream<TcpStream>>),
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let left = this.budget.0.load(Ordering::Relaxed);
        if left == 0 {
            return Poll::Ready(Err(io::Error::other(
                "the mail server sent more than this command may read",
            )));
        }
        let before = buf.filled().len();
        let polled = match &mut this.inner {
            Inner::Plain(tcp) => Pin::new(tcp).poll_read(cx, buf),
            Inner::Tls(tls) => Pin::new(tls.as_mut()).poll_read(cx, buf),
        };
        let read = (buf.filled().len() - before) as u64;
        this.budget
            .0
            .store(left.saturating_sub(read), Ordering::Relaxed);
        polled
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match &mut self.get_mut().inner {
            Inner::Plain(tcp) => Pin::new(tcp).poll_write(cx, buf),
            Inner::Tls(tls) => Pin::new(tls.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match &mut self.get_mut().inner {
            Inner::Plain(tcp) => Pin::new(tcp).poll_flush(cx),
            Inner::Tls(tls) => Pin::new(tls.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match &mut self.get_mut().inner {
            Inner::Plain(tcp) => Pin::new(tcp).poll_shutdown(cx),
            Inner::Tls(tls) => Pin::new(tls.as_mut()).poll_shutdown(cx),
        }
    }
}

/// Whether an address is out on the internet (not loopback, private, link-local, shared,
/// reserved or unspecified), where a rep's mailbox is expected to be. An IPv6 address that
/// carries an IPv4 one (mapped, compatible, NAT64, 6to4) is judged by the address it carries.
fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_broadcast()
                || v4.is_documentation()
                || v4.is_multicast()
                // 0.0.0.0/8, "this network".
                || a == 0
                // 100.64.0.0/10, carrier-grade NAT.
                || (a == 100 && (64..128).contains(&b))
                // 192.0.0.0/24, protocol assignments.
                || (a == 192 && b == 0 && c == 0)
                // 198.18.0.0/15, benchmarking.
                || (a == 198 && (18..20).contains(&b))
                // 240.0.0.0/4, reserved.
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            let carried = |high: u16, low: u16| {
                std::net::Ipv4Addr::new((high >> 8) as u8, high as u8, (low >> 8) as u8, low as u8)
            };
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            // ::a.b.c.d (IPv4-compatible) and 64:ff9b::a.b.c.d (NAT64).
            if s[..6] == [0; 6] || s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
                return !v6.is_loopback()
                    && !v6.is_unspecified()
                    && is_public(IpAddr::V4(carried(s[6], s[7])));
            }
            // 2002:a.b.c.d::/48 (6to4).
            if s[0] == 0x2002 {
                return is_public(IpAddr::V4(carried(s[1], s[2])));
            }
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_unique_local()
                || v6.is_unicast_link_local()
                || v6.is_multicast()
                // 64:ff9b:1::/48, local NAT64; 2001::/32, Teredo; 2001:db8::/32, documentation.
                || (s[0] == 0x64 && s[1] == 0xff9b)
                || (s[0] == 0x2001 && (s[1] == 0 || s[1] == 0xdb8)))
        }
    }
}

/// The ports a rep's mailbox may be on.
const IMAP_PORTS: [u16; 2] = [993, 143];

/// The address to connect to: the first the host resolves to that may be used.
async fn address(host: &str, port: u16, private_allowed: bool) -> Result<SocketAddr, Unreadable> {
    let mut found = false;
    for address in tokio::net::lookup_host((host, port))
        .await
        .map_err(|_| Unreadable::NoAddress)?
    {
        found = true;
        if private_allowed || is_public(address.ip()) {
            return Ok(address);
        }
    }
    Err(if found {
        Unreadable::Private
    } else {
        Unreadable::NoAddress
    })
}

/// Whose mailbox a connection reads, which says where it may go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// The server's own (the operator's `--imap-url`): anywhere, as configured.
    Operator,
    /// A rep's: public addresses on the IMAP ports over TLS; private networks (any port, TLS or
    /// not) only when the operator allows them.
    Rep { private_allowed: bool },
}

/// Connects and signs in: the session, and the budget of what its next command may read.
pub(super) async fn sign_in(
    account: &Account,
    reach: Reach,
) -> Result<(Session<Stream>, Budget), Unreadable> {
    let private_allowed = reach
        != Reach::Rep {
            private_allowed: false,
        };
    let address = address(&account.host, account.port, private_allowed).await?;
    if !private_allowed && !IMAP_PORTS.contains(&account.port) {
        return Err(Unreadable::Port(account.port));
    }
    if reach != Reach::Operator && !account.tls && is_public(address.ip()) {
        return Err(Unreadable::PlainToPublic);
    }
    let connect = TcpStream::connect(address);
    let tcp = tokio::time::timeout(COMMAND_WAIT, connect)
        .await
        .map_err(|_| Unreadable::TimedOut(account.host.clone(), COMMAND_WAIT.as_secs()))?
        .map_err(Unreadable::Connect)?;
    let stream = if account.tls {
        let mut roots = tokio_rustls::rustls::RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        let tls = tokio_rustls::rustls::ClientConfig::builder()
            .with_root_certificates(roots)
            .with_no_client_auth();
        let name = tokio_rustls::rustls::pki_types::ServerName::try_from(account.host.clone())
            .map_err(|_| Unreadable::NoAddress)?;
        let tls = tokio_rustls::TlsConnector::from(Arc::new(tls))
            .connect(name, tcp)
            .await
            .map_err(Unreadable::Connect)?;
        Inner::Tls(Box::new(tls))
    } else {
        Inner::Plain(tcp)
    };
    let budget = Budget(Arc::new(AtomicU64::new(COMMAND_BYTES)));
    let mut client = Client::new(Stream {
        inner: stream,
        budget: budget.clone(),
    });
    let timed_out = || Unreadable::TimedOut(account.host.clone(), COMMAND_WAIT.as_secs());
    tokio::time::timeout(COMMAND_WAIT, client.read_response())
        .await
        .map_err(|_| timed_out())?
        .map_err(Unreadable::Connect)?;
    budget.allow(COMMAND_BYTES);
    let session =
        tokio::time::timeout(COMMAND_WAIT, client.login(&account.user, &account.password))
            .await
            .map_err(|_| timed_out())?
            .map_err(|(error, _)| match error {
                async_imap::error::Error::No(said) | async_imap::error::Error::Bad(said) => {
                    Unreadable::SignIn(server_text(&said))
                }
                other => Unreadable::Imap(other),
            })?;
    budget.allow(COMMAND_BYTES);
    Ok((session, budget))
}

/// What the server said in a refusal, which the IMAP client gives as
/// `code: …, info: Some("…")`: the text within.
fn server_text(refusal: &str) -> String {
    const INFO: &str = "info: Some(\"";
    match refusal.find(INFO) {
        Some(start) => {
            let text = &refusal[start + INFO.len()..];
            text.strip_suffix("\")")
                .unwrap_or(text)
                .replace("\\\"", "\"")
        }
        None => refusal.to_owned(),
    }
}

/// Signs in and opens the folder, then signs out: whether the server can read this mailbox.
pub async fn probe(account: &Account, reach: Reach) -> Result<(), Unreadable> {
    const WAIT: Duration = Duration::from_secs(10);
    let check = async {
        let (mut session, _) = sign_in(account, reach).await?;
        session
            .examine(&account.mailbox)
            .await
            .map_err(|_| Unreadable::NoFolder(account.mailbox.clone()))?;
        // Closing politely is not part of the answer.
        let _ = session.logout().await;
        Ok(())
    };
    tokio::time::timeout(WAIT, check)
        .await
        .map_err(|_| Unreadable::TimedOut(account.host.clone(), WAIT.as_secs()))?
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

    #[test]
    fn only_addresses_out_on_the_internet_are_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "0.1.2.3",
            "198.18.0.1",
            "198.19.255.1",
            "240.0.0.1",
            "255.255.255.254",
            "192.0.0.8",
            "::127.0.0.1",
            "::10.0.0.1",
            "64:ff9b::7f00:1",
            "64:ff9b::a00:1",
            "64:ff9b:1::1",
            "2002:7f00:1::1",
            "2002:c0a8:101::1",
            "2001:0:4136:e378::1",
            "ff02::1",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in [
            "8.8.8.8",
            "142.250.1.1",
            "2001:4860:4860::8888",
            "64:ff9b::808:808",
            "2002:808:808::1",
            "198.20.0.1",
        ] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn a_refusal_says_what_the_server_said() {
        assert_eq!(
            server_text(
                r#"code: None, info: Some("[AUTHENTICATIONFAILED] Authentication \"failed\".")"#
            ),
            r#"[AUTHENTICATIONFAILED] Authentication "failed"."#
        );
        assert_eq!(server_text("plain words"), "plain words");
    }
}
