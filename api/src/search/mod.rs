//! The advanced search: one definition of a query over the rep's emails, evaluated in memory here
//! and compiled to parameterized SQL by the server. Both must agree on every case (the server's
//! differential test checks it).
//!
//! Version 2 (this one) is a search over emails, as the seed describes it: an email matches when
//! every condition in `all` holds on it and, for each group in `any`, at least one condition of
//! the group holds on it. Email conditions (campaign, engagement, status, dates) hold on *that
//! email*: "viewed, clicked, not replied" finds the emails that were viewed and clicked and got
//! no reply, whatever the person did with other emails. Person conditions (`person`,
//! `person_replied`, `person_campaign`) hold on the person the email went to. A person is in the
//! results when at least one of their emails matches.
//!
//! Version 1 summed engagement over all of a person's emails; `upgrade` reads it (see there).

mod describe;
mod upgrade;

pub use describe::describe;
pub use upgrade::Upgrade;

use crate::dto::{EmailSummary, Timestamp};
use crate::folder::EmailStatus;
use crate::ids::{CampaignId, EmailId, PersonId, SavedSearchId, UserId};
use crate::sequence::{EnrolmentState, FinishReason};
use crate::wire::wire_enum;
use serde::{Deserialize, Serialize};

/// The query format's version: saved searches keep theirs, so later changes can read them.
pub const QUERY_VERSION: u32 = 2;

/// Most conditions in one query (`all` and every `any` group together): a builder's query has a
/// handful; each one is a subquery per email.
pub const MAX_CONDITIONS: usize = 50;
/// The most campaigns one condition names.
pub const MAX_IDS: usize = 500;
/// The longest text a person condition compares, in characters.
pub const MAX_TEXT: usize = 200;

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

wire_enum!(
    pub enum Engagement {
        Viewed = "viewed",
        Clicked = "clicked",
        Replied = "replied",
    }
);

impl Engagement {
    pub fn event_kind(self) -> &'static str {
        match self {
            Engagement::Viewed => "view",
            Engagement::Clicked => "click",
            Engagement::Replied => "reply",
        }
    }
}

wire_enum!(
    pub enum DateField {
        Created = "created",
        Scheduled = "scheduled",
        Delivered = "delivered",
        Failed = "failed",
    }
);

wire_enum!(
    pub enum PersonField {
        Name = "name",
        Email = "email",
        Company = "company",
        Title = "title",
    }
);

wire_enum!(
    pub enum TextOp {
        Contains = "contains",
        NotContains = "not_contains",
        Equals = "equals",
    }
);

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

fn any_time(window: Option<&Window>, now_ms: i64) -> (i64, i64) {
    window
        .map(|w| w.bounds(now_ms))
        .unwrap_or((i64::MIN, i64::MAX))
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Condition {
    /// The email was sent as part of one of these campaigns (negated: it was not).
    Campaign {
        ids: Vec<CampaignId>,
        #[serde(default)]
        negate: bool,
    },
    /// The email got at least `min_count` views / clicks / replies (in the window); negated:
    /// fewer. "Not replied" means this email got no reply.
    Engagement {
        engagement: Engagement,
        #[serde(default)]
        negate: bool,
        #[serde(default = "one")]
        min_count: u32,
        #[serde(default)]
        window: Option<Window>,
    },
    /// The email is in one of these statuses.
    Status { statuses: Vec<EmailStatus> },
    /// The email's date is in the window.
    Date { field: DateField, window: Window },
    /// On the person: a field compared as text (ASCII letters case-insensitively, as SQL LIKE).
    Person {
        field: PersonField,
        op: TextOp,
        value: String,
    },
    /// On the person: they have replied to one of the rep's emails (negated: never, to any).
    PersonReplied {
        #[serde(default)]
        negate: bool,
    },
    /// On the person: they are in one of these campaigns, or in any campaign when `ids` is empty
    /// (negated: they are not).
    PersonCampaign {
        #[serde(default)]
        ids: Vec<CampaignId>,
        #[serde(default)]
        negate: bool,
    },
    /// On the person: where they stand in a campaign's sequence, or in any campaign's when
    /// `campaign` is `None` (negated: they do not stand there in it, or in any).
    PersonSequence {
        #[serde(default)]
        campaign: Option<CampaignId>,
        stage: SequenceStage,
        #[serde(default)]
        negate: bool,
    },
}

/// A place in a campaign's sequence (`api::sequence`), for `Condition::PersonSequence`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "is", rename_all = "snake_case")]
pub enum SequenceStage {
    /// Still in it (active or paused), with step `step` (1 for the first) their next.
    AtStep { step: u32 },
    /// Still in it: active or paused.
    Running,
    /// Finished, for `reason` or for any reason when it is `None`.
    Finished {
        #[serde(default)]
        reason: Option<FinishReason>,
    },
}

impl SequenceStage {
    /// Whether an enrolment stands here.
    pub fn holds(self, enrolment: &EnrolmentFacts) -> bool {
        let running = enrolment.state != EnrolmentState::Finished;
        match self {
            SequenceStage::AtStep { step } => running && enrolment.done_steps + 1 == step,
            SequenceStage::Running => running,
            SequenceStage::Finished { reason } => {
                !running && reason.is_none_or(|r| enrolment.reason == Some(r))
            }
        }
    }
}

/// Where a person stands in one campaign.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EnrolmentFacts {
    pub campaign_id: CampaignId,
    pub state: EnrolmentState,
    pub reason: Option<FinishReason>,
    pub done_steps: u32,
}

fn one() -> u32 {
    1
}

impl Condition {
    /// Whether it is about the person the email went to rather than about the email.
    pub fn is_about_person(&self) -> bool {
        matches!(
            self,
            Condition::Person { .. }
                | Condition::PersonReplied { .. }
                | Condition::PersonCampaign { .. }
                | Condition::PersonSequence { .. }
        )
    }

    /// Whether it holds on `email`, one of `person`'s emails.
    pub fn holds(&self, person: &PersonFacts, email: &EmailFacts, now_ms: i64) -> bool {
        match self {
            Condition::Campaign { ids, negate } => {
                email.campaign_id.is_some_and(|c| ids.contains(&c)) != *negate
            }
            Condition::Engagement {
                engagement,
                negate,
                min_count,
                window,
            } => {
                let (from, to) = any_time(window.as_ref(), now_ms);
                let count = email
                    .events
                    .iter()
                    .filter(|(kind, at)| kind == engagement.event_kind() && *at >= from && *at < to)
                    .count() as u64;
                (count >= u64::from(*min_count)) != *negate
            }
            Condition::Status { statuses } => statuses.contains(&email.status),
            Condition::Date { field, window } => {
                let (from, to) = window.bounds(now_ms);
                let at = match field {
                    DateField::Created => Some(email.created_at),
                    DateField::Scheduled => email.scheduled_at,
                    DateField::Delivered => email.sent_at,
                    DateField::Failed => email.failed_at,
                };
                at.is_some_and(|at| at >= from && at < to)
            }
            Condition::Person { field, op, value } => {
                let (text, value) = (fold(&person.field(*field)), fold(value));
                match op {
                    TextOp::Contains => text.contains(&value),
                    TextOp::NotContains => !text.contains(&value),
                    TextOp::Equals => text == value,
                }
            }
            Condition::PersonReplied { negate } => {
                let replied = person
                    .emails
                    .iter()
                    .flat_map(|e| &e.events)
                    .any(|(kind, _)| kind == "reply");
                replied != *negate
            }
            Condition::PersonCampaign { ids, negate } => {
                let member = person
                    .campaigns
                    .iter()
                    .any(|c| ids.is_empty() || ids.contains(c));
                member != *negate
            }
            Condition::PersonSequence {
                campaign,
                stage,
                negate,
            } => {
                let stands = person
                    .enrolments
                    .iter()
                    .any(|e| campaign.is_none_or(|c| e.campaign_id == c) && stage.holds(e));
                stands != *negate
            }
        }
    }
}

/// What the in-memory evaluation needs of an email.
#[derive(Clone, Debug, PartialEq)]
pub struct EmailFacts {
    pub id: EmailId,
    pub campaign_id: Option<CampaignId>,
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
    /// The campaigns the person belongs to.
    pub campaigns: Vec<CampaignId>,
    /// Where they stand in each of those campaigns' sequences.
    pub enrolments: Vec<EnrolmentFacts>,
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

impl SearchQuery {
    /// Every condition, `all` first.
    pub fn conditions(&self) -> impl Iterator<Item = &Condition> {
        self.all.iter().chain(self.any.iter().flatten())
    }

    /// Whether `email`, one of `person`'s emails, matches (a version 2 query).
    pub fn holds(&self, person: &PersonFacts, email: &EmailFacts, now_ms: i64) -> bool {
        self.all.iter().all(|c| c.holds(person, email, now_ms))
            && self
                .any
                .iter()
                .all(|group| group.iter().any(|c| c.holds(person, email, now_ms)))
    }

    /// The person's emails that match.
    pub fn matching_emails<'a>(
        &'a self,
        person: &'a PersonFacts,
        now_ms: i64,
    ) -> impl Iterator<Item = &'a EmailFacts> + 'a {
        person
            .emails
            .iter()
            .filter(move |email| self.holds(person, email, now_ms))
    }

    /// Whether the person is in the results: one of their emails matches.
    pub fn matches(&self, person: &PersonFacts, now_ms: i64) -> bool {
        self.matching_emails(person, now_ms).next().is_some()
    }

    /// Checks what SQL and memory cannot both express; the message names the problem. Runs on a
    /// query of this version (upgrade an older one first).
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
        let count = self.conditions().count();
        if count > MAX_CONDITIONS {
            return Err(Text::new(
                format!("A search can have at most {MAX_CONDITIONS} conditions ({count} given)."),
                format!("検索の条件は {MAX_CONDITIONS} 個までです（{count} 個あります）。"),
            ));
        }
        for condition in self.conditions() {
            match condition {
                Condition::Campaign { ids, .. } | Condition::PersonCampaign { ids, .. }
                    if ids.len() > MAX_IDS =>
                {
                    return Err(Text::new(
                        format!("A condition can name at most {MAX_IDS} campaigns ({} given).", ids.len()),
                        format!("1 つの条件に指定できるキャンペーンは {MAX_IDS} 個までです（{} 個あります）。", ids.len()),
                    ))
                }
                Condition::Person { value, .. } if value.chars().count() > MAX_TEXT => {
                    return Err(Text::new(
                        format!("A text to compare is at most {MAX_TEXT} characters."),
                        format!("比較する文字列は {MAX_TEXT} 文字までです。"),
                    ))
                }
                Condition::PersonSequence {
                    stage: SequenceStage::AtStep { step },
                    ..
                } if !(1..=1000).contains(step) => {
                    return Err(Text::fixed(
                        "A step number is between 1 and 1000.",
                        "ステップ番号は 1 から 1000 の間にしてください。",
                    ))
                }
                Condition::Engagement { min_count, .. } if !(1..=1000).contains(min_count) => {
                    return Err(Text::fixed(
                        "A count must be between 1 and 1000.",
                        "回数は 1 から 1000 の間にしてください。",
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

/// One person in the results, with the engagement of their matching emails.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub person: crate::dto::Person,
    /// How many of their emails match.
    #[serde(default)]
    pub matching_emails: u32,
    pub views: u32,
    pub clicks: u32,
    pub replies: u32,
    #[cfg_attr(
        target_arch = "wasm32",
        serde(default, deserialize_with = "crate::wire_time::optional_timestamp")
    )]
    pub last_activity_at: Option<Timestamp>,
    /// The campaigns of their matching emails.
    pub campaigns: Vec<crate::dto::CampaignRef>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchRequest {
    pub query: SearchQuery,
    /// Admins may run a search as another rep ("view as").
    #[serde(default)]
    pub owner_id: Option<UserId>,
}

/// What a search found, both ways: the people behind the matching emails (one row each, most
/// recently active first, at most 5,000) and the emails themselves (outbox rows, most recently
/// active first, at most 1,000), with how many of each matched in all.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    pub items: Vec<SearchHit>,
    #[serde(default)]
    pub emails: Vec<EmailSummary>,
    #[serde(default)]
    pub total_people: u64,
    #[serde(default)]
    pub total_emails: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchResponse {
    #[serde(flatten)]
    pub found: SearchResults,
    /// The query as it ran (a version 1 query is upgraded first).
    pub query: SearchQuery,
    /// A version 1 query whose meaning changed when upgraded: what was asked.
    #[serde(default)]
    pub previous_query: Option<SearchQuery>,
}

wire_enum!(
    /// How the results are shown; kept in the URL (`view=emails`).
    #[derive(Default)]
    pub enum ResultView {
        #[default]
        People = "people",
        Emails = "emails",
    }
);

#[cfg(test)]
mod tests;

/// A search kept under a name: a dynamic list that re-runs when opened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedSearch {
    pub id: SavedSearchId,
    pub name: String,
    pub query: SearchQuery,
    /// How many people match now.
    pub member_count: u64,
    /// How many emails match now.
    #[serde(default)]
    pub email_count: u64,
    /// Set once, when a list saved by version 1 was upgraded and now means something else: the
    /// query as it was saved. Opening the list's results clears it.
    #[serde(default)]
    pub previous_query: Option<SearchQuery>,
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

/// The members of a saved search now, and which joined since the rep last opened it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedSearchResults {
    #[serde(flatten)]
    pub found: SearchResults,
    /// People with an email that joined the list since it was last opened.
    pub new_ids: Vec<PersonId>,
    /// Emails that joined the list since it was last opened.
    #[serde(default)]
    pub new_email_ids: Vec<EmailId>,
}
