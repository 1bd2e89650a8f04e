//! A mailbox to read: where it is and how to sign in, and the connection to it. The server's own
//! comes from `--imap-url`; a rep's from their settings, checked by `probe` before it is kept.
//! A rep's mailbox is an address a rep typed, so the connection refuses loopback and private
//! networks unless the operator allows them (the server must not become a way into its own
//! network); the check is made on the address actually connected to, at every connection.

use async_imap::{Client, Session};
use std::fmt::Debug;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
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

/// A connection, with or without TLS, as the IMAP client reads it.
#[derive(Debug)]
pub(super) enum Stream {
    Plain(TcpStream),
    Tls(Box<tokio_rustls::client::TlsStream<TcpStream>>),
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(tcp) => Pin::new(tcp).poll_read(cx, buf),
            Stream::Tls(tls) => Pin::new(tls.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(tcp) => Pin::new(tcp).poll_write(cx, buf),
            Stream::Tls(tls) => Pin::new(tls.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(tcp) => Pin::new(tcp).poll_flush(cx),
            Stream::Tls(tls) => Pin::new(tls.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(tcp) => Pin::new(tcp).poll_shutdown(cx),
            Stream::Tls(tls) => Pin::new(tls.as_mut()).poll_shutdown(cx),
        }
    }
}

/// Whether an address is out on the internet (not loopback, private, link-local, shared or
/// unspecified), where a rep's mailbox is expected to be.
fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                // 100.64.0.0/10, carrier-grade NAT.
                || (a == 100 && (64..128).contains(&b)))
        }
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public(IpAddr::V4(v4)),
            None => {
                !(v6.is_loopback()
                    || v6.is_unspecified()
                    || v6.is_unique_local()
                    || v6.is_unicast_link_local())
            }
        },
    }
}

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

/// Connects and signs in. `private_allowed`: the server's own mailbox (the operator's setting)
/// and reps' when the operator allows private networks.
pub(super) async fn sign_in(
    account: &Account,
    private_allowed: bool,
) -> Result<Session<Stream>, Unreadable> {
    let address = address(&account.host, account.port, private_allowed).await?;
    let tcp = TcpStream::connect(address)
        .await
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
        Stream::Tls(Box::new(tls))
    } else {
        Stream::Plain(tcp)
    };
    let mut client = Client::new(stream);
    client.read_response().await.map_err(Unreadable::Connect)?;
    client
        .login(&account.user, &account.password)
        .await
        .map_err(|(error, _)| match error {
            async_imap::error::Error::No(said) | async_imap::error::Error::Bad(said) => {
                Unreadable::SignIn(server_text(&said))
            }
            other => Unreadable::Imap(other),
        })
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
pub async fn probe(account: &Account, private_allowed: bool) -> Result<(), Unreadable> {
    const WAIT: Duration = Duration::from_secs(10);
    let check = async {
        let mut session = sign_in(account, private_allowed).await?;
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
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in ["8.8.8.8", "142.250.1.1", "2001:4860:4860::8888"] {
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
