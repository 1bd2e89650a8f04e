//! A rep's people: the fields a person has, how a field's text is parsed (the form, the API and
//! a CSV row all go through `PersonFields::parse`), and how a CSV's header row names them in
//! English or Japanese. The SPA's import preview and the server's import map columns with the
//! same table, so what the rep sees mapped is what is imported.

use crate::dto::{CampaignRef, EmailSummary, Person, Timestamp};
use crate::ids::{EmailId, PersonId, TaskId};
use crate::text::Text;
use crate::wire::wire_enum;
use serde::{Deserialize, Serialize};

wire_enum!(
    /// The fields of a person that a rep (or a CSV) sets.
    pub enum PersonField {
        FirstName = "first_name",
        LastName = "last_name",
        Email = "email",
        Company = "company",
        Title = "title",
        Phone = "phone",
        LinkedinUrl = "linkedin_url",
    }
);

impl PersonField {
    /// The field's label, in both languages.
    pub fn label(self) -> Text {
        match self {
            PersonField::FirstName => Text::fixed("First name", "名"),
            PersonField::LastName => Text::fixed("Last name", "姓"),
            PersonField::Email => Text::fixed("Email", "メールアドレス"),
            PersonField::Company => Text::fixed("Company", "会社名"),
            PersonField::Title => Text::fixed("Title", "役職"),
            PersonField::Phone => Text::fixed("Phone", "電話番号"),
            PersonField::LinkedinUrl => Text::fixed("LinkedIn URL", "LinkedIn URL"),
        }
    }

    /// The longest text the field keeps, in characters.
    fn max_chars(self) -> usize {
        match self {
            PersonField::Email => 254,
            PersonField::Phone => 40,
            PersonField::LinkedinUrl => 300,
            _ => 200,
        }
    }

    /// The field a CSV header names, in English or Japanese, as exports from spreadsheets,
    /// CRMs and Japanese business-card tools write them: case, spaces, `_` and `-` do not
    /// matter (`First Name`, `first_name`, `FirstName`, `名`, `メールアドレス`, `E-mail`).
    pub fn from_header(header: &str) -> Option<Self> {
        let key: String = header
            .trim()
            .trim_start_matches('\u{feff}')
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{3000}' | '_' | '-' | '・'))
            .flat_map(char::to_lowercase)
            .collect();
        let field = match key.as_str() {
            "firstname" | "givenname" | "first" | "名" | "名前(名)" | "下の名前" | "めい" => {
                PersonField::FirstName
            }
            "lastname" | "surname" | "familyname" | "last" | "姓" | "名字" | "苗字"
            | "名前(姓)" | "せい" => PersonField::LastName,
            "email"
            | "emailaddress"
            | "mail"
            | "mailaddress"
            | "メールアドレス"
            | "メール"
            | "eメール"
            | "eメールアドレス"
            | "電子メール"
            | "mailアドレス" => PersonField::Email,
            "company" | "companyname" | "organization" | "organisation" | "account"
            | "accountname" | "会社名" | "会社" | "企業名" | "所属" | "組織" => {
                PersonField::Company
            }
            "title" | "jobtitle" | "position" | "role" | "役職" | "肩書" | "肩書き" | "役職名" => {
                PersonField::Title
            }
            "phone" | "phonenumber" | "telephone" | "tel" | "mobile" | "電話番号" | "電話"
            | "携帯電話" | "携帯番号" => PersonField::Phone,
            "linkedin" | "linkedinurl" | "linkedinprofile" | "linkedinプロフィール" => {
                PersonField::LinkedinUrl
            }
            _ => return None,
        };
        Some(field)
    }
}

/// Which field each column of a CSV fills (`None`: the column is left out).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnMapping(pub Vec<Option<PersonField>>);

impl ColumnMapping {
    /// The mapping a header row suggests: each column by its name, the first column naming a
    /// field winning over later ones.
    pub fn from_headers<S: AsRef<str>>(headers: &[S]) -> Self {
        let mut seen = Vec::new();
        Self(
            headers
                .iter()
                .map(|header| {
                    let field = PersonField::from_header(header.as_ref())?;
                    if seen.contains(&field) {
                        return None;
                    }
                    seen.push(field);
                    Some(field)
                })
                .collect(),
        )
    }

    /// The import's `mapping` parameter: `email:2,first_name:0` (field, column from 0). Every
    /// column not named is left out.
    pub fn to_param(&self) -> String {
        self.0
            .iter()
            .enumerate()
            .filter_map(|(column, field)| field.map(|f| format!("{}:{column}", f.as_str())))
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn parse_param(param: &str) -> Result<Self, Text> {
        let mut columns: Vec<Option<PersonField>> = Vec::new();
        for pair in param.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let bad = || {
                Text::new(
                    format!("\"{pair}\" is not field:column, as in email:2."),
                    format!("「{pair}」は email:2 のような「項目:列番号」ではありません。"),
                )
            };
            let (name, column) = pair.split_once(':').ok_or_else(bad)?;
            let field = name.trim().parse::<PersonField>().map_err(|_| bad())?;
            let column: usize = column.trim().parse().map_err(|_| bad())?;
            if column >= 1000 {
                return Err(bad());
            }
            if columns.contains(&Some(field)) {
                return Err(Text::new(
                    format!("{} is mapped twice.", field.as_str()),
                    format!("{} が二度指定されています。", field.as_str()),
                ));
            }
            if columns.len() <= column {
                columns.resize(column + 1, None);
            }
            columns[column] = Some(field);
        }
        Ok(Self(columns))
    }

    pub fn column_of(&self, field: PersonField) -> Option<usize> {
        self.0.iter().position(|f| *f == Some(field))
    }

    pub fn field_of(&self, column: usize) -> Option<PersonField> {
        self.0.get(column).copied().flatten()
    }
}

/// A person's fields as a rep (or a CSV row) gives them: text, not yet checked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonFields {
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub company: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub linkedin_url: String,
}

/// Why a field's value was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: PersonField,
    pub message: Text,
}

impl PersonFields {
    pub fn get(&self, field: PersonField) -> &str {
        match field {
            PersonField::FirstName => &self.first_name,
            PersonField::LastName => &self.last_name,
            PersonField::Email => &self.email,
            PersonField::Company => &self.company,
            PersonField::Title => &self.title,
            PersonField::Phone => &self.phone,
            PersonField::LinkedinUrl => &self.linkedin_url,
        }
    }

    pub fn set(&mut self, field: PersonField, value: String) {
        *match field {
            PersonField::FirstName => &mut self.first_name,
            PersonField::LastName => &mut self.last_name,
            PersonField::Email => &mut self.email,
            PersonField::Company => &mut self.company,
            PersonField::Title => &mut self.title,
            PersonField::Phone => &mut self.phone,
            PersonField::LinkedinUrl => &mut self.linkedin_url,
        } = value;
    }

    /// The fields trimmed and checked: every field one line and not too long, the email an
    /// address, the LinkedIn URL a web address.
    pub fn parse(mut self) -> Result<ValidPerson, FieldError> {
        for field in PersonField::ALL {
            let value = self.get(field).trim().to_owned();
            if value.chars().any(char::is_control) {
                return Err(FieldError {
                    field,
                    message: Text::new(
                        format!("{} must be one line of text.", field.label().en),
                        format!("{}は一行で入力してください。", field.label().ja),
                    ),
                });
            }
            let max = field.max_chars();
            if value.chars().count() > max {
                return Err(FieldError {
                    field,
                    message: Text::new(
                        format!("{} is longer than {max} characters.", field.label().en),
                        format!("{}は {max} 文字以内にしてください。", field.label().ja),
                    ),
                });
            }
            self.set(field, value);
        }
        self.email = parse_email(&self.email).map_err(|message| FieldError {
            field: PersonField::Email,
            message,
        })?;
        let url = self.linkedin_url.to_ascii_lowercase();
        if !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://")) {
            return Err(FieldError {
                field: PersonField::LinkedinUrl,
                message: Text::fixed(
                    "The LinkedIn URL must start with https://.",
                    "LinkedIn URL は https:// で始めてください。",
                ),
            });
        }
        Ok(ValidPerson(self))
    }
}

/// A person's fields, trimmed and checked (`PersonFields::parse`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidPerson(PersonFields);

impl ValidPerson {
    pub fn fields(&self) -> &PersonFields {
        &self.0
    }

    /// What makes two people's emails the same for one rep: case does not matter.
    pub fn email_key(&self) -> String {
        email_key(&self.0.email)
    }
}

pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// An email address as a person can be reached at: `local@domain.tld`, no spaces, one `@`. The
/// domain is kept as written; the check is the one senders need (RFC 5321 allows more, which no
/// prospect list holds).
fn parse_email(text: &str) -> Result<String, Text> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Text::fixed(
            "An email address is required.",
            "メールアドレスは必須です。",
        ));
    }
    let invalid = || {
        Text::new(
            format!("\"{text}\" is not an email address."),
            format!("「{text}」はメールアドレスではありません。"),
        )
    };
    let (local, domain) = text.split_once('@').ok_or_else(invalid)?;
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.chars().any(|c| {
            c.is_whitespace() || matches!(c, '@' | '<' | '>' | ',' | ';' | '"' | '(' | ')')
        });
    if domain_ok && local_ok {
        Ok(text.to_owned())
    } else {
        Err(invalid())
    }
}

/// `PATCH /people/{id}`: the fields to change; others stay.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linkedin_url: Option<String>,
    /// The rep's own do-not-contact mark: set, or taken back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub do_not_contact: Option<bool>,
}

impl PersonPatch {
    /// The person's fields with this patch applied.
    pub fn apply(&self, mut fields: PersonFields) -> PersonFields {
        let changes = [
            (PersonField::FirstName, &self.first_name),
            (PersonField::LastName, &self.last_name),
            (PersonField::Email, &self.email),
            (PersonField::Company, &self.company),
            (PersonField::Title, &self.title),
            (PersonField::Phone, &self.phone),
            (PersonField::LinkedinUrl, &self.linkedin_url),
        ];
        for (field, value) in changes {
            if let Some(value) = value {
                fields.set(field, value.clone());
            }
        }
        fields
    }
}

impl From<&Person> for PersonFields {
    fn from(person: &Person) -> Self {
        PersonFields {
            first_name: person.first_name.clone(),
            last_name: person.last_name.clone(),
            email: person.email.clone(),
            company: person.company.clone(),
            title: person.title.clone(),
            phone: person.phone.clone(),
            linkedin_url: person.linkedin_url.clone(),
        }
    }
}

wire_enum!(
    /// How the people list is ordered.
    #[derive(Default)]
    pub enum PeopleSort {
        #[default]
        Name = "name",
        Company = "company",
        Email = "email",
        /// Newest first.
        Added = "added",
    }
);

/// `GET /people`: one page of the rep's people, with how many match in all.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeoplePage {
    pub items: Vec<Person>,
    pub total: u64,
    /// The `offset` of the next page, when there is one.
    pub next_offset: Option<u64>,
}

wire_enum!(
    /// What an existing person (same email) gets from an import row.
    #[derive(Default)]
    pub enum OnExisting {
        #[default]
        Skip = "skip",
        Update = "update",
    }
);

/// `POST /people/import`'s answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub imported: u64,
    pub updated: u64,
    pub skipped: u64,
    /// The rows left out, the first 10,000 of them.
    pub errors: Vec<ImportError>,
    /// How many rows were left out in all.
    #[serde(default)]
    pub errors_total: u64,
}

/// A row left out, by its line in the file (the header is row 1, as a spreadsheet numbers it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportError {
    pub row: u64,
    pub field: Option<String>,
    pub message: String,
}

/// `GET /people/{id}`: the person and everything the rep has done with them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonDetail {
    pub person: Person,
    pub opted_out_at: Option<Timestamp>,
    pub do_not_contact_at: Option<Timestamp>,
    /// Every email to them, newest first.
    pub emails: Vec<EmailSummary>,
    pub campaigns: Vec<CampaignRef>,
    /// Views, clicks, replies, bounces and tasks, newest first.
    pub timeline: Vec<TimelineEntry>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: Timestamp,
    pub kind: TimelineKind,
    /// The email's subject or the task's title.
    pub what: String,
    pub email_id: Option<EmailId>,
    pub task_id: Option<TaskId>,
    /// The link clicked.
    pub url: Option<String>,
}

wire_enum!(
    pub enum TimelineKind {
        Sent = "sent",
        View = "view",
        Click = "click",
        Reply = "reply",
        Bounce = "bounce",
        Spam = "spam",
        TaskDue = "task_due",
        TaskDone = "task_done",
        OptedOut = "opted_out",
    }
);

/// `POST /people/bulk`: delete or restore several people at once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeopleBulkRequest {
    pub action: PeopleBulkAction,
    pub ids: Vec<PersonId>,
}

wire_enum!(
    pub enum PeopleBulkAction {
        Delete = "delete",
        Restore = "restore",
    }
);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeopleBulkResponse {
    pub changed: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_and_english_headers_name_the_same_fields() {
        let mapping = ColumnMapping::from_headers(&[
            "姓",
            "名",
            "メールアドレス",
            "会社名",
            "役職",
            "電話番号",
            "メモ",
        ]);
        assert_eq!(
            mapping.0,
            vec![
                Some(PersonField::LastName),
                Some(PersonField::FirstName),
                Some(PersonField::Email),
                Some(PersonField::Company),
                Some(PersonField::Title),
                Some(PersonField::Phone),
                None
            ]
        );
        let english = ColumnMapping::from_headers(&["\u{feff}First Name", "E-mail", "Job Title"]);
        assert_eq!(
            english.0,
            vec![
                Some(PersonField::FirstName),
                Some(PersonField::Email),
                Some(PersonField::Title)
            ]
        );
    }

    #[test]
    fn a_second_column_naming_a_field_is_left_out() {
        let mapping = ColumnMapping::from_headers(&["Email", "Mail"]);
        assert_eq!(mapping.0, vec![Some(PersonField::Email), None]);
    }

    #[test]
    fn the_mapping_parameter_round_trips_and_refuses_nonsense() {
        let mapping = ColumnMapping::from_headers(&["x", "email", "名"]);
        let param = mapping.to_param();
        assert_eq!(param, "email:1,first_name:2");
        assert_eq!(ColumnMapping::parse_param(&param).unwrap(), mapping);
        assert!(ColumnMapping::parse_param("email").is_err());
        assert!(ColumnMapping::parse_param("shoe_size:1").is_err());
        assert!(ColumnMapping::parse_param("email:1,email:2").is_err());
    }

    #[test]
    fn an_email_is_required_and_must_be_an_address() {
        let person = |email: &str| PersonFields {
            email: email.into(),
            ..Default::default()
        };
        assert!(person("").parse().is_err());
        assert!(person("no-at-sign").parse().is_err());
        assert!(person("a b@example.com").parse().is_err());
        assert!(person("a@localhost").parse().is_err());
        assert!(person("a@example..com").parse().is_err());
        let valid = person("  Taro.Yamada@Example.co.jp ").parse().unwrap();
        assert_eq!(valid.fields().email, "Taro.Yamada@Example.co.jp");
        assert_eq!(valid.email_key(), "taro.yamada@example.co.jp");
    }

    #[test]
    fn fields_are_one_line_and_bounded() {
        let fields = PersonFields {
            email: "a@example.com".into(),
            company: "Acme\nEvil".into(),
            ..Default::default()
        };
        assert_eq!(fields.parse().unwrap_err().field, PersonField::Company);
        let long = PersonFields {
            email: "a@example.com".into(),
            title: "x".repeat(201),
            ..Default::default()
        };
        assert_eq!(long.parse().unwrap_err().field, PersonField::Title);
        let link = PersonFields {
            email: "a@example.com".into(),
            linkedin_url: "javascript:alert(1)".into(),
            ..Default::default()
        };
        assert_eq!(link.parse().unwrap_err().field, PersonField::LinkedinUrl);
    }

    #[test]
    fn a_patch_changes_only_what_it_names() {
        let before = PersonFields {
            first_name: "Taro".into(),
            email: "t@example.com".into(),
            company: "Acme".into(),
            ..Default::default()
        };
        let patch = PersonPatch {
            company: Some("Globex".into()),
            ..Default::default()
        };
        let after = patch.apply(before.clone());
        assert_eq!(after.company, "Globex");
        assert_eq!(after.first_name, "Taro");
        assert_eq!(after.email, before.email);
    }
}
