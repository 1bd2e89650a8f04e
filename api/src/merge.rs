//! Merge fields (`{{first_name}}`, `{{company}}`, ...): filled per recipient when an email is
//! sent, and previewed in the browser with the same code.

/// The values a recipient brings to an email.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MergeValues {
    pub first_name: String,
    pub last_name: String,
    pub company: String,
    pub title: String,
}

pub const FIELDS: [&str; 4] = ["first_name", "last_name", "company", "title"];

impl MergeValues {
    fn get(&self, field: &str) -> Option<&str> {
        match field {
            "first_name" => Some(&self.first_name),
            "last_name" => Some(&self.last_name),
            "company" => Some(&self.company),
            "title" => Some(&self.title),
            _ => None,
        }
    }
}

/// A template rendered for one recipient, or the fields that would be left unfilled (empty for
/// this recipient, or not a field at all), as they appear in the template: `{{company}}`.
pub fn render(
    template: &str,
    values: &MergeValues,
    escape: impl Fn(&str) -> String,
) -> Result<String, Vec<String>> {
    let mut out = String::with_capacity(template.len());
    let mut unfilled = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let field = after[..end].trim();
        match values.get(field).filter(|v| !v.trim().is_empty()) {
            Some(value) => out.push_str(&escape(value)),
            None => {
                let token = format!("{{{{{field}}}}}");
                if !unfilled.contains(&token) {
                    unfilled.push(token);
                }
            }
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    if unfilled.is_empty() {
        Ok(out)
    } else {
        Err(unfilled)
    }
}

/// The merge fields a template names that are not fields at all (`{{frist_name}}`), as they
/// appear, each once: refused when the template is saved, not found out when it is sent.
pub fn unknown_fields(template: &str) -> Vec<String> {
    let mut unknown = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let field = after[..end].trim();
        let token = format!("{{{{{field}}}}}");
        if !FIELDS.contains(&field) && !unknown.contains(&token) {
            unknown.push(token);
        }
        rest = &after[end + 2..];
    }
    unknown
}

/// Why a template naming `unknown` fields is refused, and which fields there are.
pub fn unknown_fields_refusal(unknown: &[String]) -> crate::Text {
    let named = unknown.join(", ");
    crate::Text::new(
        format!(
            "{named}: not a merge field. Use {{{{first_name}}}}, {{{{last_name}}}}, {{{{company}}}} or {{{{title}}}}."
        ),
        format!(
            "{named} は差し込みフィールドではありません。{{{{first_name}}}}、{{{{last_name}}}}、{{{{company}}}}、{{{{title}}}} のいずれかを使ってください。"
        ),
    )
}

/// Escapes text for an HTML body: a merge value is data, never markup.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// An email for one recipient: its subject as text and its HTML body, or every merge field left
/// unfilled in either, each once. What the sender sends, an unsent email's preview and Select and
/// Send's check all read.
pub fn render_email(
    subject: &str,
    body_html: &str,
    values: &MergeValues,
) -> Result<(String, String), Vec<String>> {
    match (
        render(subject, values, str::to_owned),
        render(body_html, values, escape_html),
    ) {
        (Ok(subject), Ok(body)) => Ok((subject, body)),
        (subject, body) => {
            let mut unfilled = subject.err().unwrap_or_default();
            for field in body.err().unwrap_or_default() {
                if !unfilled.contains(&field) {
                    unfilled.push(field);
                }
            }
            Err(unfilled)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_fields_that_do_not_exist_are_unknown() {
        assert_eq!(
            unknown_fields(
                "Hi {{ first_name }} {{frist_name}} at {{company}}, {{frist_name}} {{x}} {{open"
            ),
            vec!["{{frist_name}}".to_owned(), "{{x}}".to_owned()]
        );
        assert!(unknown_fields("{{title}} {{last_name}}").is_empty());
        let refusal = unknown_fields_refusal(&["{{x}}".to_owned()]);
        assert!(refusal
            .en
            .starts_with("{{x}}: not a merge field. Use {{first_name}}"));
        assert!(refusal.ja.contains("{{title}}"));
    }

    fn values() -> MergeValues {
        MergeValues {
            first_name: "Aiko".into(),
            last_name: "Sato".into(),
            company: "<Acme & Co>".into(),
            title: String::new(),
        }
    }

    #[test]
    fn fields_are_filled_and_escaped_for_html() {
        let html = render(
            "Hi {{ first_name }}, at {{company}}",
            &values(),
            escape_html,
        )
        .unwrap();
        assert_eq!(html, "Hi Aiko, at &lt;Acme &amp; Co&gt;");
        let text = render("Hi {{first_name}}", &values(), str::to_owned).unwrap();
        assert_eq!(text, "Hi Aiko");
    }

    #[test]
    fn empty_and_unknown_fields_are_named_once() {
        let error =
            render("{{title}} {{nickname}} {{title}}", &values(), str::to_owned).unwrap_err();
        assert_eq!(
            error,
            vec!["{{title}}".to_owned(), "{{nickname}}".to_owned()]
        );
    }

    #[test]
    fn text_without_fields_or_with_a_lone_brace_is_kept() {
        assert_eq!(
            render("plain {{ text", &values(), str::to_owned).unwrap(),
            "plain {{ text"
        );
        assert_eq!(render("", &values(), str::to_owned).unwrap(), "");
    }
}
