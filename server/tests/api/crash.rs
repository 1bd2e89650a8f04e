//! Kill -9 the real server mid-batch while it sends through SMTP, restart it, and count what
//! the SMTP server received: nothing lost, nothing sent twice, every email in one final state.

use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::process::{Child, Command};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn start(data: &std::path::Path, port: u16, smtp: u16) -> Server {
    let child = Command::new(env!("CARGO_BIN_EXE_command-center-server"))
        .args([
            "--port",
            &port.to_string(),
            "--demo",
            "--smtp-url",
            &format!("smtp://127.0.0.1:{smtp}"),
        ])
        .arg("--data-dir")
        .arg(data)
        .env("RUST_LOG", "warn")
        .spawn()
        .unwrap();
    let server = Server(child);
    let client = reqwest::Client::new();
    for _ in 0..200 {
        if client
            .get(format!("http://127.0.0.1:{port}/api/v1/health"))
            .send()
            .await
            .is_ok()
        {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not start");
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
    let session: Value = client
        .post(format!("{base}/session"))
        .json(&json!({ "email": "aiko@example.com", "password": "demo" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = session["token"].as_str().unwrap().to_owned();
    let people: Value = client
        .get(format!("{base}/people"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let person = people["items"][0]["id"].as_i64().unwrap();
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
