//! Compiles an `api::search::SearchQuery` to one parameterized SQL query over the rep's people.
//! Every value from the query is a bound parameter; the SQL text is built only from the fixed
//! fragments below. `api::search` evaluates the same query in memory; the differential test
//! checks the two agree.

use api::search::{Condition, DateField, PersonField, SearchQuery, TextOp, Window};

#[derive(Clone, Debug, PartialEq)]
pub enum Bind {
    Int(i64),
    Text(String),
}

#[derive(Debug)]
pub struct Compiled {
    /// `SELECT p.id FROM people p WHERE ...`, ordered by id.
    pub sql: String,
    pub binds: Vec<Bind>,
}

struct Builder {
    owner: i64,
    now_ms: i64,
    binds: Vec<Bind>,
}

impl Builder {
    fn int(&mut self, value: i64) -> &'static str {
        self.binds.push(Bind::Int(value));
        "?"
    }

    fn text(&mut self, value: String) -> &'static str {
        self.binds.push(Bind::Text(value));
        "?"
    }

    fn ints(&mut self, values: impl IntoIterator<Item = i64>) -> String {
        let marks: Vec<&str> = values.into_iter().map(|v| self.int(v)).collect();
        marks.join(", ")
    }

    fn window(&mut self, window: Option<&Window>) -> (i64, i64) {
        window
            .map(|w| w.bounds(self.now_ms))
            .unwrap_or((i64::MIN, i64::MAX))
    }

    /// The rep's emails to this person, as the start of a subquery.
    fn emails_of_person(&mut self) -> String {
        format!(
            "FROM emails e WHERE e.person_id = p.id AND e.owner_id = {}",
            self.int(self.owner)
        )
    }

    fn condition(&mut self, condition: &Condition) -> String {
        match condition {
            Condition::Campaign { ids, negate } => {
                let from = self.emails_of_person();
                let ids = self.ints(ids.iter().copied());
                let not = if *negate { "NOT " } else { "" };
                format!("{not}EXISTS (SELECT 1 {from} AND e.campaign_id IN ({ids}))")
            }
            Condition::Engagement {
                engagement,
                negate,
                min_count,
                window,
            } => {
                let (from, to) = self.window(window.as_ref());
                let kind = self.text(engagement.event_kind().to_owned());
                let (from, to) = (self.int(from), self.int(to));
                // Counting stops at `min_count`: one probe of email_events_person for "at least
                // one", however many events the person has. A person's events are all their
                // rep's (see migration 0007), and the outer query keeps to the rep's people.
                let limit = self.int(i64::from(*min_count));
                let min = self.int(i64::from(*min_count));
                let not = if *negate { "NOT " } else { "" };
                format!(
                    "{not}((SELECT COUNT(*) FROM (SELECT 1 FROM email_events ev
                       WHERE ev.person_id = p.id AND ev.kind = {kind}
                         AND ev.occurred_at >= {from} AND ev.occurred_at < {to} LIMIT {limit})) >= {min})"
                )
            }
            Condition::Status { statuses } => {
                let from = self.emails_of_person();
                let marks: Vec<&str> = statuses
                    .iter()
                    .map(|s| self.text(s.as_str().to_owned()))
                    .collect();
                format!(
                    "EXISTS (SELECT 1 {from} AND e.status IN ({}))",
                    marks.join(", ")
                )
            }
            Condition::Date { field, window } => {
                let column = match field {
                    DateField::Created => "e.created_at",
                    DateField::Scheduled => "e.scheduled_at",
                    DateField::Delivered => "e.sent_at",
                    DateField::Failed => "e.failed_at",
                };
                let emails = self.emails_of_person();
                let (from, to) = self.window(Some(window));
                let (from, to) = (self.int(from), self.int(to));
                format!("EXISTS (SELECT 1 {emails} AND {column} >= {from} AND {column} < {to})")
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
                    TextOp::Contains => format!(
                        "{column} LIKE {} ESCAPE '\\'",
                        self.text(format!("%{escaped}%"))
                    ),
                    TextOp::NotContains => {
                        format!(
                            "NOT ({column} LIKE {} ESCAPE '\\')",
                            self.text(format!("%{escaped}%"))
                        )
                    }
                    TextOp::Equals => format!("{column} LIKE {} ESCAPE '\\'", self.text(escaped)),
                }
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

pub fn compile(query: &SearchQuery, owner: i64, now_ms: i64) -> Compiled {
    let mut builder = Builder {
        owner,
        now_ms,
        binds: Vec::new(),
    };
    let mut sql = format!(
        "SELECT p.id FROM people p WHERE p.owner_id = {}",
        builder.int(owner)
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
    sql.push_str(" ORDER BY p.id");
    Compiled {
        sql,
        binds: builder.binds,
    }
}

/// The ids of the people who match, straight from the database.
pub async fn matching_people(
    db: &crate::db::Db,
    query: &SearchQuery,
    owner: i64,
    now_ms: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    let compiled = compile(query, owner, now_ms);
    // The text is assembled only from the fixed fragments above; values are all bound.
    let mut sql = sqlx::query_as::<_, (i64,)>(sqlx::AssertSqlSafe(compiled.sql));
    for bind in compiled.binds {
        sql = match bind {
            Bind::Int(value) => sql.bind(value),
            Bind::Text(value) => sql.bind(value),
        };
    }
    Ok(sql
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|(id,)| id)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use api::search::Engagement;

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
        let compiled = compile(&query, 3, 0);
        assert!(!compiled.sql.contains("DROP"));
        assert!(compiled
            .binds
            .contains(&Bind::Text("%'; DROP TABLE people; --%".into())));
        assert_eq!(compiled.sql.matches('?').count(), compiled.binds.len());
    }
}
