//! The compose form edits plain text; emails are stored as simple HTML. These convert between
//! the two, and between `<input type=datetime-local>` values and UTC.

use chrono::{DateTime, NaiveDateTime, Utc};

/// Paragraphs at blank lines, line breaks within; every character is text, never markup.
pub fn text_to_html(text: &str) -> String {
    text.trim()
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            format!(
                "<p>{}</p>",
                api::merge::escape_html(p.trim()).replace('\n', "<br>")
            )
        })
        .collect()
}

/// The text of simple HTML (as `text_to_html` writes it; other markup is dropped).
pub fn html_to_text(html: &str) -> String {
    let spaced = html
        .replace("</p>", "\n\n")
        .replace("<br>", "\n")
        .replace("<br/>", "\n")
        .replace("<br />", "\n");
    let mut text = String::with_capacity(spaced.len());
    let mut in_tag = false;
    for c in spaced.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
        .trim()
        .to_owned()
}

/// `2026-11-27T09:30` (or with `:ss`) in the rep's time zone, as UTC.
pub fn parse_local_input(value: &str) -> Option<DateTime<Utc>> {
    let naive = NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M"))
        .ok()?;
    crate::zone::from_local(naive)
}

pub fn to_local_input(at: DateTime<Utc>) -> String {
    crate::zone::to_local(at)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;
    wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

    #[test]
    fn text_round_trips_through_html_as_text() {
        let text = "Hi <b>Aiko</b> & team,\nline two\n\nSecond paragraph";
        let html = text_to_html(text);
        assert_eq!(
            html,
            "<p>Hi &lt;b&gt;Aiko&lt;/b&gt; &amp; team,<br>line two</p><p>Second paragraph</p>"
        );
        assert_eq!(html_to_text(&html), text);
    }

    #[test]
    fn local_inputs_round_trip() {
        let at = parse_local_input("2026-12-01T09:30").unwrap();
        assert_eq!(to_local_input(at), "2026-12-01T09:30");
        let with_seconds = parse_local_input("2026-12-01T09:30:15").unwrap();
        assert_eq!((with_seconds - at).num_seconds(), 15);
        assert_eq!(parse_local_input("tomorrow"), None);
    }
}
