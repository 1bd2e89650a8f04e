//! What a message from the mailbox is. A delivery status notification (RFC 3464,
//! `multipart/report; report-type=delivery-status`) that failed for good is a bounce, one that is
//! delayed or failed for now is only noted; an abuse report (RFC 5965, `report-type=
//! feedback-report`) is a complaint; an automatic answer (`Auto-Submitted`, out-of-office
//! markers in English and Japanese) is not a reply; a message that answers another (by
//! `In-Reply-To` / `References`) is a reply. Anything else is left alone. Which of our emails a
//! message concerns is the caller's to find, by the Message-IDs given here.

use mail_parser::{HeaderValue, Message, MessageParser, MessagePart, MimeHeaders};

/// The email a report is about, as the report names it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Original {
    /// The Message-ID of the returned message (without angle brackets), when the report
    /// carries its headers.
    pub message_id: Option<String>,
    /// The token of the return path the report was sent to (`bounce+<token>@…`), when the
    /// sender set one (`--bounce-address`): it names the email even when nothing is quoted.
    pub return_token: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inbound {
    /// Someone answered: `answers` are the Message-IDs it answers, nearest first.
    Reply {
        answers: Vec<String>,
        from: Option<String>,
        /// The start of what they wrote, without the quoted message.
        snippet: String,
    },
    /// An automatic answer (out of office, vacation): recorded as such, not a reply.
    AutoReply { answers: Vec<String> },
    /// Failed for good (`Action: failed`, a 5.x.x status).
    Bounce {
        original: Original,
        status: String,
        diagnostic: String,
    },
    /// Delayed, or failed for now (a 4.x.x status): noted, not a bounce.
    Delayed {
        original: Original,
        status: String,
        diagnostic: String,
    },
    /// An abuse report: the recipient marked it as spam.
    Complaint { original: Original },
    /// Nothing this product acts on (including what cannot be parsed as a message).
    Unrelated,
}

/// The longest snippet kept of a reply, in characters.
const SNIPPET_CHARS: usize = 200;

/// Subjects that mark an automatic answer, lower-cased, as their beginnings.
const AUTOMATIC_SUBJECTS: [&str; 10] = [
    "out of office",
    "out of the office",
    "automatic reply",
    "auto:",
    "autoreply",
    "auto-reply",
    "自動応答",
    "自動返信",
    "不在",
    "【自動",
];

pub fn classify(raw: &[u8]) -> Inbound {
    let Some(message) = MessageParser::default().parse(raw) else {
        return Inbound::Unrelated;
    };
    if let Some(report) = report_type(&message) {
        return match report.as_str() {
            "delivery-status" => delivery_status(&message),
            "feedback-report" => Inbound::Complaint {
                original: original(&message),
            },
            _ => Inbound::Unrelated,
        };
    }
    let answers = answered_ids(&message);
    if is_automatic(&message) {
        return Inbound::AutoReply { answers };
    }
    if answers.is_empty() {
        return Inbound::Unrelated;
    }
    Inbound::Reply {
        answers,
        from: message
            .from()
            .and_then(|from| from.first())
            .and_then(|addr| addr.address())
            .map(str::to_owned),
        snippet: snippet(&message),
    }
}

/// `report-type` of a `multipart/report` message, lower-cased.
fn report_type(message: &Message) -> Option<String> {
    let kind = message.content_type()?;
    if !kind.ctype().eq_ignore_ascii_case("multipart")
        || !kind.subtype()?.eq_ignore_ascii_case("report")
    {
        return None;
    }
    Some(kind.attribute("report-type")?.to_ascii_lowercase())
}

/// The part of this content type (`type/subtype`), anywhere in the message.
fn part_of<'a, 'x>(message: &'a Message<'x>, wanted: &[&str]) -> Option<&'a MessagePart<'x>> {
    message.parts.iter().find(|part| {
        part.content_type().is_some_and(|kind| {
            let name = format!("{}/{}", kind.ctype(), kind.subtype().unwrap_or(""));
            wanted.iter().any(|w| name.eq_ignore_ascii_case(w))
        })
    })
}

/// The returned message's Message-ID: from the whole message a report carries, or from only its
/// headers.
fn original(message: &Message) -> Original {
    let parser = MessageParser::default();
    let from_headers = |part: &MessagePart| {
        parser
            .parse_headers(part.contents())
            .and_then(|headers| headers.message_id().map(str::to_owned))
    };
    let message_id = message
        .parts
        .iter()
        .skip(1)
        .find_map(|part| {
            part.message()
                .and_then(|m| m.message_id().map(str::to_owned))
        })
        .or_else(|| {
            part_of(message, &["text/rfc822-headers", "message/rfc822-headers"])
                .and_then(from_headers)
        });
    Original {
        message_id,
        return_token: return_token(message),
    }
}

/// The `+<token>` of the address a report came to, as the receiving server recorded it
/// (`Delivered-To`, `X-Original-To`, `Envelope-To`) or as it is addressed (`To`). A token is
/// 32 hexadecimal digits, as the sender makes them.
fn return_token(message: &Message) -> Option<String> {
    let headers = ["Delivered-To", "X-Original-To", "Envelope-To"];
    let recorded = headers
        .iter()
        .filter_map(|name| message.header_raw(*name))
        .map(|value| value.trim().trim_matches(['<', '>']).to_owned());
    let addressed = message
        .to()
        .into_iter()
        .flat_map(|to| to.iter())
        .filter_map(|addr| addr.address().map(str::to_owned));
    recorded.chain(addressed).find_map(|address| {
        let local = address.split('@').next()?;
        let (_, token) = local.rsplit_once('+')?;
        let token = token.to_ascii_lowercase();
        (token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit())).then_some(token)
    })
}

/// A delivery status notification: each recipient's fields group (RFC 3464 §2.3), read by the
/// header parser one group at a time.
fn delivery_status(message: &Message) -> Inbound {
    let Some(part) = part_of(
        message,
        &["message/delivery-status", "message/global-delivery-status"],
    ) else {
        return Inbound::Unrelated;
    };
    let text = String::from_utf8_lossy(part.contents()).replace("\r\n", "\n");
    let parser = MessageParser::default();
    let mut worst: Option<(bool, String, String)> = None;
    // The first group is about the whole message; the others one recipient each.
    for group in text.split("\n\n").skip(1) {
        let group = group.trim_start_matches('\n');
        if group.trim().is_empty() {
            continue;
        }
        let Some(fields) = parser.parse_headers(group.as_bytes()) else {
            continue;
        };
        let field = |name: &str| {
            fields
                .header_raw(name)
                .map(|value| value.split_whitespace().collect::<Vec<_>>().join(" "))
                .unwrap_or_default()
        };
        let action = field("Action").to_ascii_lowercase();
        let status = field("Status");
        let diagnostic = field("Diagnostic-Code");
        let diagnostic = diagnostic
            .split_once(';')
            .map_or(diagnostic.as_str(), |(_, text)| text)
            .trim()
            .to_owned();
        let permanent = action == "failed" && status.starts_with('5');
        let noted = permanent || action == "delayed" || action == "failed";
        if noted && worst.as_ref().is_none_or(|(was, ..)| permanent && !was) {
            worst = Some((permanent, status, diagnostic));
        }
    }
    match worst {
        Some((true, status, diagnostic)) => Inbound::Bounce {
            original: original(message),
            status,
            diagnostic,
        },
        Some((false, status, diagnostic)) => Inbound::Delayed {
            original: original(message),
            status,
            diagnostic,
        },
        // Delivered, relayed or expanded: nothing went wrong.
        None => Inbound::Unrelated,
    }
}

/// The Message-IDs a message answers: `In-Reply-To`, then `References` from the newest.
fn answered_ids(message: &Message) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    let mut add = |value: &HeaderValue| match value {
        HeaderValue::Text(id) => ids.push(id.to_string()),
        HeaderValue::TextList(list) => ids.extend(list.iter().rev().map(|id| id.to_string())),
        _ => {}
    };
    add(message.in_reply_to());
    add(message.references());
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(id.clone()));
    ids
}

/// An automatic answer: `Auto-Submitted` other than `no` (RFC 3834), the markers common
/// autoresponders add, or a subject that says so.
fn is_automatic(message: &Message) -> bool {
    let header = |name: &str| {
        message
            .header_raw(name)
            .map(|value| value.trim().to_ascii_lowercase())
    };
    if header("Auto-Submitted").is_some_and(|value| value != "no") {
        return true;
    }
    if header("X-Autoreply").is_some()
        || header("X-Autorespond").is_some()
        || header("X-Auto-Response-Suppress").is_some_and(|value| value.contains("all"))
        || header("Precedence").is_some_and(|value| value == "auto_reply")
    {
        return true;
    }
    let subject = message.subject().unwrap_or("").trim().to_lowercase();
    AUTOMATIC_SUBJECTS
        .iter()
        .any(|marker| subject.starts_with(marker) || subject.contains(&format!("[{marker}")))
        || subject.contains("自動応答")
        || subject.contains("不在のお知らせ")
}

/// The start of what the person wrote: the text body, without the quoted message beneath it.
fn snippet(message: &Message) -> String {
    let text = message
        .body_text(0)
        .map(|text| text.into_owned())
        .unwrap_or_default();
    let mut kept = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        // Where the quoted message begins, in the forms mail programs write.
        if trimmed.starts_with('>')
            || (trimmed.starts_with("On ") && trimmed.ends_with("wrote:"))
            || trimmed.ends_with("のメッセージ:")
            || trimmed.ends_with("書きました:")
            || trimmed.starts_with("-----Original Message-----")
            || trimmed.starts_with("-----元のメッセージ-----")
        {
            break;
        }
        if !trimmed.is_empty() {
            kept.push(trimmed);
        }
    }
    // Lines joined as one paragraph: with a space in English, with none after Japanese.
    let mut joined = String::new();
    for line in kept {
        if joined.chars().last().is_some_and(|c| c.is_ascii()) {
            joined.push(' ');
        }
        joined.push_str(line);
    }
    joined.chars().take(SNIPPET_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/src/mailbox/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    const OURS: &str = "cc-1-abc@example.com";

    #[test]
    fn a_reply_names_the_email_it_answers_and_keeps_only_what_was_written() {
        let Inbound::Reply {
            answers,
            from,
            snippet,
        } = classify(&fixture("reply.eml"))
        else {
            panic!("a reply");
        };
        assert_eq!(answers, [OURS]);
        assert_eq!(from.as_deref(), Some("pat@prospect.example"));
        assert_eq!(snippet, "Thanks, Aiko. Tuesday at 10 works for us. Pat");
    }

    #[test]
    fn an_out_of_office_is_an_automatic_reply_in_english_and_in_japanese() {
        for name in ["out-of-office.eml", "out-of-office-ja.eml"] {
            assert_eq!(
                classify(&fixture(name)),
                Inbound::AutoReply {
                    answers: vec![OURS.to_owned()]
                },
                "{name}"
            );
        }
    }

    #[test]
    fn a_hard_bounce_names_the_returned_email_its_status_and_diagnostic() {
        assert_eq!(
            classify(&fixture("bounce-hard.eml")),
            Inbound::Bounce {
                original: Original {
                    message_id: Some(OURS.to_owned()),
                    return_token: None,
                },
                status: "5.1.1".into(),
                diagnostic:
                    "550 5.1.1 <pat@prospect.example>: Recipient address rejected: User unknown"
                        .into(),
            }
        );
    }

    #[test]
    fn a_bounce_that_quotes_nothing_is_named_by_its_return_path() {
        let Inbound::Bounce {
            original, status, ..
        } = classify(&fixture("bounce-verp.eml"))
        else {
            panic!("a bounce");
        };
        assert_eq!(original.message_id, None);
        assert_eq!(
            original.return_token.as_deref(),
            Some("0123456789abcdef0123456789abcdef")
        );
        assert_eq!(status, "5.7.1");
    }

    #[test]
    fn a_delayed_delivery_is_noted_not_bounced() {
        let Inbound::Delayed {
            original, status, ..
        } = classify(&fixture("bounce-soft.eml"))
        else {
            panic!("delayed");
        };
        assert_eq!(original.message_id.as_deref(), Some(OURS));
        assert_eq!(status, "4.2.2");
    }

    #[test]
    fn an_abuse_report_is_a_complaint_about_the_returned_email() {
        assert_eq!(
            classify(&fixture("arf.eml")),
            Inbound::Complaint {
                original: Original {
                    message_id: Some(OURS.to_owned()),
                    return_token: None,
                }
            }
        );
    }

    #[test]
    fn mail_that_answers_nothing_or_cannot_be_parsed_is_left_alone() {
        assert_eq!(classify(&fixture("unrelated.eml")), Inbound::Unrelated);
        assert_eq!(classify(b""), Inbound::Unrelated);
        assert_eq!(classify(&fixture("malformed.eml")), Inbound::Unrelated);
    }

    #[test]
    fn replies_in_shift_jis_and_iso_2022_jp_are_read_as_japanese() {
        for name in ["reply-shift-jis.eml", "reply-iso-2022-jp.eml"] {
            let Inbound::Reply {
                answers, snippet, ..
            } = classify(&fixture(name))
            else {
                panic!("{name}: a reply");
            };
            assert_eq!(answers, [OURS], "{name}");
            assert_eq!(
                snippet, "ご連絡ありがとうございます。火曜日で大丈夫です。",
                "{name}"
            );
        }
    }
}
