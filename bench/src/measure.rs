//! Latency of the API beside the bare SQL it runs, through the same pool in the same process,
//! and the query plans of those statements.

use api::search::{Condition, Engagement, SearchQuery};
use sqlx::SqlitePool;
use std::future::Future;
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

/// Runs `run` `warmup` times unmeasured, then `samples` times.
pub async fn time<F, Fut>(name: &'static str, samples: usize, mut run: F) -> anyhow::Result<Latency>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    for _ in 0..samples.div_ceil(10) {
        run().await?;
    }
    let mut taken: Vec<Duration> = Vec::with_capacity(samples);
    for _ in 0..samples {
        let started = Instant::now();
        run().await?;
        taken.push(started.elapsed());
    }
    taken.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| ms(taken[((taken.len() - 1) as f64 * q).round() as usize]);
    Ok(Latency {
        name,
        p50_ms: at(0.50),
        p99_ms: at(0.99),
        mean_ms: ms(taken.iter().sum::<Duration>()) / taken.len() as f64,
    })
}

/// "In a campaign, viewed and clicked in the last 90 days, not replied": the product's example.
pub fn engaged_not_replied(campaign: i64) -> SearchQuery {
    let engaged = |engagement, negate| Condition::Engagement {
        engagement,
        negate,
        min_count: 1,
        window: (!negate).then_some(api::search::Window::LastDays { days: 90 }),
    };
    SearchQuery {
        all: vec![
            Condition::Campaign {
                ids: vec![campaign],
                negate: false,
            },
            engaged(Engagement::Viewed, false),
            engaged(Engagement::Clicked, false),
            engaged(Engagement::Replied, true),
        ],
        ..SearchQuery::default()
    }
}

/// `EXPLAIN QUERY PLAN` of a statement, one line per step.
/// Parameters are left unbound (NULL): the plan depends on the indexes, not the values.
pub async fn plan(db: &SqlitePool, sql: &str) -> anyhow::Result<Vec<String>> {
    let rows: Vec<(i64, i64, i64, String)> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")))
            .fetch_all(db)
            .await?;
    Ok(rows.into_iter().map(|(_, _, _, detail)| detail).collect())
}
