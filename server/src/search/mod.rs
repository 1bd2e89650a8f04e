//! Compiles an `api::search::SearchQuery` (version 2) to one parameterized SQL query over the
//! rep's emails: each email condition is asked of the email row `e`, each person condition of the
//! person `p` it went to. Every value from the query is a bound parameter; the SQL text is built
//! only from the fixed fragments below. `api::search` evaluates the same query in memory; the
//! differential test checks the two agree.

//!
//! The SQL is the same for SQLite and PostgreSQL but for how the matches come back as one JSON
//! array (`Dialect`).

pub mod results;

use crate::db::{Backend, LimitedError, LimitedReads, Value as Bind};
use api::search::{
    Condition, DateField, Engagement, PersonField, SearchQuery, SequenceStage, TextOp, Window,
};
use api::{CampaignId, EmailId, PersonId, SavedSearchId, UserId};

#[derive(Debug)]
pub struct Compiled {
    /// `SELECT e.id, e.person_id FROM emails e JOIN people p ... WHERE ...`, in no set order.
    /// Its placeholders are `$first`, `$first + 1`, … in the order of `binds`.
    pub sql: String,
    pub binds: Vec<Bind>,
}

struct Builder {
    now_ms: i64,
    /// Placeholders before this statement's own (a `UNION ALL` of several searches).
    before: usize,
    binds: Vec<Bind>,
}

impl Builder {
    fn mark(&mut self, value: Bind) -> String {
        self.binds.push(value);
        format!("${}", self.before + self.binds.len())
    }

    fn int(&mut self, value: i64) -> String {
        self.mark(Bind::Int(value))
    }

    fn text(&mut self, value: String) -> String {
        self.mark(Bind::Text(value))
    }

    fn ints(&mut self, values: impl IntoIterator<Item = i64>) -> String {
        let marks: Vec<String> = values.into_iter().map(|v| self.int(v)).collect();
        marks.join(", ")
    }

    fn window(&mut self, window: Option<&Window>) -> (i64, i64) {
        window
            .map(|w| w.bounds(self.now_ms))
            .unwrap_or((i64::MIN, i64::MAX))
    }

    fn condition(&mut self, condition: &Condition) -> String {
        match condition {
            Condition::Campaign { ids, negate } => {
                let ids = self.ints(ids.iter().map(|id| id.0));
                if *negate {
                    // NOT IN alone would drop the emails of no campaign (NULL).
                    format!("e.campaign_id IS NULL OR e.campaign_id NOT IN ({ids})")
                } else {
                    format!("e.campaign_id IN ({ids})")
                }
            }
            Condition::Engagement {
                engagement,
                negate,
                min_count,
                window,
            } => {
                let not = if *negate { "NOT " } else { "" };
                let min = i64::from(*min_count);
                let Some(window) = window else {
                    // At any time: the email's own totals, which every writer of an event keeps
                    // in the same transaction (tracking, webhooks, the demo). Reading them, the
                    // seed's query reads only the campaign's email rows: 248 ms → a few ms at
                    // 1,000,000 emails, against three event probes per email.
                    let total = match engagement {
                        Engagement::Viewed => "e.views",
                        Engagement::Clicked => "e.clicks",
                        Engagement::Replied => "e.replies",
                    };
                    return format!("{not}({total} >= {})", self.int(min));
                };
                let (from, to) = self.window(Some(window));
                let kind = self.text(engagement.event_kind().to_owned());
                let (from, to) = (self.int(from), self.int(to));
                if min == 1 {
                    return format!(
                        "{not}EXISTS (SELECT 1 FROM email_events ev WHERE ev.email_id = e.id AND ev.kind = {kind}
                           AND ev.occurred_at >= {from} AND ev.occurred_at < {to})"
                    );
                }
                // Counting stops at `min_count`: one probe of email_events_email_kind per event
                // needed, however many the email has.
                let limit = self.int(min);
                let min = self.int(min);
                format!(
                    "{not}((SELECT COUNT(*) FROM (SELECT 1 FROM email_events ev
                       WHERE ev.email_id = e.id AND ev.kind = {kind}
                         AND ev.occurred_at >= {from} AND ev.occurred_at < {to} LIMIT {limit}) AS needed) >= {min})"
                )
            }
            Condition::Status { statuses } => {
                let marks: Vec<String> = statuses
                    .iter()
                    .map(|s| self.text(s.as_str().to_owned()))
                    .collect();
                format!("e.status IN ({})", marks.join(", "))
            }
            Condition::Date { field, window } => {
                let column = match field {
                    DateField::Created => "e.created_at",
                    DateField::Scheduled => "e.scheduled_at",
                    DateField::Delivered => "e.sent_at",
                    DateField::Failed => "e.failed_at",
                };
                let (from, to) = self.window(Some(window));
                let (from, to) = (self.int(from), self.int(to));
                // A missing date is no match, never NULL.
                format!("{column} IS NOT NULL AND {column} >= {from} AND {column} < {to}")
            }
            Condition::Person { field, op, value } => {
                let column = match field {
                    PersonField::Name => "(p.first_name || ' ' || p.last_name)",
                    PersonField::Email => "p.email",
                    PersonField::Company => "p.company",
                    PersonField::Title => "p.title",
                };
                let escaped = escape_like(value);
                match op {
                    // Both sides lowered by the database: SQLite's LIKE ignores ASCII case and
                    // PostgreSQL's does not, so they agree. (Under a collation other than "C",
                    // PostgreSQL's `lower` folds letters beyond ASCII as well.)
                    TextOp::Contains => format!(
                        "lower({column}) LIKE lower({}) ESCAPE '\\'",
                        self.text(format!("%{escaped}%"))
                    ),
                    TextOp::NotContains => {
                        format!(
                            "NOT (lower({column}) LIKE lower({}) ESCAPE '\\')",
                            self.text(format!("%{escaped}%"))
                        )
                    }
                    TextOp::Equals => format!(
                        "lower({column}) LIKE lower({}) ESCAPE '\\'",
                        self.text(escaped)
                    ),
                }
            }
            Condition::PersonReplied { negate } => {
                // A person's events are all their rep's (see migration 0007).
                let not = if *negate { "NOT " } else { "" };
                format!(
                    "{not}EXISTS (SELECT 1 FROM email_events ev WHERE ev.person_id = p.id AND ev.kind = 'reply')"
                )
            }
            Condition::PersonCampaign { ids, negate } => {
                let not = if *negate { "NOT " } else { "" };
                if ids.is_empty() {
                    format!(
                        "{not}EXISTS (SELECT 1 FROM campaign_people cp WHERE cp.person_id = p.id)"
                    )
                } else {
                    let ids = self.ints(ids.iter().map(|id| id.0));
                    format!(
                        "{not}EXISTS (SELECT 1 FROM campaign_people cp WHERE cp.person_id = p.id AND cp.campaign_id IN ({ids}))"
                    )
                }
            }
            Condition::PersonSequence {
                campaign,
                stage,
                negate,
            } => {
                let not = if *negate { "NOT " } else { "" };
                let campaign = match campaign {
                    Some(id) => format!(" AND cp.campaign_id = {}", self.int(id.0)),
                    None => String::new(),
                };
                let stage = match stage {
                    SequenceStage::AtStep { step } => format!(
                        "cp.state <> 'finished' AND cp.done_steps = {}",
                        self.int(i64::from(*step) - 1)
                    ),
                    SequenceStage::Running => "cp.state <> 'finished'".to_owned(),
                    SequenceStage::Finished { reason: None } => "cp.state = 'finished'".to_owned(),
                    SequenceStage::Finished {
                        reason: Some(reason),
                    } => format!(
                        "cp.state = 'finished' AND cp.finish_reason = {}",
                        self.text(reason.as_str().to_owned())
                    ),
                };
                format!(
                    "{not}EXISTS (SELECT 1 FROM campaign_people cp WHERE cp.person_id = p.id{campaign} AND {stage})"
                )
            }
        }
    }
}

/// LIKE's own wildcards in a value are matched literally.
pub fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

pub fn compile(query: &SearchQuery, owner: UserId, now_ms: i64) -> Compiled {
    compile_after(query, owner, now_ms, 0)
}

/// As `compile`, numbering its placeholders after `before` others of the same statement.
fn compile_after(query: &SearchQuery, owner: UserId, now_ms: i64, before: usize) -> Compiled {
    let mut builder = Builder {
        now_ms,
        before,
        binds: Vec::new(),
    };
    let (owner, again) = (builder.int(owner.0), builder.int(owner.0));
    // The person is read only when a condition asks about them: a lookup per matching email.
    let person = if query.conditions().any(Condition::is_about_person) {
        "JOIN people p ON p.id = e.person_id"
    } else {
        ""
    };
    // Deleted people leave search (the few of them are read once, not a lookup per email).
    let mut sql = format!(
        "SELECT e.id AS email, e.person_id AS person, e.campaign_id AS campaign, e.views, e.clicks,
                e.replies, e.last_activity_at
         FROM emails e {person} WHERE e.owner_id = {owner}
           AND e.person_id NOT IN (SELECT id FROM people WHERE owner_id = {again} AND deleted_at IS NOT NULL)"
    );
    for condition in &query.all {
        sql.push_str(" AND (");
        sql.push_str(&builder.condition(condition));
        sql.push(')');
    }
    for group in &query.any {
        let alternatives: Vec<String> = group
            .iter()
            .map(|c| format!("({})", builder.condition(c)))
            .collect();
        sql.push_str(" AND (");
        sql.push_str(&alternatives.join(" OR "));
        sql.push(')');
    }
    // No ORDER BY: ordered by id, SQLite would read emails_campaign in rowid order (a row
    // lookup per email) over a covering index and a sort; `matching_emails` sorts instead.
    Compiled {
        sql,
        binds: builder.binds,
    }
}

/// One matching email and the person it went to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Match {
    pub email: EmailId,
    pub person: PersonId,
}

/// A matching email with what the results show of it, read in the same pass (the covering index
/// emails_campaign_engagement holds all of it), so the results need not read it again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Found {
    pub email: EmailId,
    pub person: PersonId,
    pub campaign: Option<CampaignId>,
    pub views: i64,
    pub clicks: i64,
    pub replies: i64,
    pub last_activity_at: Option<i64>,
}

impl Found {
    pub fn key(&self) -> Match {
        Match {
            email: self.email,
            person: self.person,
        }
    }
}

/// The matching emails, by id, straight from the database; interrupted past `limit`.
pub async fn matching_emails(
    reads: &LimitedReads,
    query: &SearchQuery,
    owner: UserId,
    now_ms: i64,
    limit: std::time::Duration,
) -> Result<Vec<Found>, LimitedError> {
    let compiled = compile(query, owner, now_ms);
    // The matches come back as one JSON array rather than a row each: sqlx decodes a row in about
    // 2.5 µs, so the seed's query on a campaign of 80,000 emails (34,000 matches) took 98 ms to
    // fetch; SQLite builds the array in 16 ms and serde reads it in a few more.
    let sql = Dialect(reads.backend()).json_rows(
        &[
            "email",
            "person",
            "campaign",
            "views",
            "clicks",
            "replies",
            "last_activity_at",
        ],
        &compiled.sql,
    );
    let rows: Vec<(String,)> = reads.fetch_all(limit, sql, compiled.binds).await?;
    let json = rows
        .into_iter()
        .next()
        .map(|(json,)| json)
        .unwrap_or_default();
    type Row = (
        EmailId,
        PersonId,
        Option<CampaignId>,
        i64,
        i64,
        i64,
        Option<i64>,
    );
    let rows: Vec<Row> = serde_json::from_str(&json)
        .map_err(|e| LimitedError::Database(sqlx::Error::Decode(Box::new(e))))?;
    let mut found: Vec<Found> = rows
        .into_iter()
        .map(
            |(email, person, campaign, views, clicks, replies, last_activity_at)| Found {
                email,
                person,
                campaign,
                views,
                clicks,
                replies,
                last_activity_at,
            },
        )
        .collect();
    found.sort_unstable_by_key(|f| f.email);
    Ok(found)
}

/// What the search's SQL says differently to each database.
struct Dialect(Backend);

impl Dialect {
    /// One row of one text column: a JSON array of each row of `from` as an array of `columns`,
    /// which hold integers or NULL.
    fn json_rows(&self, columns: &[&str], from: &str) -> String {
        match self.0 {
            Backend::Sqlite => format!(
                "SELECT json_group_array(json_array({})) FROM ({from}) AS found",
                columns.join(", ")
            ),
            // Integers written out as text: `json_agg(json_build_array(…))` took 40 ms for the
            // seed's 34,000 matches, this 24. A NULL is written `null`; no rows, `[]`.
            Backend::Postgres => {
                let fields: Vec<String> = columns
                    .iter()
                    .map(|column| format!("COALESCE(CAST({column} AS TEXT), 'null')"))
                    .collect();
                format!(
                    "SELECT '[' || COALESCE(string_agg(concat('[', {}, ']'), ','), '') || ']'
                     FROM ({from}) AS found",
                    fields.join(", ',', ")
                )
            }
        }
    }
}

/// How many people and emails a saved search holds now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub people: u64,
    pub emails: u64,
}

/// Bound values per statement: SQLite allows 32,766; searches are batched below it.
const BINDS_PER_STATEMENT: usize = 30_000;

/// The counts of many searches of one owner, by the key given with each: one statement (a
/// `UNION ALL` of one count per search) rather than a query per search; several only when the
/// searches' values would not fit in one.
pub async fn counts_of(
    reads: &LimitedReads,
    searches: &[(SavedSearchId, &SearchQuery)],
    owner: UserId,
    now_ms: i64,
    limit: std::time::Duration,
) -> Result<std::collections::HashMap<SavedSearchId, Counts>, LimitedError> {
    // Each search as one counting SELECT and its values, compiled once, numbered after the
    // values of the searches before it in the same statement; statements stay under SQLite's
    // limit of bound values.
    let mut statements: Vec<(Vec<String>, Vec<Bind>)> = Vec::new();
    for (key, query) in searches {
        let part = |before: usize| {
            let compiled = compile_after(query, owner, now_ms, before + 1);
            let sql = format!(
                "SELECT ${} AS search, COUNT(DISTINCT person) AS people, COUNT(*) AS emails
                 FROM ({}) AS found",
                before + 1,
                compiled.sql
            );
            let binds: Vec<Bind> = std::iter::once(Bind::Int(key.0))
                .chain(compiled.binds)
                .collect();
            (sql, binds)
        };
        match statements.last_mut() {
            Some((sqls, bound)) => {
                let (sql, binds) = part(bound.len());
                if bound.len() + binds.len() <= BINDS_PER_STATEMENT {
                    sqls.push(sql);
                    bound.extend(binds);
                    continue;
                }
                let (sql, binds) = part(0);
                statements.push((vec![sql], binds));
            }
            None => {
                let (sql, binds) = part(0);
                statements.push((vec![sql], binds));
            }
        }
    }
    let mut counts = std::collections::HashMap::new();
    for (sqls, binds) in statements {
        // Assembled only from compiled searches' fixed fragments; values are all bound.
        let rows: Vec<(i64, i64, i64)> = reads
            .fetch_all(limit, sqls.join(" UNION ALL "), binds)
            .await?;
        for (key, people, emails) in rows {
            counts.insert(
                SavedSearchId(key),
                Counts {
                    people: people as u64,
                    emails: emails as u64,
                },
            );
        }
    }
    Ok(counts)
}

impl Counts {
    /// The counts of matches already read.
    pub fn of(found: &[Found]) -> Self {
        Counts {
            people: people_of(found).len() as u64,
            emails: found.len() as u64,
        }
    }
}

/// The people behind the matches, each once, by id.
pub fn people_of(found: &[Found]) -> Vec<PersonId> {
    let people: std::collections::BTreeSet<PersonId> = found.iter().map(|f| f.person).collect();
    people.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_bound_never_spliced() {
        let query = SearchQuery {
            all: vec![
                Condition::Person {
                    field: PersonField::Name,
                    op: TextOp::Contains,
                    value: "'; DROP TABLE people; --".into(),
                },
                Condition::Engagement {
                    engagement: Engagement::Replied,
                    negate: true,
                    min_count: 1,
                    window: None,
                },
            ],
            ..SearchQuery::default()
        };
        let compiled = compile(&query, UserId(3), 0);
        assert!(!compiled.sql.contains("DROP"));
        assert!(compiled
            .binds
            .contains(&Bind::Text("%'; DROP TABLE people; --%".into())));
        assert_eq!(compiled.sql.matches('$').count(), compiled.binds.len());
        assert!(compiled.sql.contains(&format!("${}", compiled.binds.len())));
    }
}
