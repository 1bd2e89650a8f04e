//! What mailbox providers' filters hold against an email's text, said to the rep before it goes
//! (a warning, never a refusal): a subject in capitals, a body that is only a link or only an
//! image, many links, a bulk send with nothing personal in it, and a link inside a run of
//! Japanese (filters read the tags splitting the words as obfuscation).

use crate::mail_text::{is_japanese, plain_text};
use crate::text::Text;

/// More links than this in one email reads as a newsletter or worse.
pub const MAX_LINKS: usize = 3;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Warning {
    AllCapsSubject,
    OnlyALink,
    OnlyAnImage,
    ManyLinks(usize),
    NothingPersonal,
    LinkInsideJapanese,
}

impl Warning {
    pub fn text(&self) -> Text {
        match self {
            Warning::AllCapsSubject => Text::fixed(
                "The subject is in capitals: spam filters score that. Write it as a sentence.",
                "件名が大文字だけです。迷惑メールと判定されやすくなります。",
            ),
            Warning::OnlyALink => Text::fixed(
                "The message is only a link: filters treat that as spam. Say in a sentence or two why you are writing.",
                "本文がリンクだけです。迷惑メールと判定されやすいので、用件を一言添えてください。",
            ),
            Warning::OnlyAnImage => Text::fixed(
                "The message is only an image: filters treat that as spam, and many clients hide images. Add some text.",
                "本文が画像だけです。迷惑メールと判定されやすく、画像を表示しない受信者もいます。文章を添えてください。",
            ),
            Warning::ManyLinks(n) => Text::new(
                format!("{n} links: more than {MAX_LINKS} makes a message look like a newsletter to filters. Keep the one that matters."),
                format!("リンクが {n} 個あります。{MAX_LINKS} 個を超えると一斉配信のように判定されます。大事なものに絞ってください。"),
            ),
            Warning::NothingPersonal => Text::fixed(
                "Everyone gets the same text: add {{first_name}} or {{company}} so that it reads as written to them (filters notice identical bulk mail).",
                "全員に同じ文面が届きます。{{first_name}} や {{company}} を入れて一人ひとりに宛てた文面にしてください（同一文面の一斉送信は判定されやすくなります）。",
            ),
            Warning::LinkInsideJapanese => Text::fixed(
                "A link sits inside a Japanese sentence: filters read that as hidden text. Put the link on a line of its own.",
                "日本語の文の途中にリンクがあります。迷惑メールの手口と判定されやすいので、リンクは独立した行に置いてください。",
            ),
        }
    }
}

/// The warnings for an email's subject and HTML body; `bulk` when one text goes to many.
pub fn warnings(subject: &str, body_html: &str, bulk: bool) -> Vec<Warning> {
    let mut found = Vec::new();
    let letters: Vec<char> = subject.chars().filter(|c| c.is_alphabetic()).collect();
    let ascii_letters = letters.iter().filter(|c| c.is_ascii_alphabetic()).count();
    if ascii_letters >= 6 && letters.iter().all(|c| !c.is_lowercase()) {
        found.push(Warning::AllCapsSubject);
    }
    let lower = body_html.to_ascii_lowercase();
    let images = lower.matches("<img").count();
    let text = plain_text(body_html);
    // Links written as links, and addresses typed as text (compose writes text): each leaves
    // its address in the text once.
    let links = text.matches("https://").count() + text.matches("http://").count();
    // The words a reader sees, without the links' own addresses.
    let words: String = strip_bracketed_urls(&text)
        .split_whitespace()
        .filter(|word| !word.starts_with("http://") && !word.starts_with("https://"))
        .collect::<Vec<_>>()
        .join(" ");
    let few_words = words.chars().filter(|c| c.is_alphanumeric()).count() < 20;
    if images > 0 && few_words {
        found.push(Warning::OnlyAnImage);
    } else if links > 0 && few_words {
        found.push(Warning::OnlyALink);
    }
    if links > MAX_LINKS {
        found.push(Warning::ManyLinks(links));
    }
    if bulk && !(subject.contains("{{") || body_html.contains("{{")) {
        found.push(Warning::NothingPersonal);
    }
    if link_inside_japanese(body_html) {
        found.push(Warning::LinkInsideJapanese);
    }
    found
}

fn strip_bracketed_urls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(" (http") {
        out.push_str(&rest[..at]);
        rest = match rest[at..].find(')') {
            Some(end) => &rest[at + end + 1..],
            None => "",
        };
    }
    out.push_str(rest);
    out
}

/// A link whose text or whose neighbours on either side are Japanese characters written
/// against the tag.
fn link_inside_japanese(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find("<a ") {
        let start = from + found;
        let Some(end) = lower[start..].find("</a>").map(|e| start + e + 4) else {
            break;
        };
        from = end;
        let before = html[..start].chars().next_back();
        let after = html[end..].chars().next();
        if before.is_some_and(is_japanese) || after.is_some_and(is_japanese) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_personal_email_gets_no_warning() {
        let body = "<p>Hi {{first_name}},</p><p>Would a short call next week help {{company}}? Here is <a href=\"https://example.com/case\">a case study</a>.</p>";
        assert_eq!(warnings("Quick question", body, true), vec![]);
    }

    #[test]
    fn capitals_lone_links_images_and_many_links_are_named() {
        assert_eq!(
            warnings(
                "FREE OFFER TODAY",
                "<p>Hello there, a long enough sentence to read.</p>",
                false
            ),
            vec![Warning::AllCapsSubject]
        );
        assert_eq!(
            warnings(
                "Hi",
                "<p><a href=\"https://x.example\">https://x.example</a></p>",
                false
            ),
            vec![Warning::OnlyALink]
        );
        assert_eq!(
            warnings(
                "Hi",
                "<p><img src=\"https://x.example/a.png\" alt=\"\"></p>",
                false
            ),
            vec![Warning::OnlyAnImage]
        );
        let many = "<p>Read these, each is short and worth it today:</p>".to_owned()
            + &"<p><a href=\"https://x.example\">one</a></p>".repeat(4);
        assert_eq!(warnings("Links", &many, false), vec![Warning::ManyLinks(4)]);
    }

    #[test]
    fn a_bulk_send_without_merge_fields_and_a_link_inside_japanese_are_named() {
        let same = "<p>We have released a new version with faster reports for everyone.</p>";
        assert_eq!(warnings("News", same, true), vec![Warning::NothingPersonal]);
        assert!(warnings("News", same, false).is_empty());
        let inline = "<p>{{last_name}}様、事例を<a href=\"https://x.example\">こちら</a>にまとめました。ご確認ください。</p>";
        assert_eq!(
            warnings("ご案内", inline, false),
            vec![Warning::LinkInsideJapanese]
        );
        let own_line = "<p>{{last_name}}様、事例をまとめました。ご確認ください。<br><a href=\"https://x.example\">https://x.example</a></p>";
        assert!(warnings("ご案内", own_line, false).is_empty());
    }
}
