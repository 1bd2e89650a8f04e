//! A rep's own mailbox, against the real IMAP server the other mailbox tests use: kept only once
//! the server has signed in to it, its password sealed (never shown, never stored as typed), read
//! for replies to that rep's emails and nothing else of theirs kept, changed without typing the
//! password again, and forgotten on removal. Reps may not point the server at private networks
//! unless the operator allows it.

use crate::helpers::{assert_problem, spawn_app_with, TestApp, DEMO_REP, OTHER_REP};
use crate::mailbox::{deliver, fixture, imap_address, new_mailbox, sent};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::Duration;

fn settings(mailbox: &str, password: Option<&str>) -> Value {
    let address = imap_address();
    let (host, port) = address.rsplit_once(':').unwrap();
    let mut settings = json!({
        "host": host,
        "port": port.parse::<u16>().unwrap(),
        "tls": false,
        "user": mailbox,
        "mailbox": "INBOX",
    });
    if let Some(password) = password {
        settings["password"] = json!(password);
    }
    settings
}

async fn replies(app: &TestApp, email: i64, token: &str) -> i64 {
    app.get_json(&format!("/emails/{email}"), token).await["replies"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn a_reps_mailbox_is_kept_once_it_opens_and_is_read_for_their_emails_alone() {
    let app = spawn_app_with(|config| config.private_rep_mailboxes = true).await;
    let aiko = app.login(DEMO_REP).await;
    let ben = app.login(OTHER_REP).await;
    let mailbox = new_mailbox();
    assert_eq!(app.get_json("/me/mailbox", &aiko).await, Value::Null);

    // A password the server refuses: nothing kept, and the rep is told which field.
    let refused = app
        .put("/me/mailbox", &aiko, &settings(&mailbox, Some("wrong")))
        .await;
    let problem = assert_problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["field"], "password", "{problem}");
    assert_eq!(app.get_json("/me/mailbox", &aiko).await, Value::Null);
    // Without a password and none kept, there is nothing to sign in with.
    let missing = app
        .put("/me/mailbox", &aiko, &settings(&mailbox, None))
        .await;
    assert_problem(missing, StatusCode::UNPROCESSABLE_ENTITY).await;

    let kept = app
        .put("/me/mailbox", &aiko, &settings(&mailbox, Some("secret")))
        .await;
    assert_eq!(kept.status(), StatusCode::OK);
    let kept: Value = kept.json().await.unwrap();
    assert_eq!(kept["user"], mailbox.as_str());
    assert!(kept.get("password").is_none(), "{kept}");
    let (stored,): (String,) = sqlx::query_as("SELECT password FROM rep_mailboxes")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(stored.starts_with("v1:") && !stored.contains("secret"));
    // Ben has none: Aiko's is hers alone.
    assert_eq!(app.get_json("/me/mailbox", &ben).await, Value::Null);

    let (hers, her_message) = sent(&app, &aiko, 0).await;
    let (his, his_message) = sent(&app, &ben, 0).await;
    // In her mailbox: a reply to her email, a reply to Ben's, and her own other mail.
    deliver(&mailbox, &fixture("reply.eml", &his_message)).await;
    deliver(&mailbox, &fixture("unrelated.eml", "")).await;
    deliver(&mailbox, &fixture("reply.eml", &her_message)).await;
    let mut waited = 0;
    while replies(&app, hers, &aiko).await == 0 {
        assert!(waited < 200, "the reply in Aiko's mailbox was not read");
        tokio::time::sleep(Duration::from_millis(50)).await;
        waited += 1;
    }
    assert_eq!(replies(&app, his, &ben).await, 0, "Ben's email is not hers");
    let kinds: Vec<(String, Option<i64>)> =
        sqlx::query_as("SELECT kind, email_id FROM inbound_messages")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(
        kinds,
        [("reply".to_owned(), Some(hers))],
        "nothing else is kept"
    );
    let status = app.get_json("/me/mailbox", &aiko).await;
    assert!(status["read_at"].is_string(), "{status}");
    assert_eq!(status["error"], Value::Null);

    // Another folder, the password left as it was: the server signs in with the kept one.
    let mut other_folder = settings(&mailbox, None);
    other_folder["mailbox"] = json!("Nowhere");
    let no_folder = app.put("/me/mailbox", &aiko, &other_folder).await;
    let problem = assert_problem(no_folder, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["field"], "mailbox", "{problem}");
    let same = app
        .put("/me/mailbox", &aiko, &settings(&mailbox, None))
        .await;
    assert_eq!(same.status(), StatusCode::OK);

    let removed = app.delete("/me/mailbox", &aiko).await;
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.get_json("/me/mailbox", &aiko).await, Value::Null);
    let audit = app
        .get_json(
            "/audit?action=profile_changed",
            &app.login("admin@example.com").await,
        )
        .await;
    let details: Vec<&str> = audit["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|event| event["detail"].as_str())
        .collect();
    assert!(details.contains(&"mailbox removed"), "{audit}");
    assert!(
        details
            .iter()
            .any(|d| d.starts_with(&format!("mailbox: {mailbox}@"))),
        "{audit}"
    );
}

#[tokio::test]
async fn a_rep_cannot_point_the_server_at_a_private_network_unless_allowed() {
    let app = spawn_app_with(|_| {}).await;
    let aiko = app.login(DEMO_REP).await;
    for host in ["127.0.0.1", "localhost", "10.0.0.1"] {
        let mut private = settings(&new_mailbox(), Some("secret"));
        private["host"] = json!(host);
        let refused = app.put("/me/mailbox", &aiko, &private).await;
        let problem = assert_problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(problem["field"], "host", "{host}: {problem}");
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains("private network"),
            "{host}: {problem}"
        );
    }
    let not_a_host = app
        .put(
            "/me/mailbox",
            &aiko,
            &json!({ "host": "imap example.com", "port": 993, "tls": true, "user": "u", "password": "p" }),
        )
        .await;
    assert_problem(not_a_host, StatusCode::UNPROCESSABLE_ENTITY).await;
    let signed_out = app
        .put("/me/mailbox", "", &settings(&new_mailbox(), Some("secret")))
        .await;
    assert_eq!(signed_out.status(), StatusCode::UNAUTHORIZED);
}
