//! Defences not owned by one resource: bodies of bounded size (refused with 422 naming the field,
//! nothing written), a data directory only the server's user can read, and HSTS when served by
//! https, and a time limit on every request that ends (a body that never finishes included).
//! Sign-in limits, single sign-on and tracked links have their own files.

use crate::campaign_sequences::automatic_email;
use crate::helpers::{assert_problem, spawn_app, spawn_app_with, TestApp, DEMO_REP};
use api::batch::{BatchKind, BatchRecipient, NewBatch};
use api::endpoints::{campaigns, emails, templates};
use api::templates::TemplateInput;
use api::{NewCampaign, PersonId, MAX_BODY_BYTES};
use reqwest::StatusCode;
use serde_json::json;
use std::os::unix::fs::PermissionsExt;

async fn count(app: &TestApp, table: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
        .fetch_one(&app.db)
        .await
        .unwrap();
    n
}

/// A body one byte over the limit, valid HTML all the same.
fn oversized() -> String {
    let mut body = "<p>".to_owned();
    body.push_str(&"x".repeat(MAX_BODY_BYTES - "<p></p>".len() + 1));
    body.push_str("</p>");
    assert_eq!(body.len(), MAX_BODY_BYTES + 1);
    body
}

async fn refused_for_its_body(response: reqwest::Response) {
    let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["field"], "body", "{problem}");
    assert!(
        problem["detail"].as_str().unwrap().contains("256 KB"),
        "{problem}"
    );
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_naming_the_field_and_nothing_is_written() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let person = app.a_person_of(DEMO_REP).await;
    let body = oversized();
    let mut before = Vec::new();
    for table in ["emails", "templates", "campaign_steps"] {
        before.push(count(&app, table).await);
    }

    let email = json!({ "person_id": person, "subject": "Big", "body": body });
    refused_for_its_body(app.post("/emails", &token, &email).await).await;

    let template = TemplateInput {
        name: "Big".into(),
        subject: "Big".into(),
        body: body.clone(),
    };
    refused_for_its_body(app.send(&token, templates::create(&template)).await).await;

    let campaign = app
        .call(
            &token,
            campaigns::create(&NewCampaign { name: "Big".into() }),
        )
        .await
        .id;
    let mut step = automatic_email("Big", 0);
    step.body = body.clone();
    refused_for_its_body(app.send(&token, campaigns::add_step(campaign, &step)).await).await;

    let batch = NewBatch::new(
        BatchKind::Group,
        vec![BatchRecipient::to(PersonId(person))],
        "Big",
        &body,
    );
    refused_for_its_body(app.send(&token, emails::batch(&batch)).await).await;

    for (table, before) in ["emails", "templates", "campaign_steps"]
        .into_iter()
        .zip(before)
    {
        assert_eq!(
            count(&app, table).await,
            before,
            "nothing written to {table}"
        );
    }

    // At the limit, it is an email like any other.
    let mut fits = body;
    fits.replace_range(3..4, "");
    assert_eq!(fits.len(), MAX_BODY_BYTES);
    let email = json!({ "person_id": person, "subject": "Fits", "body": fits });
    assert_eq!(
        app.post("/emails", &token, &email).await.status(),
        StatusCode::CREATED
    );
}

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

#[tokio::test]
async fn the_data_directory_and_its_files_are_the_servers_user_alone() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let person = app.a_person_of(DEMO_REP).await;
    let email = json!({ "person_id": person, "subject": "Kept private", "body": "<p>Hi</p>" });
    let id = app.post_for_id("/emails", &token, &email).await;
    assert_eq!(app.settled_status(id).await, "delivered");

    let data = app.data_dir();
    assert_eq!(mode(&data), 0o700, "the data directory");
    assert_eq!(mode(&app.outbox), 0o700, "the outbox");
    let messages: Vec<_> = std::fs::read_dir(&app.outbox)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(!messages.is_empty());
    for message in messages {
        assert_eq!(mode(&message), 0o600, "{}", message.display());
    }
    // On SQLite, the database, its journals and the secret beside it.
    for entry in std::fs::read_dir(&data).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_file() && (name.starts_with("command-center") || name == "secret") {
            assert_eq!(mode(&path), 0o600, "{}", path.display());
        }
    }
}

#[tokio::test]
async fn strict_transport_security_only_when_served_by_https() {
    let plain = spawn_app().await;
    let response = plain.client.get(plain.url("/health")).send().await.unwrap();
    assert!(response
        .headers()
        .get("strict-transport-security")
        .is_none());

    let secure = spawn_app_with(|config| {
        config.public_url = Some("https://cc.example.com".into());
    })
    .await;
    let response = secure
        .client
        .get(secure.url("/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()["strict-transport-security"],
        "max-age=31536000"
    );
}

/// Sends `head` and as much of a body as `sent`, then waits for the answer without finishing.
async fn answer_to_an_unfinished_body(app: &TestApp, head: &str, sent: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = app.base.trim_start_matches("http://");
    let mut socket = tokio::net::TcpStream::connect(address).await.unwrap();
    socket.write_all(head.as_bytes()).await.unwrap();
    socket.write_all(sent.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(std::time::Duration::from_secs(20), async {
        let mut buffer = [0u8; 4096];
        while !String::from_utf8_lossy(&answer).contains("\r\n\r\n{") {
            let n = socket.read(&mut buffer).await.unwrap();
            if n == 0 {
                break;
            }
            answer.extend_from_slice(&buffer[..n]);
        }
    })
    .await;
    assert!(read.is_ok(), "no answer while the body was unfinished");
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn a_request_whose_body_never_finishes_is_stopped_at_the_time_limit() {
    let app = spawn_app_with(|config| config.request_time_limit_ms = 1_000).await;
    let token = app.login(DEMO_REP).await;
    let people_before = count(&app, "people").await;
    let address = app.base.trim_start_matches("http://");
    // A body promised at 1,000 bytes, 20 of them sent: a client holding the connection.
    let head = format!(
        "POST /api/v1/people HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nAccept-Language: ja\r\nContent-Length: 1000\r\n\r\n"
    );
    let answer = answer_to_an_unfinished_body(&app, &head, r#"{"first_name": "Slow"#).await;
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(
        answer.to_ascii_lowercase().contains("retry-after: 5"),
        "{answer}"
    );
    assert!(answer.contains("application/problem+json"), "{answer}");
    assert!(
        answer.contains("中止しました"),
        "in the caller's language: {answer}"
    );
    assert_eq!(count(&app, "people").await, people_before);

    // The live stream is not a request that ends: it stays open past the limit.
    let ticket = app.stream_ticket(&token).await;
    let mut stream = app
        .client
        .get(app.url(&format!("/stream?ticket={ticket}")))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    stream.chunk().await.unwrap().unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1_500)).await;
    let mine = app.an_email(DEMO_REP, "delivered", false).await;
    app.post(&format!("/emails/{mine}/archive"), &token, &json!({}))
        .await;
    let next = tokio::time::timeout(std::time::Duration::from_secs(5), stream.chunk())
        .await
        .expect("the stream still tells changes after the time limit")
        .unwrap()
        .unwrap();
    assert!(String::from_utf8_lossy(&next).contains("event: change"));
}
