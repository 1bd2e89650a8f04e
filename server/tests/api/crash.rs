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
