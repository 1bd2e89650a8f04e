//! The advanced search: one definition of a query over the rep's sent emails and their people,
//! evaluated in memory here and compiled to parameterized SQL by the server. Both must agree on
//! every case (the server's differential test checks it).
//!
//! A person matches when every condition in `all` holds and, for each group in `any`, at least one
//! of its conditions holds. Conditions look at the person and at all of the rep's emails to them:
//! "clicked" means some email to them was clicked; "not replied" means no email to them was.

use crate::dto::{Id, Timestamp};
use crate::folder::EmailStatus;
use serde::{Deserialize, Serialize};

/// The query format's version: saved searches keep theirs, so later changes can read them.
pub const QUERY_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchQuery {
    #[serde(default = "current_version")]
    pub version: u32,
    #[serde(default)]
    pub all: Vec<Condition>,
    #[serde(default)]
    pub any: Vec<Vec<Condition>>,
}

fn current_version() -> u32 {
    QUERY_VERSION
}

impl Default for SearchQuery {
    fn default() -> Self {
        Self {
            version: QUERY_VERSION,
            all: Vec::new(),
            any: Vec::new(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Engagement {
    Viewed,
    Clicked,
    Replied,
}

impl Engagement {
    pub fn event_kind(self) -> &'static str {
        match self {
            Engagement::Viewed => "view",
            Engagement::Clicked => "click",
            Engagement::Replied => "reply",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateField {
    Created,
    Scheduled,
    Delivered,
    Failed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonField {
    Name,
    Email,
    Company,
    Title,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextOp {
    Contains,
    NotContains,
    Equals,
}

/// A time window: the last N days before the query runs, or between two instants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Window {
    LastDays {
        days: u32,
    },
    Between {
        #[cfg_attr(
            target_arch = "wasm32",
            serde(deserialize_with = "crate::wire_time::timestamp")
        )]
        from: Timestamp,
        #[cfg_attr(
            target_arch = "wasm32",
            serde(deserialize_with = "crate::wire_time::timestamp")
        )]
        to: Timestamp,
    },
}

impl Window {
    /// `[from, to)` in milliseconds, for a query running at `now_ms`.
    pub fn bounds(&self, now_ms: i64) -> (i64, i64) {
        match *self {
            Window::LastDays { days } => (now_ms - i64::from(days) * 86_400_000, i64::MAX),
            Window::Between { from, to } => (from.timestamp_millis(), to.timestamp_millis()),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Condition {
    /// Emailed as part of one of these campaigns (or, negated, never).
    Campaign {
        ids: Vec<Id>,
        #[serde(default)]
        negate: bool,
    },
    /// At least `min_count` views / clicks / replies (in the window); negated: fewer.
    Engagement {
        engagement: Engagement,
        #[serde(default)]
        negate: bool,
        #[serde(default = "one")]
        min_count: u32,
        #[serde(default)]
        window: Option<Window>,
    },
    /// Has an email in one of these statuses.
    Status { statuses: Vec<EmailStatus> },
    /// Has an email whose date is in the window.
    Date { field: DateField, window: Window },
    /// A person field compared as text (ASCII letters case-insensitively, as SQL LIKE does).
    Person {
        field: PersonField,
        op: TextOp,
        value: String,
    },
}

fn one() -> u32 {
    1
}

/// What the in-memory evaluation needs of an email.
#[derive(Clone, Debug, PartialEq)]
pub struct EmailFacts {
    pub campaign_id: Option<Id>,
    pub status: EmailStatus,
    pub created_at: i64,
    pub scheduled_at: Option<i64>,
    pub sent_at: Option<i64>,
    pub failed_at: Option<i64>,
    /// (event kind, when) of each view, click, reply.
    pub events: Vec<(String, i64)>,
}

/// What the in-memory evaluation needs of a person.
#[derive(Clone, Debug, PartialEq)]
pub struct PersonFacts {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub company: String,
    pub title: String,
    pub emails: Vec<EmailFacts>,
}

/// ASCII-only case folding, the way SQLite's LIKE compares.
pub fn fold(text: &str) -> String {
    text.to_ascii_lowercase()
}

impl PersonFacts {
    /// The text a person field compares: `name` is "first last".
    pub fn field(&self, field: PersonField) -> String {
        match field {
            PersonField::Name => format!("{} {}", self.first_name, self.last_name),
            PersonField::Email => self.email.clone(),
            PersonField::Company => self.company.clone(),
            PersonField::Title => self.title.clone(),
        }
    }
}

impl Condition {
    pub fn matches(&self, person: &PersonFacts, now_ms: i64) -> bool {
        match self {
            Condition::Campaign { ids, negate } => {
                let emailed = person
                    .emails
                    .iter()
                    .any(|e| e.campaign_id.is_some_and(|c| ids.contains(&c)));
                emailed != *negate
            }
            Condition::Engagement {
                engagement,
                negate,
                min_count,
                window,
            } => {
                let (from, to) = window
                    .map(|w| w.bounds(now_ms))
                    .unwrap_or((i64::MIN, i64::MAX));
                let count = person
                    .emails
                    .iter()
                    .flat_map(|e| &e.events)
                    .filter(|(kind, at)| kind == engagement.event_kind() && *at >= from && *at < to)
                    .count() as u64;
                (count >= u64::from(*min_count)) != *negate
            }
            Condition::Status { statuses } => {
                person.emails.iter().any(|e| statuses.contains(&e.status))
            }
            Condition::Date { field, window } => {
                let (from, to) = window.bounds(now_ms);
                person.emails.iter().any(|e| {
                    let at = match field {
                        DateField::Created => Some(e.created_at),
                        DateField::Scheduled => e.scheduled_at,
                        DateField::Delivered => e.sent_at,
                        DateField::Failed => e.failed_at,
                    };
                    at.is_some_and(|at| at >= from && at < to)
                })
            }
            Condition::Person { field, op, value } => {
                let (text, value) = (fold(&person.field(*field)), fold(value));
                match op {
                    TextOp::Contains => text.contains(&value),
                    TextOp::NotContains => !text.contains(&value),
                    TextOp::Equals => text == value,
                }
            }
        }
    }
}

impl SearchQuery {
    /// The in-memory evaluation, for instant filtering in the browser.
    pub fn matches(&self, person: &PersonFacts, now_ms: i64) -> bool {
        self.all.iter().all(|c| c.matches(person, now_ms))
            && self
                .any
                .iter()
                .all(|group| group.iter().any(|c| c.matches(person, now_ms)))
    }

    /// Checks what SQL and memory cannot both express; the message names the problem.
    pub fn validate(&self) -> Result<(), crate::Text> {
        use crate::Text;
        if self.version > QUERY_VERSION {
            return Err(Text::new(
                format!(
                    "This search was made by a newer version (query version {}).",
                    self.version
                ),
                format!(
                    "この検索は新しいバージョンで作られています（クエリのバージョン {}）。",
                    self.version
                ),
            ));
        }
        for condition in self.all.iter().chain(self.any.iter().flatten()) {
            match condition {
                Condition::Engagement { min_count: 0, .. } => {
                    return Err(Text::fixed(
                        "A count must be at least 1.",
                        "回数は 1 以上にしてください。",
                    ))
                }
                Condition::Engagement {
                    window: Some(Window::LastDays { days: 0 }),
                    ..
                }
                | Condition::Date {
                    window: Window::LastDays { days: 0 },
                    ..
                } => {
                    return Err(Text::fixed(
                        "A window must be at least one day.",
                        "期間は 1 日以上にしてください。",
                    ))
                }
                Condition::Campaign { ids, .. } if ids.is_empty() => {
                    return Err(Text::fixed(
                        "Choose at least one campaign.",
                        "キャンペーンを 1 つ以上選んでください。",
                    ))
                }
                Condition::Status { statuses } if statuses.is_empty() => {
                    return Err(Text::fixed(
                        "Choose at least one status.",
                        "ステータスを 1 つ以上選んでください。",
                    ))
                }
                _ => {}
            }
        }
        if self.any.iter().any(Vec::is_empty) {
            return Err(Text::fixed(
                "An OR group needs at least one condition.",
                "「いずれか」のグループには条件が 1 つ以上必要です。",
            ));
        }
        Ok(())
    }
}

/// One person in the results, with their engagement across the rep's emails.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub person: crate::dto::Person,
    pub views: u32,
    pub clicks: u32,
    pub replies: u32,
    #[cfg_attr(
        target_arch = "wasm32",
        serde(default, deserialize_with = "crate::wire_time::optional_timestamp")
    )]
    pub last_activity_at: Option<Timestamp>,
    pub campaigns: Vec<crate::dto::CampaignRef>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchRequest {
    pub query: SearchQuery,
    /// Admins may run a search as another rep ("view as").
    #[serde(default)]
    pub owner_id: Option<Id>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchResponse {
    pub items: Vec<SearchHit>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(events: &[(&str, i64)], campaign: Option<Id>) -> PersonFacts {
        PersonFacts {
            first_name: "Emma".into(),
            last_name: "Smith".into(),
            email: "emma@acme.example".into(),
            company: "Acme".into(),
            title: "CEO".into(),
            emails: vec![EmailFacts {
                campaign_id: campaign,
                status: EmailStatus::Delivered,
                created_at: 0,
                scheduled_at: None,
                sent_at: Some(10),
                failed_at: None,
                events: events.iter().map(|(k, at)| (k.to_string(), *at)).collect(),
            }],
        }
    }

    fn engaged(engagement: Engagement, negate: bool) -> Condition {
        Condition::Engagement {
            engagement,
            negate,
            min_count: 1,
            window: None,
        }
    }

    #[test]
    fn viewed_and_clicked_but_not_replied_in_a_campaign() {
        let query = SearchQuery {
            all: vec![
                Condition::Campaign {
                    ids: vec![7],
                    negate: false,
                },
                engaged(Engagement::Viewed, false),
                engaged(Engagement::Clicked, false),
                engaged(Engagement::Replied, true),
            ],
            ..SearchQuery::default()
        };
        assert!(query.matches(&person(&[("view", 1), ("click", 2)], Some(7)), 100));
        assert!(!query.matches(
            &person(&[("view", 1), ("click", 2), ("reply", 3)], Some(7)),
            100
        ));
        assert!(!query.matches(&person(&[("view", 1), ("click", 2)], Some(8)), 100));
        assert!(!query.matches(&person(&[("view", 1)], Some(7)), 100));
    }

    #[test]
    fn or_groups_need_one_of_their_conditions() {
        let query = SearchQuery {
            any: vec![vec![
                engaged(Engagement::Clicked, false),
                engaged(Engagement::Replied, false),
            ]],
            ..SearchQuery::default()
        };
        assert!(query.matches(&person(&[("reply", 1)], None), 100));
        assert!(!query.matches(&person(&[("view", 1)], None), 100));
    }

    #[test]
    fn text_matches_fold_ascii_only_like_sql() {
        let cond = Condition::Person {
            field: PersonField::Company,
            op: TextOp::Contains,
            value: "ACME".into(),
        };
        assert!(cond.matches(&person(&[], None), 0));
        assert_eq!(fold("ÄBC"), "Äbc");
    }

    #[test]
    fn counts_and_windows() {
        let three_views = person(&[("view", 10), ("view", 20), ("view", 90)], None);
        let at_least = |min_count, window| Condition::Engagement {
            engagement: Engagement::Viewed,
            negate: false,
            min_count,
            window,
        };
        assert!(at_least(3, None).matches(&three_views, 100));
        assert!(!at_least(4, None).matches(&three_views, 100));
        // Between is [from, to).
        let between = |from: i64, to: i64| {
            Some(Window::Between {
                from: chrono::DateTime::from_timestamp_millis(from).unwrap(),
                to: chrono::DateTime::from_timestamp_millis(to).unwrap(),
            })
        };
        assert!(at_least(2, between(10, 90)).matches(&three_views, 100));
        assert!(!at_least(3, between(10, 90)).matches(&three_views, 100));
    }

    #[test]
    fn invalid_queries_are_named() {
        let query = SearchQuery {
            any: vec![vec![]],
            ..SearchQuery::default()
        };
        assert!(query.validate().unwrap_err().en.contains("OR group"));
        let query = SearchQuery {
            all: vec![Condition::Engagement {
                engagement: Engagement::Viewed,
                negate: false,
                min_count: 0,
                window: None,
            }],
            ..SearchQuery::default()
        };
        assert!(query.validate().is_err());
    }
}

/// A search kept under a name: a dynamic list that re-runs when opened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedSearch {
    pub id: Id,
    pub name: String,
    pub query: SearchQuery,
    /// How many people match now.
    pub member_count: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewSavedSearch {
    pub name: String,
    pub query: SearchQuery,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SavedSearchPatch {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub query: Option<SearchQuery>,
}

/// The members of a saved search now, and which of them joined since the rep last opened it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedSearchResults {
    pub items: Vec<SearchHit>,
    pub new_ids: Vec<Id>,
}
