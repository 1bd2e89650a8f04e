//! Kill -9 the real server mid-batch while it sends through SMTP, restart it, and count what
//! the SMTP server received: nothing lost, nothing sent twice, every email in one final state.

use crate::helpers::{free_port, ServerProcess};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

async fn start(data: &std::path::Path, port: u16, smtp: u16) -> ServerProcess {
    ServerProcess::start(
        data,
        port,
        &["--smtp-url", &format!("smtp://127.0.0.1:{smtp}")],
    )
    .await
}

#[tokio::test]
async fn a_killed_sender_neither_loses_nor_doubles_an_email() {
    let received = Arc::new(Mutex::new(Vec::new()));
    // Slow acceptance: the batch is still going when the server is killed.
    let smtp = server::outbox::sink::start(received.clone(), Duration::from_millis(250))
        .await
        .unwrap();
    let data = tempfile::tempdir().unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let client = reqwest::Client::new();

    let mut server = start(data.path(), port, smtp).await;
    let token = crate::helpers::sign_in(&client, &base, "aiko@example.com").await;
    let person = crate::helpers::first_person(&client, &base, &token).await;
    let mut ids = Vec::new();
    for n in 0..120 {
        let response = client
            .post(format!("{base}/emails"))
            .bearer_auth(&token)
            .json(&json!({ "person_id": person, "subject": format!("Batch {n}"), "body": "<p>Hello</p>" }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        ids.push(
            response.json::<Value>().await.unwrap()["id"]
                .as_i64()
                .unwrap(),
        );
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    server.0.kill().unwrap(); // SIGKILL: no shutdown code runs.
    server.0.wait().unwrap();
    let before_restart = received.lock().unwrap().len();
    assert!(
        before_restart < ids.len(),
        "killed mid-batch ({before_restart} sent)"
    );

    let _server = start(data.path(), port, smtp).await;
    let mut finals = HashMap::new();
    for _ in 0..300 {
        finals.clear();
        for id in &ids {
            let email: Value = client
                .get(format!("{base}/emails/{id}"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            finals.insert(*id, email);
        }
        if finals
            .values()
            .all(|e| e["status"] == "delivered" || e["status"] == "failed")
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let received = received.lock().unwrap().clone();
    let mut copies: HashMap<&str, usize> = HashMap::new();
    for message_id in &received {
        *copies.entry(message_id.as_str()).or_default() += 1;
    }
    assert!(
        copies.values().all(|n| *n == 1),
        "no Message-ID received twice: {copies:?}"
    );
    let mut interrupted = 0;
    for (id, email) in &finals {
        match email["status"].as_str().unwrap() {
            "delivered" => {
                let message_id = email["message_id"].as_str().unwrap();
                assert_eq!(
                    copies.get(message_id),
                    Some(&1),
                    "delivered email {id} was received once"
                );
            }
            "failed" => {
                assert!(
                    email["failure_reason"]
                        .as_str()
                        .unwrap()
                        .contains("interrupted"),
                    "{email}"
                );
                interrupted += 1;
            }
            other => panic!("email {id} ended {other}"),
        }
    }
    // Only the messages in flight at the kill have an unknown outcome.
    assert!(
        interrupted <= server::outbox::sender::SEND_CONCURRENCY,
        "{interrupted} interrupted"
    );
    assert!(received.len() >= ids.len() - interrupted && received.len() <= ids.len());
}

/// A campaign of three automatic emails: each delivery makes the next step in the transaction
/// that records it. Killed with -9 while deliveries go on and restarted, no person gets a step
/// twice or loses one, and no email reaches the SMTP server twice.
#[tokio::test]
async fn a_killed_server_neither_doubles_nor_loses_a_campaign_step() {
    const PEOPLE: usize = 30;
    const STEPS: i64 = 3;
    let received = Arc::new(Mutex::new(Vec::new()));
    let smtp = server::outbox::sink::start(received.clone(), Duration::from_millis(40))
        .await
        .unwrap();
    let data = tempfile::tempdir().unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let client = reqwest::Client::new();
    let mut server = start(data.path(), port, smtp).await;
    let token = crate::helpers::sign_in(&client, &base, "aiko@example.com").await;
    let db = match crate::helpers::database_url_for(data.path()).await {
        Some(url) => server::db::connect_postgres(&url).await.unwrap().db,
        None => {
            server::db::connect_sqlite(&data.path().join("command-center.sqlite3"))
                .await
                .unwrap()
                .db
        }
    };
    let people: Vec<(i64,)> = sqlx::query_as(
        "SELECT p.id FROM people p JOIN users u ON u.id = p.owner_id
         WHERE u.email = 'aiko@example.com' AND p.deleted_at IS NULL
           AND p.opted_out_at IS NULL AND p.do_not_contact_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM emails e WHERE e.person_id = p.id AND e.status = 'bounced')
         ORDER BY p.id LIMIT $1",
    )
    .bind(PEOPLE as i64)
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(people.len(), PEOPLE);
    let post = |path: String, body: Value| {
        client
            .post(format!("{base}{path}"))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let campaign = post("/campaigns".into(), json!({ "name": "Crash course" }))
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    for n in 1..=STEPS {
        let step = json!({ "kind": "automatic_email", "subject": format!("Step {n}"),
                           "body": "<p>Hello {{first_name}}</p>" });
        let response = post(format!("/campaigns/{campaign}/steps"), step)
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let ids: Vec<i64> = people.iter().map(|(id,)| *id).collect();
    let response = post(
        format!("/campaigns/{campaign}/enrolments"),
        json!({ "person_ids": ids }),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), StatusCode::OK);

    // Killed once the first steps are partly through.
    for _ in 0..400 {
        if received.lock().unwrap().len() >= PEOPLE / 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.0.kill().unwrap();
    server.0.wait().unwrap();
    let before_restart = received.lock().unwrap().len();
    assert!(
        before_restart < PEOPLE * STEPS as usize,
        "killed midway ({before_restart} sent)"
    );

    let _server = start(data.path(), port, smtp).await;
    // Settled: nobody active with a step still in the sender's hands.
    let mut settled = false;
    for _ in 0..600 {
        let (unsettled,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM campaign_people m
             WHERE m.campaign_id = $1 AND m.state = 'active'",
        )
        .bind(campaign)
        .fetch_one(&db)
        .await
        .unwrap();
        if unsettled == 0 {
            settled = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(settled, "every enrolment completed or paused");

    let received = received.lock().unwrap().clone();
    let mut copies: HashMap<&str, usize> = HashMap::new();
    for message_id in &received {
        *copies.entry(message_id.as_str()).or_default() += 1;
    }
    assert!(copies.values().all(|n| *n == 1), "no Message-ID twice");
    // Each person has at most one email per step, and the steps they have are 1..=done+pending.
    let made: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT e.person_id, s.subject, e.status FROM emails e
         JOIN campaign_steps s ON s.id = e.campaign_step_id
         WHERE e.campaign_id = $1 ORDER BY e.person_id, s.position",
    )
    .bind(campaign)
    .fetch_all(&db)
    .await
    .unwrap();
    // (person, state, finish reason, steps done, pause reason)
    type Enrolled = (i64, String, Option<String>, i64, Option<String>);
    let enrolments: Vec<Enrolled> = sqlx::query_as(
        "SELECT person_id, state, finish_reason, done_steps, pause_reason
         FROM campaign_people WHERE campaign_id = $1",
    )
    .bind(campaign)
    .fetch_all(&db)
    .await
    .unwrap();
    let mut interrupted = 0;
    for (person, state, reason, done, pause_reason) in enrolments {
        let theirs: Vec<(&str, &str)> = made
            .iter()
            .filter(|(p, ..)| *p == person)
            .map(|(_, subject, status)| (subject.as_str(), status.as_str()))
            .collect();
        let delivered = theirs.iter().filter(|(_, s)| *s == "delivered").count() as i64;
        assert_eq!(delivered, done, "person {person}: {theirs:?}");
        match (state.as_str(), reason.as_deref()) {
            ("finished", Some("completed")) => {
                let expected: Vec<(String, &str)> = (1..=STEPS)
                    .map(|n| (format!("Step {n}"), "delivered"))
                    .collect();
                let expected: Vec<(&str, &str)> =
                    expected.iter().map(|(s, st)| (s.as_str(), *st)).collect();
                assert_eq!(theirs, expected, "person {person}");
            }
            // The send cut off by the kill: failed as interrupted, the person paused on it,
            // with nothing after it made.
            ("paused", None) => {
                assert_eq!(theirs.len() as i64, done + 1, "person {person}: {theirs:?}");
                assert_eq!(theirs.last().unwrap().1, "failed");
                assert!(
                    pause_reason.unwrap_or_default().contains("interrupted"),
                    "person {person}"
                );
                interrupted += 1;
            }
            other => panic!("person {person} ended {other:?}: {theirs:?}"),
        }
    }
    assert!(
        interrupted <= server::outbox::sender::SEND_CONCURRENCY,
        "{interrupted} interrupted"
    );
    let delivered = made.iter().filter(|(.., s)| s == "delivered").count();
    // A send cut off by the kill may or may not have reached the SMTP server; nothing else.
    assert!(received.len() >= delivered && received.len() <= delivered + interrupted);
}
