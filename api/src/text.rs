//! Sentences for the rep in both languages the product speaks. The server says what went wrong
//! in the caller's language (`Accept-Language`), so refusals are written once, here and at each
//! refusal, in both: a message cannot exist in only one of them.

use std::borrow::Cow;
use std::fmt;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    En,
    Ja,
}

impl Lang {
    /// The language an `Accept-Language` header prefers among ours (English when it names
    /// neither): `ja-JP,ja;q=0.9,en;q=0.8` → Japanese.
    pub fn from_accept_language(header: &str) -> Self {
        let mut best: Option<(f32, Lang)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let quality = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let lang = match tag.split('-').next() {
                Some("ja") => Lang::Ja,
                Some("en") => Lang::En,
                _ => continue,
            };
            if quality > 0.0 && best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, lang));
            }
        }
        best.map(|(_, lang)| lang).unwrap_or_default()
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    pub en: Cow<'static, str>,
    pub ja: Cow<'static, str>,
}

impl Text {
    /// A fixed sentence.
    pub const fn fixed(en: &'static str, ja: &'static str) -> Self {
        Self {
            en: Cow::Borrowed(en),
            ja: Cow::Borrowed(ja),
        }
    }

    /// A sentence with values in it (`format!` each language).
    pub fn new(en: String, ja: String) -> Self {
        Self {
            en: Cow::Owned(en),
            ja: Cow::Owned(ja),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Ja => &self.ja,
        }
    }
}

/// English, for logs and tests.
impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

/// A name, a title or a subject: one line, trimmed, not empty, at most `max` characters, and no
/// control character (a line break in a subject would start a header of its own).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OneLine(String);

/// Why a text is not a `OneLine`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OneLineError {
    Empty,
    TooLong { max: usize },
    LineBreak,
}

impl OneLine {
    pub fn parse(text: &str, max: usize) -> Result<OneLine, OneLineError> {
        let text = text.trim();
        if text.is_empty() {
            Err(OneLineError::Empty)
        } else if text.chars().any(char::is_control) {
            Err(OneLineError::LineBreak)
        } else if text.chars().count() > max {
            Err(OneLineError::TooLong { max })
        } else {
            Ok(OneLine(text.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl OneLineError {
    /// What the rep is told: `missing` asks for the text ("Give the task a title.") when there
    /// is none; the other two are the same for every field.
    pub fn message(self, missing: Text) -> Text {
        match self {
            OneLineError::Empty => missing,
            OneLineError::TooLong { max } => Text::new(
                format!("Keep it to at most {max} characters."),
                format!("{max} 文字以内にしてください。"),
            ),
            OneLineError::LineBreak => Text::fixed(
                "Keep it to one line (no line breaks or tabs).",
                "1 行にしてください（改行やタブは使えません）。",
            ),
        }
    }
}

/// The largest body of an email, template or campaign step, in bytes of its HTML. A long sales
/// email with inline styles is under 50 KB; past this it is a pasted document, and a group email
/// writes it once per recipient (1,000 × 256 KB is already 256 MB).
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// Why a body over `MAX_BODY_BYTES` is refused, with its size.
pub fn body_too_large(bytes: usize) -> Text {
    let kb = bytes.div_ceil(1024);
    let max = MAX_BODY_BYTES / 1024;
    Text::new(
        format!("The body is {kb} KB; at most {max} KB of text and formatting can be sent."),
        format!("本文が {kb} KB あります。送信できるのは {max} KB までです。"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_one_line_text_is_trimmed_bounded_and_one_line() {
        assert_eq!(
            OneLine::parse("  Q4 pilot ", 100).unwrap().as_str(),
            "Q4 pilot"
        );
        assert_eq!(OneLine::parse(" \t ", 100), Err(OneLineError::Empty));
        assert_eq!(
            OneLine::parse("Hi\r\nBcc: x@example.com", 100),
            Err(OneLineError::LineBreak)
        );
        assert_eq!(OneLine::parse("a\tb", 100), Err(OneLineError::LineBreak));
        // Characters, not bytes: 100 kana are 300 bytes and still fit.
        assert!(OneLine::parse(&"あ".repeat(100), 100).is_ok());
        assert_eq!(
            OneLine::parse(&"あ".repeat(101), 100),
            Err(OneLineError::TooLong { max: 100 })
        );
        let asked = Text::fixed("Name it.", "名前を入力してください。");
        assert_eq!(OneLineError::Empty.message(asked.clone()), asked);
        assert!(OneLineError::TooLong { max: 7 }
            .message(asked)
            .ja
            .contains('7'));
    }

    #[test]
    fn accept_language_picks_the_preferred_of_ours() {
        assert_eq!(
            Lang::from_accept_language("ja-JP,ja;q=0.9,en;q=0.8"),
            Lang::Ja
        );
        assert_eq!(
            Lang::from_accept_language("en-US,en;q=0.9,ja;q=0.8"),
            Lang::En
        );
        assert_eq!(
            Lang::from_accept_language("fr-FR,fr;q=0.9,ja;q=0.5"),
            Lang::Ja
        );
        assert_eq!(Lang::from_accept_language("fr-FR"), Lang::En);
        assert_eq!(Lang::from_accept_language(""), Lang::En);
        assert_eq!(Lang::from_accept_language("ja;q=0, en"), Lang::En);
        assert_eq!(Lang::from_accept_language("JA"), Lang::Ja);
    }
}
