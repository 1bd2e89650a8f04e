//! The large data set, generated inside the database with recursive CTEs (a million rows takes
//! seconds, where row-by-row inserts take minutes). One SQL text for SQLite and PostgreSQL. The
//! shapes follow the demo seeder: the same status mix, folder dates, campaigns per rep and
//! engagement only on sent emails.

use anyhow::Context;
use server::db::{Backend, Db};
use std::time::Instant;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scale {
    pub reps: i64,
    pub people: i64,
    pub emails: i64,
    pub events: i64,
    pub tasks: i64,
}

impl Scale {
    pub const FULL: Scale = Scale {
        reps: 100,
        people: 200_000,
        emails: 1_000_000,
        events: 10_000_000,
        tasks: 500_000,
    };

    pub fn divided(self, by: i64) -> Scale {
        Scale {
            reps: self.reps,
            people: self.people / by,
            emails: self.emails / by,
            events: self.events / by,
            tasks: self.tasks / by,
        }
    }

    /// Names the data directory; bump the `g` number when the generator changes.
    pub fn tag(self) -> String {
        format!(
            "g4-r{}-p{}-e{}-v{}-t{}",
            self.reps, self.people, self.emails, self.events, self.tasks
        )
    }
}

/// The bench's reps sign in as `rep{n}@bench.example` with the password `demo`.
pub fn rep_email(n: i64) -> String {
    format!("rep{n}@bench.example")
}

/// A day in milliseconds, 64-bit in the SQL: PostgreSQL's integer literals are 32-bit, and
/// `120 * DAY` outgrows that.
const DAY: &str = "CAST(86400000 AS BIGINT)";

/// Fills an empty, migrated database. Every id starts at 1, which the formulas rely on.
pub async fn fill(db: &Db, scale: Scale) -> anyhow::Result<()> {
    let now = chrono::Utc::now().timestamp_millis();
    let hash = server::password::hash("demo");
    let steps: [(&str, String); 8] = [
        ("users", format!(
            "WITH RECURSIVE n(i) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i < {reps})
             INSERT INTO users (id, email, name, password_hash, role, time_zone, locale, created_at)
             SELECT i, 'rep' || i || '@bench.example', 'Rep ' || i, '{hash}', 'rep',
                    CASE i % 2 WHEN 0 THEN 'Asia/Tokyo' ELSE 'America/New_York' END, 'en', {now} FROM n",
            reps = scale.reps)),
        ("campaigns", format!(
            "WITH RECURSIVE n(i) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i < {c})
             INSERT INTO campaigns (id, owner_id, name, created_at)
             SELECT i, (i - 1) / 2 + 1, 'Campaign ' || i, {now} - 120 * {DAY} FROM n",
            c = scale.reps * 2)),
        ("people", format!(
            "WITH RECURSIVE n(i) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i < {people})
             INSERT INTO people (id, owner_id, first_name, last_name, email, email_key, company, title, created_at)
             SELECT i, (i - 1) % {reps} + 1, 'First' || (i % 1009), 'Last' || (i % 997),
                    'person' || i || '@example.com', 'person' || i || '@example.com', 'Company ' || (i % 4999),
                    CASE WHEN i % 12 = 0 THEN '' ELSE 'Title ' || (i % 47) END, {now} - 400 * {DAY} FROM n",
            people = scale.people, reps = scale.reps)),
        // Email j goes to a scattered person; its owner is that person's. One email in eight is
        // rep 1's (a rep with years of history, whom the bench measures). Statuses follow the
        // demo's mix: 55% delivered, 10% archived, 10% scheduled, 9% failed, 7% bounced, 4% spam.
        ("emails", format!(
            "WITH RECURSIVE n(j) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT j + 1 FROM n WHERE j < {emails}),
             e AS (SELECT j, CASE WHEN j % 8 = 0 THEN ((j * 7919) % ({people} / {reps})) * {reps} + 1
                                  ELSE (j * 7919) % {people} + 1 END AS person,
                          {now} - (j * 104729 % (3 * 365)) * {DAY} - (j * 31 % {DAY}) AS created,
                          CASE WHEN j % 100 < 55 THEN 'delivered' WHEN j % 100 < 65 THEN 'archived'
                               WHEN j % 100 < 75 THEN 'scheduled' WHEN j % 100 < 84 THEN 'failed'
                               WHEN j % 100 < 91 THEN 'bounced' WHEN j % 100 < 95 THEN 'spam'
                               ELSE 'delivered' END AS status FROM n)
             INSERT INTO emails (id, owner_id, person_id, campaign_id, subject, body_html, status, channel,
                                 created_at, updated_at, scheduled_at, sent_at, failed_at, folder_at)
             SELECT j, (person - 1) % {reps} + 1, person,
                    CASE WHEN j % 5 < 3 THEN ((person - 1) % {reps}) * 2 + 1 + j % 2 END,
                    'Subject ' || (j % 10007), '<p>Hello {{{{first_name}}}}</p>', status,
                    CASE WHEN status IN ('bounced', 'spam') OR j % 3 = 0 THEN 'msc'
                         WHEN j % 3 = 1 THEN 'gmail' ELSE 'exchange' END,
                    created, created,
                    CASE status WHEN 'scheduled' THEN {now} + 3600000 + j % (14 * {DAY}) END,
                    CASE WHEN status IN ('delivered', 'archived', 'bounced', 'spam') THEN created + 60000 END,
                    CASE status WHEN 'failed' THEN created + 60000 END,
                    CASE status WHEN 'scheduled' THEN {now} + 3600000 + j % (14 * {DAY})
                                ELSE created + 60000 END
             FROM e",
            emails = scale.emails, people = scale.people, reps = scale.reps)),
        // The events of one email are those k with the same k mod emails: their kind comes from
        // k mod 997, so that it varies among them (by k mod 10 every email had one kind only, and
        // no email was both viewed and clicked: the per-email search found nothing to measure).
        ("email_events", format!(
            "WITH RECURSIVE n(k) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT k + 1 FROM n WHERE k < {events})
             INSERT INTO email_events (email_id, person_id, kind, url, occurred_at)
             SELECT e.id, e.person_id, CASE WHEN k * 7919 % 997 < 598 THEN 'view' WHEN k * 7919 % 997 < 897 THEN 'click' ELSE 'reply' END,
                    NULL, CASE WHEN e.sent_at + k % (30 * {DAY}) < {now} THEN e.sent_at + k % (30 * {DAY}) ELSE {now} END
             FROM n JOIN emails e ON e.id = (k * 15485863) % {emails} + 1
             WHERE e.status IN ('delivered', 'archived')",
            events = scale.events, emails = scale.emails)),
        ("engagement totals", "CREATE TEMP TABLE totals AS
             SELECT email_id, COUNT(*) FILTER (WHERE kind = 'view') AS v, COUNT(*) FILTER (WHERE kind = 'click') AS c,
                    COUNT(*) FILTER (WHERE kind = 'reply') AS r,
                    MAX(occurred_at) AS last FROM email_events GROUP BY email_id;
             UPDATE emails SET views = t.v, clicks = t.c, replies = t.r, last_activity_at = t.last
             FROM totals t WHERE t.email_id = emails.id;
             DROP TABLE totals".to_owned()),
        ("tasks", format!(
            "WITH RECURSIVE n(k) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT k + 1 FROM n WHERE k < {tasks})
             INSERT INTO tasks (owner_id, person_id, title, kind, priority, status, due_at, created_at, updated_at)
             SELECT (p - 1) % {reps} + 1, p, 'Follow up ' || k,
                    CASE k % 4 WHEN 0 THEN 'email' WHEN 1 THEN 'call' WHEN 2 THEN 'linkedin' ELSE 'custom' END,
                    CASE WHEN k % 7 = 0 THEN 'high' ELSE 'normal' END,
                    CASE WHEN k % 5 = 0 THEN 'completed' ELSE 'open' END,
                    CASE WHEN k % 9 = 0 THEN NULL ELSE {now} + (k % 60 - 20) * {DAY} END, {now}, {now}
             FROM (SELECT k, (k * 7907) % {people} + 1 AS p FROM n) AS numbered",
            tasks = scale.tasks, reps = scale.reps, people = scale.people)),
        ("campaign members", "INSERT INTO campaign_people (campaign_id, person_id, added_at)
             SELECT campaign_id, person_id, MIN(created_at) FROM emails
             WHERE campaign_id IS NOT NULL GROUP BY campaign_id, person_id".to_owned()),
    ];
    let postgres = Backend::of(db) == Backend::Postgres;
    if postgres {
        // PostgreSQL's trigger counts each email into its folder's one row; a million updates of
        // ~800 rows in one statement walk ever longer version chains. Counted once at the end.
        sqlx::raw_sql("ALTER TABLE emails DISABLE TRIGGER emails_counted_on_insert")
            .execute(db)
            .await?;
    }
    for (name, sql) in steps {
        let started = Instant::now();
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(db)
            .await
            .with_context(|| format!("generating {name}"))?;
        eprintln!(
            "  generated {name} in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    if postgres {
        sqlx::raw_sql(
            "ALTER TABLE emails ENABLE TRIGGER emails_counted_on_insert;
             DELETE FROM folder_counts;
             INSERT INTO folder_counts (owner_id, status, n)
             SELECT owner_id, status, COUNT(*) FROM emails GROUP BY owner_id, status",
        )
        .execute(db)
        .await?;
        // The rows above were given their ids: the identities go on after them.
        for table in ["users", "campaigns", "people", "emails"] {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT CAST(setval(pg_get_serial_sequence('{table}', 'id'), MAX(id)) AS TEXT) FROM {table}"
            )))
            .fetch_one(db)
            .await?;
        }
    }
    // On PostgreSQL also VACUUM, as autovacuum would soon after such a load: until the
    // visibility map is set, every index-only scan reads the table's rows as well.
    let analyze = if postgres {
        "VACUUM ANALYZE"
    } else {
        "ANALYZE"
    };
    sqlx::raw_sql(analyze).execute(db).await?;
    Ok(())
}
