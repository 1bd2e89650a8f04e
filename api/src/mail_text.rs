//! The plain-text part of an email, made from its HTML: what a text-only client shows, and what
//! mail filters expect beside the HTML (an HTML-only message scores as spam). Paragraphs and line
//! breaks are kept, a link keeps its URL in brackets after its text, images give their alt text,
//! entities are decoded.

/// The text of `html` (a sanitized fragment or a whole document).
pub fn plain_text(html: &str) -> String {
    let mut out = String::new();
    // The link being written: its URL and where its text starts in `out`.
    let mut link: Option<(String, usize)> = None;
    let mut skipping = false;
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        push_text(&mut out, &rest[..start], skipping);
        let after = &rest[start + 1..];
        let Some(end) = tag_end(after) else {
            // A `<` that opens no tag is text.
            push_text(&mut out, "<", skipping);
            rest = after;
            continue;
        };
        let tag = &after[..end];
        rest = &after[end + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match (name.as_str(), closing) {
            ("style" | "script" | "head" | "title", false) => skipping = true,
            ("style" | "script" | "head" | "title", true) => skipping = false,
            ("br", _) => out.push('\n'),
            (
                "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "ul" | "ol" | "table"
                | "blockquote",
                _,
            ) => paragraph(&mut out),
            ("li", false) => {
                line(&mut out);
                out.push_str("- ");
            }
            ("tr", true) => line(&mut out),
            ("td" | "th", true) => out.push(' '),
            ("a", false) => link = attribute(tag, "href").map(|href| (href, out.len())),
            ("a", true) => {
                if let Some((href, from)) = link.take() {
                    let text = out[from..].trim().to_owned();
                    let shown = href.trim_start_matches("mailto:");
                    if text.is_empty() {
                        out.push_str(shown);
                    } else if text != shown && text != href {
                        out.push_str(&format!(" ({shown})"));
                    }
                }
            }
            ("img", _) => {
                if let Some(alt) = attribute(tag, "alt").filter(|alt| !alt.trim().is_empty()) {
                    push_text(&mut out, &alt, false);
                }
            }
            _ => {}
        }
    }
    push_text(&mut out, rest, skipping);
    tidy(&out)
}

/// Where the tag that starts here ends (its `>`), quoted attribute values skipped.
fn tag_end(text: &str) -> Option<usize> {
    let first = text.chars().next()?;
    if !(first.is_ascii_alphabetic() || first == '/' || first == '!') {
        return None;
    }
    let mut quote = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// An attribute's value, entities decoded.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find(name) {
        let at = from + found;
        from = at + name.len();
        let before = lower[..at].chars().last();
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let rest = tag[at + name.len()..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        let value = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
            _ => rest
                .split(|c: char| c.is_whitespace() || c == '>')
                .next()
                .unwrap_or(""),
        };
        return Some(decode_entities(value));
    }
    None
}

/// Text between tags: whitespace collapsed as a browser does, entities decoded.
fn push_text(out: &mut String, text: &str, skipping: bool) {
    if skipping {
        return;
    }
    let decoded = decode_entities(text);
    for c in decoded.chars() {
        if c.is_whitespace() && c != '\u{a0}' {
            if !out.is_empty() && !out.ends_with([' ', '\n']) {
                out.push(' ');
            }
        } else if c == '\u{a0}' {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
}

fn line(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

fn paragraph(out: &mut String) {
    line(out);
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push('\n');
    }
}

/// Lines trimmed, at most one blank line in a row, none at either end.
fn tidy(text: &str) -> String {
    let mut lines: Vec<&str> = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() && lines.last().is_none_or(|last| last.is_empty()) {
            continue;
        }
        lines.push(line);
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let end = after.find(';').filter(|&end| end <= 10);
        let decoded = end.and_then(|end| {
            let name = &after[..end];
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" | "#39" => '\'',
                "nbsp" => '\u{a0}',
                _ => {
                    let number = name.strip_prefix('#')?;
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(code)?
                }
            };
            Some((c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Kana, kanji or half-width katakana.
pub fn is_japanese(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30ff | 0x4e00..=0x9fff | 0xff66..=0xff9f)
}

/// Whether the text is mostly Japanese (kana or kanji), for the document's `lang`.
pub fn looks_japanese(text: &str) -> bool {
    let japanese = text.chars().filter(|c| is_japanese(*c)).count();
    japanese * 5 >= text.chars().filter(|c| c.is_alphanumeric()).count().max(1)
}

/// Whether an email's HTML loads anything from elsewhere when shown: an image, a background, a
/// style sheet or a font by URL. Such loads tell the sender the email was opened, so the reader
/// holds them until the rep asks.
pub fn has_remote_content(html: &str) -> bool {
    // Lowercase, with the spaces around each `=` dropped: `SRC = 'x'` reads as `src='x'`.
    let mut lower = String::with_capacity(html.len());
    for c in html.chars() {
        if c == '=' {
            lower.truncate(lower.trim_end().len());
        }
        if c.is_ascii_whitespace() && lower.ends_with('=') {
            continue;
        }
        lower.push(c.to_ascii_lowercase());
    }
    let remote = |value: &str| {
        let value = value.trim_start_matches(['"', '\'', ' ', '\t', '\n']);
        // Browsers read `\\host/x` and `/\host/x` as `//host/x`.
        let slashes = value.starts_with(['/', '\\']) && value[1..].starts_with(['/', '\\']);
        value.starts_with("http:") || value.starts_with("https:") || slashes
    };
    let after = |needle: &str| {
        lower
            .match_indices(needle)
            .any(|(at, _)| remote(&lower[at + needle.len()..]))
    };
    ["src=", "srcset=", "background=", "url(", "href=", "@import"]
        .iter()
        .any(|needle| match *needle {
            // A link is only followed when clicked; a style sheet's is loaded.
            "href=" => lower.contains("<link") && after(needle),
            _ => after(needle),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_links_and_entities_become_readable_text() {
        let html = r#"<p>Hi Taro,</p><p>See <a href="https://example.com/case">our case study</a> &amp; the <a href="https://example.com/p">https://example.com/p</a>.<br>Thanks</p><img src="x" alt="">"#;
        assert_eq!(
            plain_text(html),
            "Hi Taro,\n\nSee our case study (https://example.com/case) & the https://example.com/p.\nThanks"
        );
    }

    #[test]
    fn lists_and_whitespace_read_as_a_person_would() {
        let html = "<ul>\n  <li>One</li>\n  <li>Two  items</li></ul><p>山田様&nbsp;こんにちは</p>";
        assert_eq!(plain_text(html), "- One\n- Two items\n\n山田様 こんにちは");
    }

    #[test]
    fn a_whole_document_gives_only_its_body_and_a_stray_lt_is_text() {
        let html = "<!doctype html><html><head><title>T</title><style>p{}</style></head><body><p>1 < 2</p></body></html>";
        assert_eq!(plain_text(html), "1 < 2");
    }

    #[test]
    fn japanese_is_told_from_english() {
        assert!(looks_japanese("<p>山田様、お世話になっております。</p>"));
        assert!(!looks_japanese(
            "<p>Hi Taro, quick question about Acme.</p>"
        ));
    }

    #[test]
    fn remote_content_is_found_wherever_it_loads_from() {
        for html in [
            r#"<p>Hi<img src="https://t.example/p.gif"></p>"#,
            r#"<IMG SRC = 'http://x/y.png'>"#,
            r#"<img src="\\images.example/x.png">"#,
            r#"<img src="/\images.example/x.png">"#,
            r#"<table background="https://t.example/v.gif"><tr><td>x</td></tr></table>"#,
            r#"<div style="background:url( 'https://x/y.png')">"#,
            r#"<img srcset="//cdn.example/a.png 2x">"#,
            r#"<link rel=stylesheet href="https://x/s.css">"#,
        ] {
            assert!(has_remote_content(html), "{html}");
        }
        for html in [
            r#"<p>See <a href="https://example.com">our site</a>, http://example.com</p>"#,
            r#"<img src="data:image/png;base64,AAAA" alt="">"#,
            r#"<img src="cid:logo">"#,
            "",
        ] {
            assert!(!has_remote_content(html), "{html}");
        }
    }
}
