//! Campaigns at scale: 10,000 people enrolled in a paused two-step campaign (an automatic email,
//! then a call), which is then resumed, so that all 10,000 first emails fall due at once. The
//! sender delivers them and each delivery makes that person's call task in the same transaction.
//! Reports how long until every one of them was advanced, and the folder counts' latency
//! (`GET /emails/counts`, sampled every 100 ms) meanwhile; checks none was sent twice.

use serde_json::{json, Value};
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const PEOPLE: i64 = 10_000;
/// The most people one enrolment request takes.
const PER_REQUEST: usize = 5_000;

pub async fn run(root: &std::path::Path) -> anyhow::Result<Value> {
    let received = Arc::new(Mutex::new(Vec::new()));
    let sink = server::outbox::sink::start(received.clone(), Duration::ZERO).await?;
    let fresh = crate::serve::fresh_demo(root, "campaigns", |c| {
        c.smtp_url = Some(format!("smtp://127.0.0.1:{sink}"));
    })
    .await?;
    let (db, base) = (fresh.db.clone(), fresh.base());
    let client = reqwest::Client::new();
    let token = crate::serve::sign_in(&client, &base, "aiko@example.com").await?;
    // Ten thousand more people of the rep's, none with history.
    let now = chrono::Utc::now().timestamp_millis();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
         INSERT INTO people (owner_id, first_name, last_name, email, email_key, company, created_at)
         SELECT u.id, 'Bench', 'Person ' || n.i, 'bench' || n.i || '@campaign.example',
                'bench' || n.i || '@campaign.example', 'Bench Inc', $2
         FROM n, users u WHERE u.email = 'aiko@example.com'",
    )
    .bind(PEOPLE)
    .bind(now)
    .execute(&db)
    .await?;
    let ids: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM people WHERE email LIKE 'bench%@campaign.example'")
            .fetch_all(&db)
            .await?;
    let ids: Vec<i64> = ids.into_iter().map(|(id,)| id).collect();

    let post = |path: String, body: Value| {
        client
            .post(format!("{base}{path}"))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let campaign: Value = post("/campaigns".into(), json!({ "name": "Bench at scale" }))
        .await?
        .error_for_status()?
        .json()
        .await?;
    let campaign = campaign["id"].as_i64().unwrap_or_default();
    for step in [
        json!({ "kind": "automatic_email", "subject": "Hello {{first_name}}", "body": "<p>Hi {{first_name}}</p>" }),
        json!({ "kind": "call", "subject": "Call {{first_name}}", "wait_days": 0 }),
    ] {
        post(format!("/campaigns/{campaign}/steps"), step)
            .await?
            .error_for_status()?;
    }
    post(format!("/campaigns/{campaign}/pause"), json!({}))
        .await?
        .error_for_status()?;
    let enrolling = Instant::now();
    for chunk in ids.chunks(PER_REQUEST) {
        post(
            format!("/campaigns/{campaign}/enrolments"),
            json!({ "person_ids": chunk }),
        )
        .await?
        .error_for_status()?;
    }
    let enrol_seconds = enrolling.elapsed().as_secs_f64();

    // Resumed: every first email is made, due now, in the resume's transaction.
    let started = Instant::now();
    post(format!("/campaigns/{campaign}/resume"), json!({}))
        .await?
        .error_for_status()?;
    let resume_seconds = started.elapsed().as_secs_f64();
    let mut counts_ms = Vec::new();
    let deadline = started + Duration::from_secs(600);
    let advanced = loop {
        let sampled = Instant::now();
        client
            .get(format!("{base}/emails/counts"))
            .bearer_auth(&token)
            .send()
            .await?
            .error_for_status()?;
        counts_ms.push(sampled.elapsed().as_secs_f64() * 1000.0);
        let (advanced,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM campaign_people
             WHERE campaign_id = $1 AND done_steps = 1 AND pending_task_id IS NOT NULL",
        )
        .bind(campaign)
        .fetch_one(&db)
        .await?;
        if advanced == PEOPLE || Instant::now() > deadline {
            break advanced;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let seconds = started.elapsed().as_secs_f64();
    fresh.served.abort();
    let messages = received.lock().expect("the sink's list").clone();
    let unique: HashSet<&String> = messages.iter().collect();
    counts_ms.sort_by(f64::total_cmp);
    let at = |q: f64| counts_ms[((counts_ms.len() - 1) as f64 * q).round() as usize];
    let result = json!({
        "enrolments": PEOPLE,
        "enrol_seconds": enrol_seconds,
        "resume_seconds": resume_seconds,
        "advanced": advanced,
        "seconds_to_advance_all": seconds,
        "advanced_per_s": advanced as f64 / seconds,
        "counts_samples": counts_ms.len(),
        "counts_p50_ms": at(0.5),
        "counts_p99_ms": at(0.99),
        "counts_max_ms": at(1.0),
        "duplicates": messages.len() - unique.len(),
    });
    let _ = std::fs::remove_dir_all(&fresh.dir);
    Ok(result)
}
