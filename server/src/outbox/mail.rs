//! Turning a stored email into the message a recipient gets (merge fields, tracked links, view
//! pixel), and the transports that carry it: SMTP, or `.eml` files in an outbox directory.

use anyhow::Context;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

pub enum Transport {
    /// Each message becomes `<outbox>/<message-id>.eml`, written whole or not at all.
    Outbox(PathBuf),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
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
                    .with_context(|| format!("the SMTP URL `{url}` is not valid"))?
                    .build(),
            )),
            None => {
                std::fs::create_dir_all(&outbox)
                    .with_context(|| format!("creating {}", outbox.display()))?;
                Ok(Transport::Outbox(outbox))
            }
        }
    }

    /// Sends one message; the error is the reason shown to the rep.
    pub async fn send(&self, message: &Message, message_id: &str) -> Result<(), String> {
        match self {
            Transport::Outbox(dir) => {
                let path = outbox_file(dir, message_id);
                let partial = path.with_extension("eml.partial");
                let bytes = message.formatted();
                // Write then rename: a crash leaves either the whole file or none.
                tokio::fs::write(&partial, bytes)
                    .await
                    .and(tokio::fs::rename(&partial, &path).await)
                    .map_err(|e| format!("Could not write to the outbox: {e}"))
            }
            Transport::Smtp(smtp) => smtp
                .send(message.clone())
                .await
                .map(|_| ())
                .map_err(|e| format!("Rejected by the mail server: {e}")),
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

/// The sanitized body with each http(s) link pointing at its click-tracking URL and a view
/// pixel appended. Returns the HTML and the (token, original URL) of each link.
pub fn with_tracking(
    body_html: &str,
    public_url: &str,
    tracking_token: &str,
) -> (String, Vec<(String, String)>) {
    // ammonia wants a 'static filter: share the collected links through an Arc.
    let links = Arc::new(Mutex::new(Vec::new()));
    let public = public_url.trim_end_matches('/').to_owned();
    let collected = links.clone();
    let base = public.clone();
    let html = ammonia::Builder::default()
        .attribute_filter(move |element, attribute, value| {
            if element == "a"
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
    let pixel =
        format!(r#"<img src="{public}/t/v/{tracking_token}.gif" width="1" height="1" alt="">"#);
    let links = std::mem::take(&mut *links.lock().expect("not poisoned"));
    (format!("{html}{pixel}"), links)
}

pub struct Envelope<'a> {
    pub from_name: &'a str,
    pub from_email: &'a str,
    pub to_name: &'a str,
    pub to_email: &'a str,
    pub subject: &'a str,
    pub html: String,
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
    Message::builder()
        .from(from)
        .to(to)
        .subject(envelope.subject)
        .message_id(Some(envelope.message_id.to_owned()))
        .header(ListUnsubscribe(envelope.unsubscribe.to_owned()))
        .header(ListUnsubscribePost)
        .header(ContentType::TEXT_HTML)
        .body(envelope.html)
        .map_err(|e| format!("The message could not be built: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_rewritten_and_scripts_dropped() {
        let (html, links) = with_tracking(
            r#"<p>Hi <a href="https://example.com/a">a</a> <a href="mailto:x@y.z">m</a></p><script>alert(1)</script>"#,
            "http://cc.test/",
            "tok",
        );
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].1, "https://example.com/a");
        assert!(html.contains(&format!("http://cc.test/t/c/{}", links[0].0)));
        assert!(html.contains("mailto:x@y.z"));
        assert!(
            html.ends_with(r#"<img src="http://cc.test/t/v/tok.gif" width="1" height="1" alt="">"#)
        );
        assert!(!html.contains("script"));
    }

    #[test]
    fn outbox_file_names_are_safe() {
        let path = outbox_file(std::path::Path::new("/o"), "<abc/../x@host>");
        assert_eq!(path, PathBuf::from("/o/abc_.._x@host.eml"));
    }
}
