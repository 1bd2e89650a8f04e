//! The server's figures: each API call three ways, over loopback HTTP (what a client sees), through
//! the router in this process (the API's own work: routing, auth, the query, JSON, with no socket)
//! and as the bare SQL through the same pool; then the query plans.

use crate::measure::{self, Latency, Run};
use api::UserId;
use axum::body::Body;
use axum::http::{header, Method, Request};
use serde_json::{json, Value};
use server::db::{Db, LimitedReads};
use tower::ServiceExt;

/// The bare SQL runs as the server runs it, with a time limit far past any figure measured.
const NO_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(60);

/// One API request, run either way.
#[derive(Clone)]
struct Call {
    method: Method,
    path: &'static str,
    body: Option<Value>,
}

impl Call {
    fn get(path: &'static str) -> Self {
        Call {
            method: Method::GET,
            path,
            body: None,
        }
    }
}

/// Where the API is and who is asking.
#[derive(Clone)]
pub struct Target {
    pub router: axum::Router,
    pub client: reqwest::Client,
    pub base: String,
    pub token: String,
}

impl Target {
    /// Over loopback HTTP, reading the whole answer as a browser would.
    async fn over_http(&self, call: &Call) -> anyhow::Result<()> {
        let mut request = self
            .client
            .request(call.method.clone(), format!("{}{}", self.base, call.path))
            .bearer_auth(&self.token);
        if let Some(body) = &call.body {
            request = request.json(body);
        }
        request.send().await?.error_for_status()?.bytes().await?;
        Ok(())
    }

    /// Through the same router, in this process: no socket, no HTTP parsing.
    async fn in_process(&self, call: &Call) -> anyhow::Result<()> {
        let body = match &call.body {
            Some(body) => Body::from(serde_json::to_vec(body)?),
            None => Body::empty(),
        };
        let request = Request::builder()
            .method(call.method.clone())
            .uri(format!("{}{}", api::API_PREFIX, call.path))
            .header(header::AUTHORIZATION, format!("Bearer {}", self.token))
            .header(header::CONTENT_TYPE, "application/json")
            .body(body)?;
        let response = self.router.clone().oneshot(request).await?;
        anyhow::ensure!(
            response.status().is_success(),
            "{}: {}",
            call.path,
            response.status()
        );
        axum::body::to_bytes(response.into_body(), usize::MAX).await?;
        Ok(())
    }

    /// This call over HTTP and in process, as ways for `measure::interleaved`.
    fn ways(&self, call: &Call) -> [Run<'static>; 2] {
        let (target, http_call) = (self.clone(), call.clone());
        let over_http: Run = Box::new(move || {
            let (target, call) = (target.clone(), http_call.clone());
            Box::pin(async move { target.over_http(&call).await })
        });
        let (target, call) = (self.clone(), call.clone());
        let in_process: Run = Box::new(move || {
            let (target, call) = (target.clone(), call.clone());
            Box::pin(async move { target.in_process(&call).await })
        });
        [over_http, in_process]
    }
}

/// One API call and the bare SQL it stands on.
struct Case {
    name: &'static str,
    samples: usize,
    call: Call,
    sql: Run<'static>,
    /// The target, where it sets one.
    target_p99_ms: Option<f64>,
}

/// The bare SQL of a case, as a way to time.
fn sql<F, Fut>(run: F) -> Run<'static>
where
    F: Fn() -> Fut + 'static,
    Fut: std::future::Future<Output = anyhow::Result<()>> + Send + 'static,
{
    Box::new(move || Box::pin(run()))
}

/// A statement run bare through the pool: `statement` makes it with its parameters bound.
fn bare<F>(db: &Db, statement: F) -> Run<'static>
where
    F: Fn() -> sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments> + 'static,
{
    let db = db.clone();
    sql(move || {
        let (db, statement) = (db.clone(), statement());
        async move {
            statement.fetch_all(&db).await?;
            Ok(())
        }
    })
}

struct Row {
    http: Latency,
    in_process: Latency,
    sql: Latency,
    /// The target, where it sets one.
    target_p99_ms: Option<f64>,
}

/// Each API call beside its bare SQL, the request floors, then the query plans.
pub async fn server(
    db: &Db,
    limited: &LimitedReads,
    target: &Target,
    samples: usize,
    report: &mut serde_json::Map<String, Value>,
) -> anyhow::Result<()> {
    let owner = UserId(1);
    let folder_sql = server::outbox::reads::FOLDER_PAGE_NEWEST_SQL;
    let counts_sql = server::outbox::reads::COUNTS_SQL;
    let query = measure::engaged_not_replied(1, None);
    // The same with "in the last 90 days" on the view and the click: read from the events.
    let windowed = measure::engaged_not_replied(1, Some(90));
    let now = chrono::Utc::now().timestamp_millis();
    let week_ago = now - 7 * 24 * 60 * 60 * 1000;
    let cases = [
        Case {
            name: "folder page (50 rows)",
            samples,
            call: Call::get("/emails?folder=delivered&limit=50"),
            sql: bare(db, move || {
                sqlx::query(folder_sql)
                    .bind(owner)
                    .bind("delivered")
                    .bind(i64::MAX)
                    .bind(i64::MAX)
                    .bind(i64::MAX)
                    .bind("%")
                    .bind(51_i64)
            }),
            target_p99_ms: Some(10.0),
        },
        Case {
            name: "all 8 counts",
            samples,
            call: Call::get("/emails/counts"),
            sql: bare(db, move || sqlx::query(counts_sql).bind(owner)),
            target_p99_ms: Some(5.0),
        },
        Case {
            name: "advanced search",
            samples: samples.min(20),
            call: Call {
                method: Method::POST,
                path: "/search",
                body: Some(json!({ "query": query })),
            },
            sql: sql({
                let (db, query) = (limited.clone(), query.clone());
                move || {
                    let (db, query) = (db.clone(), query.clone());
                    async move {
                        server::search::matching_emails(&db, &query, owner, now, NO_TIME_LIMIT)
                            .await?;
                        Ok(())
                    }
                }
            }),
            target_p99_ms: Some(100.0),
        },
        // Lists with no target of their own in the issue, watched all the same.
        Case {
            name: "search, 90-day windows",
            samples: samples.min(20),
            call: Call {
                method: Method::POST,
                path: "/search",
                body: Some(json!({ "query": windowed })),
            },
            sql: sql({
                let (db, query) = (limited.clone(), windowed.clone());
                move || {
                    let (db, query) = (db.clone(), query.clone());
                    async move {
                        server::search::matching_emails(&db, &query, owner, now, NO_TIME_LIMIT)
                            .await?;
                        Ok(())
                    }
                }
            }),
            target_p99_ms: None,
        },
        Case {
            name: "most engaged (7 days)",
            samples: samples.min(50),
            call: Call::get("/emails/most-engaged?days=7&limit=10"),
            sql: bare(db, move || {
                sqlx::query(server::outbox::reads::MOST_ENGAGED_SQL)
                    .bind(owner)
                    .bind(week_ago)
                    .bind(10_i64)
            }),
            target_p99_ms: None,
        },
        Case {
            name: "campaign list",
            samples,
            call: Call::get("/campaigns"),
            sql: bare(db, move || {
                sqlx::query(server::campaigns::CAMPAIGN_LIST_SQL).bind(owner)
            }),
            target_p99_ms: None,
        },
    ];
    let mut rows = Vec::new();
    for case in cases {
        let [over_http, in_process] = target.ways(&case.call);
        let mut timed =
            measure::interleaved(case.name, case.samples, &[over_http, in_process, case.sql])
                .await?
                .into_iter();
        let mut next = || timed.next().expect("one latency per way");
        rows.push(Row {
            http: next(),
            in_process: next(),
            sql: next(),
            target_p99_ms: case.target_p99_ms,
        });
    }

    // The floor under every API figure: a request that reads nothing (`/health`) and one that
    // only checks the session (`/me`). Over HTTP, a ratio to a sub-millisecond query is mostly this.
    let mut floors = Vec::new();
    for (name, path) in [
        ("request floor: /health", "/health"),
        ("request floor: /me (auth)", "/me"),
    ] {
        let timed = measure::interleaved(name, samples, &target.ways(&Call::get(path))).await?;
        floors.push((timed[0].clone(), timed[1].clone()));
    }

    println!("\n== Server, rep 1 (the heaviest), {samples} samples; API/SQL target ≤ 2×");
    println!(
        "  {:<26} {:>15} {:>15} {:>15} {:>7} {:>15}",
        "", "HTTP p50/p99", "in-proc p50/p99", "SQL p50/p99", "target", "API/SQL (p50)"
    );
    let pair = |l: &Latency| format!("{:.2}/{:.2}ms", l.p50_ms, l.p99_ms);
    let mut server_json = serde_json::Map::new();
    for row in &rows {
        let http_ratio = row.http.p50_ms / row.sql.p50_ms.max(0.001);
        let in_process_ratio = row.in_process.p50_ms / row.sql.p50_ms.max(0.001);
        println!(
            "  {:<26} {:>15} {:>15} {:>15} {:>7}  {:.2}× in-proc, {:.2}× HTTP",
            row.http.name,
            pair(&row.http),
            pair(&row.in_process),
            pair(&row.sql),
            row.target_p99_ms
                .map_or_else(|| "—".to_owned(), |ms| format!("{ms:.0}ms")),
            in_process_ratio,
            http_ratio
        );
        server_json.insert(
            row.http.name.into(),
            json!({
                "api": row.http.json(),
                "api_in_process": row.in_process.json(),
                "bare_sql": row.sql.json(),
                "target_p99_ms": row.target_p99_ms,
                "api_over_sql_p50": http_ratio,
                "api_in_process_over_sql_p50": in_process_ratio,
            }),
        );
    }
    for (http, in_process) in &floors {
        println!(
            "  {:<26} {:>15} {:>15}",
            http.name,
            pair(http),
            pair(in_process)
        );
        server_json.insert(
            http.name.into(),
            json!({ "api": http.json(), "api_in_process": in_process.json() }),
        );
    }
    report.insert("server".into(), Value::Object(server_json));

    println!("\n== Query plans");
    let search_sql = server::search::compile(&query, owner, now).sql;
    let mut plans = serde_json::Map::new();
    for (name, sql) in [
        ("folder page", folder_sql),
        ("counts", counts_sql),
        ("advanced search", &search_sql),
        ("most engaged", server::outbox::reads::MOST_ENGAGED_SQL),
        ("campaign list", server::campaigns::CAMPAIGN_LIST_SQL),
    ] {
        // PostgreSQL cannot plan a statement whose parameter types it cannot infer unbound.
        let plan = measure::plan(db, sql)
            .await
            .unwrap_or_else(|e| vec![format!("(no plan: {e})")]);
        println!("  {name}:");
        for step in &plan {
            println!("    {step}");
        }
        plans.insert(name.into(), json!(plan));
    }
    report.insert("plans".into(), Value::Object(plans));
    Ok(())
}
