//! What the receiving SMTP server answers decides where an email ends: a refusal for good (5xx)
//! makes it Bounced with the server's reply; a refusal for now (4xx) is tried again after the
//! configured waits (none in tests), delivered once accepted, and failed with the reply once the
//! waits are spent. The test SMTP server refuses by the recipient's local part (see `sink`).

use crate::helpers::{spawn_app_with_smtp_sink, Received, TestApp, DEMO_REP};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A new person of the demo rep's at this address, sent an email now; the email's id.
async fn send_to(app: &TestApp, token: &str, address: &str) -> i64 {
    let response = app
        .post(
            "/people",
            token,
            &json!({ "first_name": "Pat", "last_name": "Lee", "email": address }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let person = response.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    app.post_for_id(
        "/emails",
        token,
        &json!({ "person_id": person, "subject": "Hello", "body": "<p>Hi {{first_name}}</p>" }),
    )
    .await
}

/// How many messages the SMTP server accepted for this address.
fn delivered_to(messages: &Received, address: &str) -> usize {
    messages
        .lock()
        .unwrap()
        .iter()
        .filter(|m| m.contains(address))
        .count()
}

#[tokio::test]
async fn a_permanent_refusal_bounces_the_email_with_the_servers_reply() {
    let (app, messages) = spawn_app_with_smtp_sink().await;
    let token = app.login(DEMO_REP).await;
    let id = send_to(&app, &token, "bounce-pat@example.com").await;
    assert_eq!(app.settled_status(id).await, "bounced");
    let email = app.get_json(&format!("/emails/{id}"), &token).await;
    let reason = email["failure_reason"].as_str().unwrap();
    assert!(
        reason.contains("550") && reason.contains("user unknown"),
        "{reason}"
    );
    let (bounces,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM email_events WHERE email_id = $1 AND kind = 'bounce'")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(bounces, 1);
    assert_eq!(delivered_to(&messages, "bounce-pat@example.com"), 0);
    // It is listed in Bounced.
    let bounced = app
        .get_json("/emails?folder=bounced&limit=50", &token)
        .await;
    assert!(bounced["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["id"] == id));
}

#[tokio::test]
async fn a_refusal_for_now_is_tried_again_and_delivered_once_accepted() {
    let (app, messages) = spawn_app_with_smtp_sink().await;
    let token = app.login(DEMO_REP).await;
    let id = send_to(&app, &token, "busy-once-pat@example.com").await;
    assert_eq!(app.settled_status(id).await, "delivered");
    let email = app.get_json(&format!("/emails/{id}"), &token).await;
    assert_eq!(email["failure_reason"], Value::Null, "{email}");
    assert_eq!(delivered_to(&messages, "busy-once-pat@example.com"), 1);
    let (attempts,): (i64,) = sqlx::query_as("SELECT send_attempts FROM emails WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(attempts, 0, "a delivery starts the count afresh");
}

#[tokio::test]
async fn refusals_for_now_past_the_last_wait_fail_the_email_with_the_reply() {
    let (app, messages) = spawn_app_with_smtp_sink().await;
    let token = app.login(DEMO_REP).await;
    let id = send_to(&app, &token, "busy-pat@example.com").await;
    assert_eq!(app.settled_status(id).await, "failed");
    let email = app.get_json(&format!("/emails/{id}"), &token).await;
    let reason = email["failure_reason"].as_str().unwrap();
    // Two waits configured: three attempts in all.
    assert!(
        reason.contains("450") && reason.contains("tried 3 times"),
        "{reason}"
    );
    assert_eq!(delivered_to(&messages, "busy-pat@example.com"), 0);
}
