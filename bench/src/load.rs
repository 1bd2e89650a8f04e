//! The load generator: this same binary, started again as a second process (`--load`), keeps 64
//! connections busy against the running server for a while and reports what it saw as JSON.
//! Given several instances (their bases joined by commas), the connections are shared out among
//! them in turn, as a round-robin load balancer would.

use serde_json::json;
use std::time::{Duration, Instant};

pub struct Load {
    pub base: String,
    pub token: String,
    pub seconds: u64,
    pub connections: usize,
}

/// The requests a rep's browser makes most: folder pages and counts.
const PATHS: [&str; 4] = [
    "/emails?folder=delivered&limit=50",
    "/emails/counts",
    "/emails?folder=scheduled&limit=50",
    "/tasks/counts",
];

pub async fn run(load: Load) -> anyhow::Result<serde_json::Value> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(load.connections)
        .build()?;
    let deadline = Instant::now() + Duration::from_secs(load.seconds);
    let mut workers = Vec::new();
    for worker in 0..load.connections {
        let bases: Vec<&str> = load.base.split(',').collect();
        let base = bases[worker % bases.len()].to_owned();
        let (client, token) = (client.clone(), load.token.clone());
        workers.push(tokio::spawn(async move {
            let mut taken = Vec::new();
            let mut errors = 0_u64;
            let mut n = worker;
            while Instant::now() < deadline {
                let started = Instant::now();
                let ok = match client
                    .get(format!("{base}{}", PATHS[n % PATHS.len()]))
                    .bearer_auth(&token)
                    .send()
                    .await
                {
                    Ok(response) => {
                        response.status().is_success() && response.bytes().await.is_ok()
                    }
                    Err(_) => false,
                };
                if ok {
                    taken.push(started.elapsed());
                } else {
                    errors += 1;
                }
                n += 1;
            }
            (taken, errors)
        }));
    }
    let started = Instant::now();
    let mut taken = Vec::new();
    let mut errors = 0;
    for worker in workers {
        let (t, e) = worker.await?;
        taken.extend(t);
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64().max(load.seconds as f64);
    taken.sort();
    let ms = |q: f64| {
        taken
            .get(((taken.len().max(1) - 1) as f64 * q).round() as usize)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    Ok(json!({
        "seconds": load.seconds,
        "connections": load.connections,
        "requests": taken.len(),
        "requests_per_s": taken.len() as f64 / elapsed,
        "p50_ms": ms(0.5),
        "p99_ms": ms(0.99),
        "errors": errors,
    }))
}
