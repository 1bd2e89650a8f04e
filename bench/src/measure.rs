//! Latency of the API beside the bare SQL it runs, through the same pool in the same process,
//! and the query plans of those statements.

use api::search::{Condition, Engagement, SearchQuery};
use api::CampaignId;
use server::db::{Backend, Db};
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

#[derive(Clone, Debug)]
pub struct Latency {
    pub name: &'static str,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub mean_ms: f64,
}

impl Latency {
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({ "p50_ms": self.p50_ms, "p99_ms": self.p99_ms, "mean_ms": self.mean_ms })
    }
}

/// One way of doing the work being timed: each call starts one run.
pub type Run<'a> = Box<dyn Fn() -> Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send>> + 'a>;

/// Times several ways of doing the same work, taking turns sample by sample so that each sees
/// the machine in the same state (a busy moment slows all of them, not one), and each sample
/// starting with the next way, so that none always follows the same one (whose pooled connection
/// it would find busy or idle): a tenth of `samples` unmeasured first, then `samples` each.
pub async fn interleaved(
    name: &'static str,
    samples: usize,
    ways: &[Run<'_>],
) -> anyhow::Result<Vec<Latency>> {
    for _ in 0..samples.div_ceil(10) {
        for run in ways {
            run().await?;
        }
    }
    let mut taken: Vec<Vec<Duration>> = vec![Vec::with_capacity(samples); ways.len()];
    for sample in 0..samples {
        for turn in 0..ways.len() {
            let way = (sample + turn) % ways.len();
            let started = Instant::now();
            ways[way]().await?;
            taken[way].push(started.elapsed());
        }
    }
    Ok(taken
        .into_iter()
        .map(|mut taken| {
            taken.sort();
            let ms = |d: Duration| d.as_secs_f64() * 1000.0;
            let at = |q: f64| ms(taken[((taken.len() - 1) as f64 * q).round() as usize]);
            Latency {
                name,
                p50_ms: at(0.50),
                p99_ms: at(0.99),
                mean_ms: ms(taken.iter().sum::<Duration>()) / taken.len() as f64,
            }
        })
        .collect())
}

/// The seed's example: "emails of campaign X that were viewed and clicked but got no reply",
/// each condition on the same email; with `days`, the view and the click within that window.
pub fn engaged_not_replied(campaign: i64, days: Option<u32>) -> SearchQuery {
    let engaged = |engagement, negate| Condition::Engagement {
        engagement,
        negate,
        min_count: 1,
        window: days
            .filter(|_| !negate)
            .map(|days| api::search::Window::LastDays { days }),
    };
    SearchQuery {
        all: vec![
            Condition::Campaign {
                ids: vec![CampaignId(campaign)],
                negate: false,
            },
            engaged(Engagement::Viewed, false),
            engaged(Engagement::Clicked, false),
            engaged(Engagement::Replied, true),
        ],
        ..SearchQuery::default()
    }
}

/// The plan of a statement, one line per step. Parameters are left without values: the plan
/// depends on the indexes, not the values. SQLite: `EXPLAIN QUERY PLAN` with them unbound.
/// PostgreSQL: the generic plan of the statement prepared, executed with NULLs for `EXPLAIN`.
pub async fn plan(db: &Db, sql: &str) -> anyhow::Result<Vec<String>> {
    let mut connection = db.acquire().await?;
    if Backend::of(db) == Backend::Sqlite {
        let rows: Vec<(i64, i64, i64, String)> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")))
                .fetch_all(&mut *connection)
                .await?;
        return Ok(rows.into_iter().map(|(_, _, _, detail)| detail).collect());
    }
    // PREPARE goes by the simple protocol, so that its `$n` stay the prepared statement's own.
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "SET plan_cache_mode = force_generic_plan; DEALLOCATE ALL; PREPARE bench_plan AS {sql}"
    )))
    .execute(&mut *connection)
    .await?;
    let nulls = vec!["NULL"; placeholders(sql)].join(", ");
    let execute = if nulls.is_empty() {
        "EXPLAIN EXECUTE bench_plan".to_owned()
    } else {
        format!("EXPLAIN EXECUTE bench_plan({nulls})")
    };
    let rows: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(execute))
        .fetch_all(&mut *connection)
        .await?;
    sqlx::raw_sql("DEALLOCATE bench_plan; RESET plan_cache_mode")
        .execute(&mut *connection)
        .await?;
    Ok(rows.into_iter().map(|(line,)| line).collect())
}

/// The highest `$n` in a statement.
fn placeholders(sql: &str) -> usize {
    sql.split('$')
        .skip(1)
        .filter_map(|after| {
            let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .max()
        .unwrap_or(0)
}
