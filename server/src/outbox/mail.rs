//! Turning a stored email into the message a recipient gets (merge fields, tracked links, view
//! pixel), and the transports that carry it: SMTP, or `.eml` files in an outbox directory.

use anyhow::Context;
use lettre::message::header::{
    self, ContentTransferEncoding, ContentType, Header, HeaderName, HeaderValue,
};
use lettre::message::{Body, Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

pub enum Transport {
    /// Each message becomes `<outbox>/<message-id>.eml`, written whole or not at all.
    Outbox(PathBuf),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

/// Where bounces go (`--bounce-address`): each email's return path is this address with
/// `+<token>` added to its local part (VERP), so that a bounce names its email.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReturnPath {
    local: String,
    domain: String,
}

impl ReturnPath {
    pub fn parse(text: &str) -> Result<ReturnPath, String> {
        let address: lettre::Address = text
            .trim()
            .parse()
            .map_err(|_| format!("`{text}` is not an email address"))?;
        if address.user().contains('+') {
            return Err(format!(
                "`{text}`: the bounce address's local part has no `+` of its own"
            ));
        }
        Ok(ReturnPath {
            local: address.user().to_owned(),
            domain: address.domain().to_owned(),
        })
    }

    /// The return path of one email.
    pub fn for_token(&self, token: &str) -> Result<lettre::Address, String> {
        lettre::Address::new(format!("{}+{token}", self.local), &self.domain)
            .map_err(|e| e.to_string())
    }
}

/// Why a transport did not take a message; each carries the reason shown to the rep.
#[derive(Debug, PartialEq)]
pub enum NotSent {
    /// The receiving server refused it for good (an SMTP 5xx reply): the address bounced.
    Bounced(String),
    /// Refused for now (an SMTP 4xx reply): worth trying again later.
    Deferred(String),
    /// Anything else: no connection, TLS, the outbox directory.
    Failed(String),
}

impl NotSent {
    fn from_smtp(error: &lettre::transport::smtp::Error) -> Self {
        if error.is_permanent() {
            NotSent::Bounced(format!("Refused by the mail server: {error}"))
        } else if error.is_transient() {
            NotSent::Deferred(format!("Deferred by the mail server: {error}"))
        } else {
            NotSent::Failed(format!("Rejected by the mail server: {error}"))
        }
    }
}

/// Whether a message handed to the transport before a crash went out.
#[derive(Debug, PartialEq)]
pub enum HandOff {
    Sent,
    NotSent,
    Unknown,
}

impl Transport {
    pub fn new(smtp_url: Option<&str>, outbox: PathBuf) -> anyhow::Result<Self> {
        match smtp_url {
            Some(url) => Ok(Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .with_context(|| format!("the SMTP URL `{}` is not valid", redacted(url)))?
                    // A connection for each send in flight (the pool's own default is 10): each
                    // message waits on the relay's replies, and more of them wait side by side.
                    .pool_config(
                        lettre::transport::smtp::PoolConfig::new()
                            .max_size(super::sender::SEND_CONCURRENCY as u32),
                    )
                    .build(),
            )),
            None => {
                crate::private_files::dir(&outbox)
                    .with_context(|| format!("creating {}", outbox.display()))?;
                Ok(Transport::Outbox(outbox))
            }
        }
    }

    /// Sends one message, from `return_path` when given (the SMTP envelope's sender, where
    /// bounces go); the error says whether to try again, with the reason shown to the rep.
    pub async fn send(
        &self,
        message: &Message,
        message_id: &str,
        return_path: Option<&lettre::Address>,
    ) -> Result<(), NotSent> {
        match self {
            Transport::Outbox(dir) => {
                let path = outbox_file(dir, message_id);
                let partial = path.with_extension("eml.partial");
                let bytes = message.formatted();
                // Write then rename: a crash leaves either the whole file or none.
                let written = partial.clone();
                tokio::task::spawn_blocking(move || crate::private_files::write(&written, &bytes))
                    .await
                    .unwrap_or_else(|e| Err(std::io::Error::other(e)))
                    .and(tokio::fs::rename(&partial, &path).await)
                    .map_err(|e| NotSent::Failed(format!("Could not write to the outbox: {e}")))
            }
            Transport::Smtp(smtp) => {
                let sent = match return_path {
                    Some(from) => {
                        let envelope = lettre::address::Envelope::new(
                            Some(from.clone()),
                            message.envelope().to().to_vec(),
                        )
                        .map_err(|e| {
                            NotSent::Failed(format!("No envelope for the message: {e}"))
                        })?;
                        smtp.send_raw(&envelope, &message.formatted()).await
                    }
                    None => smtp.send(message.clone()).await,
                };
                sent.map(|_| ()).map_err(|e| NotSent::from_smtp(&e))
            }
        }
    }

    /// After a crash: did a message handed over before it go out?
    pub fn hand_off_outcome(&self, message_id: &str) -> HandOff {
        match self {
            Transport::Outbox(dir) if outbox_file(dir, message_id).exists() => HandOff::Sent,
            Transport::Outbox(_) => HandOff::NotSent,
            // An SMTP server may have accepted it before we heard back: only the rep can decide.
            Transport::Smtp(_) => HandOff::Unknown,
        }
    }
}

/// An SMTP URL without its credentials, for messages and logs.
pub fn redacted(url: &str) -> String {
    match (url.split_once("://"), url.rfind('@')) {
        (Some((scheme, rest)), Some(_)) if rest.contains('@') => {
            let host = &rest[rest.rfind('@').map_or(0, |at| at + 1)..];
            format!("{scheme}://***@{host}")
        }
        _ => url.to_owned(),
    }
}

pub fn outbox_file(dir: &std::path::Path, message_id: &str) -> PathBuf {
    let name: String = message_id
        .trim_matches(|c| c == '<' || c == '>')
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '@') {
                c
            } else {
                '_'
            }
        })
        .collect();
    dir.join(format!("{name}.eml"))
}

/// A body made ready to track: its links point at click-tracking URLs, and its view pixel waits
/// to go last in the document.
pub struct Tracked {
    /// The sanitized body, each http(s) link replaced by its tracking URL.
    pub html: String,
    pub pixel: String,
    /// The (token, original URL) of each link.
    pub links: Vec<(String, String)>,
}

/// What an email counts: opens (the view pixel), clicks (links through the server).
#[derive(Clone, Copy, Debug)]
pub struct Tracking {
    pub opens: bool,
    pub links: bool,
}

/// The sanitized body with each http(s) link pointing at its click-tracking URL, and the view
/// pixel that goes with it; either left out when the email does not track it.
pub fn with_tracking(
    body_html: &str,
    public_url: &str,
    tracking_token: &str,
    tracking: Tracking,
) -> Tracked {
    // ammonia wants a 'static filter: share the collected links through an Arc.
    let links = Arc::new(Mutex::new(Vec::new()));
    let public = public_url.trim_end_matches('/').to_owned();
    let collected = links.clone();
    let base = public.clone();
    let html = ammonia::Builder::default()
        .attribute_filter(move |element, attribute, value| {
            if tracking.links
                && element == "a"
                && attribute == "href"
                && (value.starts_with("https://") || value.starts_with("http://"))
            {
                let token = crate::password::new_token();
                let url = format!("{base}/t/c/{token}");
                collected
                    .lock()
                    .expect("not poisoned")
                    .push((token, value.to_owned()));
                Some(url.into())
            } else {
                Some(value.into())
            }
        })
        .clean(body_html)
        .to_string();
    // The view pixel is the background of the message's last, empty line, not an <img>: mail
    // filters score any image beside a short text (SpamAssassin's HTML_IMAGE_ONLY_* rules, up to
    // 2.8 points for a sales email's length). Gmail, Apple Mail, Yahoo and Outlook.com load it;
    // Outlook for Windows loads no backgrounds, so its opens are not counted.
    let src = format!("{public}/t/v/{tracking_token}.gif");
    let pixel = if !tracking.opens {
        String::new()
    } else {
        format!(
            r#"<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr><td height="1" background="{src}" style="background-image:url('{src}');font-size:1px;line-height:1px">&nbsp;</td></tr></table>"#
        )
    };
    let links = std::mem::take(&mut *links.lock().expect("not poisoned"));
    Tracked { html, pixel, links }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The HTML part: a whole document (mail filters score a bare fragment), in the language of
/// its text, the body, the unsubscribe footer, and the view pixel last, where it weighs least.
pub fn document(
    subject: &str,
    body: &str,
    tracked: Tracked,
    unsubscribe: &str,
    locale: &str,
) -> String {
    let lang = if api::mail_text::looks_japanese(body) {
        "ja"
    } else {
        "en"
    };
    format!(
        "<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title></head>\n<body>\n{}\n{}\n{}\n</body></html>\n",
        escape(subject),
        tracked.html,
        crate::opt_out::footer(unsubscribe, locale),
        tracked.pixel
    )
}

/// The text part: the body's text (links with their own URLs) and the unsubscribe line.
pub fn text(body: &str, unsubscribe: &str, locale: &str) -> String {
    format!(
        "{}\n\n-- \n{}\n",
        api::mail_text::plain_text(body),
        crate::opt_out::footer_text(unsubscribe, locale)
    )
}

pub struct Envelope<'a> {
    pub from_name: &'a str,
    pub from_email: &'a str,
    pub to_name: &'a str,
    pub to_email: &'a str,
    pub subject: &'a str,
    /// A whole HTML document (`document`).
    pub html: String,
    /// The same message as plain text (`text`).
    pub text: String,
    pub message_id: &'a str,
    /// The person's unsubscribe URL, for `List-Unsubscribe` (RFC 2369) and its one-click POST.
    pub unsubscribe: &'a str,
}

/// `List-Unsubscribe: <https://…>` (RFC 2369).
#[derive(Clone)]
struct ListUnsubscribe(String);

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058): a mailbox provider may POST to
/// the link to unsubscribe at once, without the person visiting it.
#[derive(Clone)]
struct ListUnsubscribePost;

type HeaderError = Box<dyn std::error::Error + Send + Sync>;

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(s: &str) -> Result<Self, HeaderError> {
        Ok(Self(s.to_owned()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }
    fn parse(_: &str) -> Result<Self, HeaderError> {
        Ok(Self)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_owned())
    }
}

/// The message, or why it cannot be built (shown to the rep as the failure reason).
pub fn build(envelope: Envelope<'_>) -> Result<Message, String> {
    let from = envelope
        .from_email
        .parse()
        .map(|address| Mailbox::new(Some(envelope.from_name.to_owned()), address))
        .map_err(|_| {
            format!(
                "Your own address `{}` is not a valid email address.",
                envelope.from_email
            )
        })?;
    let to = envelope
        .to_email
        .parse()
        .map(|address| Mailbox::new(Some(envelope.to_name.to_owned()), address))
        .map_err(|_| {
            format!(
                "The recipient's address `{}` is not a valid email address.",
                envelope.to_email
            )
        })?;
    // The two parts, encoded (quoted-printable or base64, so the whole is 7-bit). lettre would
    // keep a multipart's Content-Type inside its body, out of the DKIM signer's sight: the
    // message carries it as its own header instead, so that the signature covers it.
    let parts = MultiPart::alternative_plain_html(envelope.text, envelope.html);
    let boundary = parts.boundary();
    let formatted = parts.formatted();
    let start = formatted
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(0, |at| at + 4);
    let encoded = formatted[start..].to_vec();
    // lettre encodes each part as 7-bit, quoted-printable or base64: the whole is ASCII in
    // short lines, which is what 7-bit promises.
    let seven_bit =
        encoded.is_ascii() && encoded.split(|&b| b == b'\n').all(|line| line.len() <= 998);
    if !seven_bit {
        return Err("The message could not be encoded.".to_owned());
    }
    let body = Body::dangerous_pre_encoded(encoded, ContentTransferEncoding::SevenBit);
    Message::builder()
        .from(from)
        .to(to)
        .subject(envelope.subject)
        .message_id(Some(envelope.message_id.to_owned()))
        .header(ListUnsubscribe(envelope.unsubscribe.to_owned()))
        .header(ListUnsubscribePost)
        .header(header::MIME_VERSION_1_0)
        .header(
            ContentType::parse(&format!("multipart/alternative; boundary=\"{boundary}\""))
                .map_err(|e| format!("The message could not be built: {e}"))?,
        )
        .body(body)
        .map_err(|e| format!("The message could not be built: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_rewritten_and_scripts_dropped() {
        let body = r#"<p>Hi <a href="https://example.com/a">a</a> <a href="mailto:x@y.z">m</a></p><script>alert(1)</script>"#;
        let both = Tracking {
            opens: true,
            links: true,
        };
        let untracked = with_tracking(
            body,
            "http://cc.test/",
            "tok",
            Tracking {
                opens: false,
                links: false,
            },
        );
        assert!(untracked.links.is_empty() && untracked.pixel.is_empty());
        assert!(untracked.html.contains("https://example.com/a"));
        let tracked = with_tracking(body, "http://cc.test/", "tok", both);
        let links = tracked.links.clone();
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].1, "https://example.com/a");
        assert!(tracked
            .html
            .contains(&format!("http://cc.test/t/c/{}", links[0].0)));
        assert!(tracked.html.contains("mailto:x@y.z"));
        assert!(!tracked.html.contains("script"));
        let html = document("Hi & bye", body, tracked, "http://cc.test/u/x", "en");
        assert!(
            html.starts_with("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        );
        assert!(html.contains("<title>Hi &amp; bye</title>"));
        // The pixel is the last thing in the body, after the unsubscribe footer.
        let pixel = r#"background="http://cc.test/t/v/tok.gif""#;
        assert!(html.find(pixel) > html.find("http://cc.test/u/x"));
        assert!(html.trim_end().ends_with("</table>\n</body></html>"));
        assert!(!html.contains("<img"), "no image for filters to count");
    }

    #[test]
    fn credentials_never_leave_an_smtp_url() {
        assert_eq!(
            redacted("smtps://user:p@ss@mail.example.com:465"),
            "smtps://***@mail.example.com:465"
        );
        assert_eq!(redacted("smtp://127.0.0.1:25"), "smtp://127.0.0.1:25");
        let error = Transport::new(
            Some("smtps://user:secret@mail.example.com:notaport"),
            PathBuf::from("/nowhere"),
        )
        .err()
        .map(|e| format!("{e:#}"))
        .unwrap_or_default();
        assert!(error.contains("***@mail.example.com"), "{error}");
        assert!(!error.contains("secret"), "{error}");
    }

    #[test]
    fn outbox_file_names_are_safe() {
        let path = outbox_file(std::path::Path::new("/o"), "<abc/../x@host>");
        assert_eq!(path, PathBuf::from("/o/abc_.._x@host.eml"));
    }
}

#[cfg(test)]
mod build_tests {
    use super::*;

    #[test]
    fn a_message_builds_as_seven_bit_multipart() {
        let message = build(Envelope {
            from_name: "佐藤 愛子",
            from_email: "aiko@example.com",
            to_name: "山田 太郎",
            to_email: "taro@example.jp",
            subject: "ご提案",
            html: "<!doctype html><html><body><p>こんにちは</p></body></html>".into(),
            text: "こんにちは".into(),
            message_id: "<x@example.com>",
            unsubscribe: "https://cc.test/u/x",
        });
        let message = message.unwrap();
        let text = String::from_utf8(message.formatted()).unwrap();
        assert!(
            text.contains("Content-Type: multipart/alternative;"),
            "{text}"
        );
        assert!(text.contains("MIME-Version: 1.0"), "{text}");
    }
}
