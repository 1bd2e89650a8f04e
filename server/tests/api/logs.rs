//! The server's log, as `RUST_LOG` shows it: every request a span with its id (answered in
//! `X-Request-Id`), method, route, status and duration; every send names its email.

use crate::helpers::{free_port, sign_in, ServerProcess, DEMO_REP};
use serde_json::{json, Value};

#[tokio::test]
async fn every_request_and_every_send_is_followed_in_the_log_by_its_id() {
    let data = tempfile::tempdir().unwrap();
    let log = data.path().join("server.log");
    let port = free_port();
    // An SMTP server that is not there, and no retries: the send fails at once.
    let _server = ServerProcess::start_logging(
        &data.path().join("data"),
        port,
        &["--smtp-url", "smtp://127.0.0.1:9", "--smtp-retries", ""],
        &log,
    )
    .await;
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let client = reqwest::Client::new();
    let token = sign_in(&client, &base, DEMO_REP).await;

    let response = client
        .get(format!("{base}/emails/not-a-number"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(id.len(), 16, "a new id: {id}");
    // A caller's own id is kept when it is a plain token, and replaced when it is not.
    let kept = client
        .get(format!("{base}/health"))
        .header("x-request-id", "lb-7f3a.1")
        .send()
        .await
        .unwrap();
    assert_eq!(kept.headers()["x-request-id"], "lb-7f3a.1");
    let replaced = client
        .get(format!("{base}/health"))
        .header("x-request-id", "a b\"c")
        .send()
        .await
        .unwrap();
    assert_ne!(replaced.headers()["x-request-id"], "a b\"c");

    let people: Value = client
        .get(format!("{base}/people?limit=1"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let email: Value = client
        .post(format!("{base}/emails"))
        .bearer_auth(&token)
        .json(&json!({ "person_id": people["items"][0]["id"], "subject": "Logged", "body": "<p>Hi</p>" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let email_id = email["id"].as_i64().unwrap();

    let wanted_request = format!("request{{id={id} method=GET route=/api/v1/emails/{{id}}}}");
    let wanted_send = format!("send{{email={email_id} ");
    let mut text = String::new();
    for _ in 0..100 {
        text = std::fs::read_to_string(&log).unwrap();
        if text.contains(&wanted_request) && text.contains(&wanted_send) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let request_line = text
        .lines()
        .find(|line| line.contains(&wanted_request) && line.contains("answered"))
        .unwrap_or_else(|| panic!("no line of request {id}:\n{text}"));
    assert!(request_line.contains("status=404"), "{request_line}");
    assert!(request_line.contains("ms="), "{request_line}");
    let send_line = text
        .lines()
        .find(|line| line.contains(&wanted_send) && line.contains("failed"))
        .unwrap_or_else(|| panic!("no line of the failed send of email {email_id}:\n{text}"));
    assert!(send_line.contains("WARN"), "{send_line}");
}
