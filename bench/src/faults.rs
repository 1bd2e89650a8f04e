//! Load with faults: 64 connections of mixed reads and writes for 30 s against a server on the
//! demo data while its sender delivers a batch, and meanwhile a burst of 1,000 tracking hits from
//! one address and 20 wrong passwords. Reports latency and every status seen; the only failures
//! expected are the limits' own 429s.

use anyhow::Context;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const SECONDS: u64 = 30;
const CONNECTIONS: usize = 64;
const TRACKING_HITS: usize = 1_000;
const WRONG_PASSWORDS: usize = 20;

/// What one kind of request got: status → how many.
type Statuses = Arc<Mutex<BTreeMap<String, BTreeMap<u16, u64>>>>;

fn count(statuses: &Statuses, what: &str, status: u16) {
    let mut statuses = statuses.lock().unwrap();
    *statuses
        .entry(what.to_owned())
        .or_default()
        .entry(status)
        .or_default() += 1;
}

pub async fn run(root: &std::path::Path) -> anyhow::Result<Value> {
    let fresh = crate::serve::fresh_demo(root, "faults", |c| c.sender_interval_ms = 200).await?;
    let (db, origin, base) = (fresh.db.clone(), fresh.origin.clone(), fresh.base());
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONNECTIONS)
        .build()?;
    let token = crate::serve::sign_in(&client, &base, "aiko@example.com").await?;

    // The sender's work: an email to each of the rep's people, due now.
    let people: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM people WHERE owner_id = 1 AND deleted_at IS NULL
               AND opted_out_at IS NULL AND do_not_contact_at IS NULL AND first_name <> ''
             LIMIT 200",
    )
    .fetch_all(&db)
    .await?;
    let recipients: Vec<Value> = people
        .iter()
        .map(|(id,)| json!({ "person_id": id }))
        .collect();
    let queued = client
        .post(format!("{base}/emails/batch"))
        .bearer_auth(&token)
        .json(&json!({ "kind": "individual", "recipients": recipients,
                       "subject": "Load with faults", "body": "<p>Hi {{first_name}}</p>" }))
        .send()
        .await?;
    anyhow::ensure!(
        queued.status().is_success(),
        "queueing the batch: {}",
        queued.text().await?
    );
    // A pixel to hit: the first of the batch the sender delivers.
    let mut pixel = None;
    for _ in 0..100 {
        pixel = sqlx::query_as::<_, (String,)>(
            "SELECT tracking_token FROM emails
             WHERE status = 'delivered' AND tracking_token IS NOT NULL LIMIT 1",
        )
        .fetch_optional(&db)
        .await?;
        if pixel.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (pixel,) = pixel.context("the sender delivered nothing in 10 s")?;

    let statuses = Statuses::default();
    let deadline = Instant::now() + Duration::from_secs(SECONDS);
    let mut workers = Vec::new();
    for worker in 0..CONNECTIONS {
        let (client, base, token, statuses) = (
            client.clone(),
            base.clone(),
            token.clone(),
            statuses.clone(),
        );
        workers.push(tokio::spawn(async move {
            let mut taken = Vec::new();
            let mut n = worker;
            while Instant::now() < deadline {
                let started = Instant::now();
                // Three reads to a write, as a rep's browser makes them.
                let (what, request) = match n % 4 {
                    0 => (
                        "folder page",
                        client.get(format!("{base}/emails?folder=delivered&limit=50")),
                    ),
                    1 => ("counts", client.get(format!("{base}/emails/counts"))),
                    2 => ("tasks", client.get(format!("{base}/tasks?view=today"))),
                    _ => (
                        "new task",
                        client
                            .post(format!("{base}/tasks"))
                            .json(&json!({ "title": format!("Call back {n}"), "kind": "call" })),
                    ),
                };
                let status = match request.bearer_auth(&token).send().await {
                    Ok(response) => {
                        let status = response.status().as_u16();
                        let _ = response.bytes().await;
                        status
                    }
                    Err(_) => 0,
                };
                taken.push(started.elapsed());
                count(&statuses, what, status);
                n += 1;
            }
            taken
        }));
    }
    // The faults, a few seconds in.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let hits = (0..TRACKING_HITS).map(|i| {
        let (client, url, statuses) = (
            client.clone(),
            format!("{origin}/t/v/{pixel}.gif"),
            statuses.clone(),
        );
        async move {
            let status = client
                .get(url)
                .header("user-agent", format!("Scanner {i}"))
                .send()
                .await
                .map_or(0, |r| r.status().as_u16());
            count(&statuses, "tracking hit", status);
        }
    });
    futures_util::future::join_all(hits).await;
    for _ in 0..WRONG_PASSWORDS {
        let status = client
            .post(format!("{base}/session"))
            .json(&json!({ "email": "ben@example.com", "password": "guess" }))
            .send()
            .await
            .map_or(0, |r| r.status().as_u16());
        count(&statuses, "wrong password", status);
    }

    let mut taken = Vec::new();
    for worker in workers {
        taken.extend(worker.await?);
    }
    taken.sort();
    let ms = |q: f64| {
        taken
            .get(((taken.len().max(1) - 1) as f64 * q).round() as usize)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    let statuses = statuses.lock().unwrap().clone();
    let intended = |what: &str, status: u16| {
        matches!(
            (what, status),
            ("tracking hit", 429) | ("wrong password", 401 | 429)
        )
    };
    let errors: u64 = statuses
        .iter()
        .flat_map(|(what, by)| by.iter().map(move |(s, n)| (what, *s, *n)))
        .filter(|(what, status, _)| !(200..300).contains(status) && !intended(what, *status))
        .map(|(_, _, n)| n)
        .sum();
    let (sent,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM emails WHERE subject = 'Load with faults' AND status = 'delivered'",
    )
    .fetch_one(&db)
    .await?;
    Ok(json!({
        "seconds": SECONDS,
        "connections": CONNECTIONS,
        "requests": taken.len(),
        "requests_per_s": taken.len() as f64 / SECONDS as f64,
        "p50_ms": ms(0.5),
        "p99_ms": ms(0.99),
        "statuses": statuses,
        "unintended_errors": errors,
        "batch_emails": people.len(),
        "batch_delivered": sent,
    }))
}
