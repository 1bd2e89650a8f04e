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

#[tokio::test]
async fn a_kept_password_goes_only_to_the_server_it_was_given_for() {
    let app = spawn_app_with(|config| config.private_rep_mailboxes = true).await;
    let aiko = app.login(DEMO_REP).await;
    let mailbox = new_mailbox();
    let kept = app
        .put("/me/mailbox", &aiko, &settings(&mailbox, Some("secret")))
        .await;
    assert_eq!(kept.status(), StatusCode::OK);

    // Somewhere else that listens: a kept password must never be tried there.
    let elsewhere = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = elsewhere.local_addr().unwrap().port();
    let mut moved = settings(&mailbox, None);
    moved["port"] = json!(port);
    let mut renamed = settings(&mailbox, None);
    renamed["user"] = json!(format!("{mailbox}-other"));
    let mut encrypted = settings(&mailbox, None);
    encrypted["tls"] = json!(true);
    let mut rehosted = settings(&mailbox, None);
    rehosted["host"] = json!("localhost");
    for changed in [moved, renamed, encrypted, rehosted] {
        let refused = app.put("/me/mailbox", &aiko, &changed).await;
        let problem = assert_problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(problem["field"], "password", "{changed}: {problem}");
        assert!(
            problem["detail"].as_str().unwrap().contains("again"),
            "{problem}"
        );
    }
    let knocked = tokio::time::timeout(Duration::from_millis(300), elsewhere.accept()).await;
    assert!(knocked.is_err(), "nothing connected to the other server");
    // The folder alone changes without it, as before.
    let mut folder = settings(&mailbox, None);
    folder["mailbox"] = json!("INBOX");
    assert_eq!(
        app.put("/me/mailbox", &aiko, &folder).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_public_mailbox_is_read_over_tls_on_an_imap_port_only() {
    let app = spawn_app_with(|_| {}).await;
    let aiko = app.login(DEMO_REP).await;
    // An address out on the internet: refused before anything connects to it.
    let plain =
        json!({ "host": "192.0.2.1", "port": 143, "tls": false, "user": "u", "password": "p" });
    let problem = assert_problem(
        app.put("/me/mailbox", &aiko, &plain).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    // 192.0.2.0/24 is for documentation: not public, so the private-network refusal answers.
    assert_eq!(problem["field"], "host", "{problem}");
    let plain =
        json!({ "host": "8.8.8.8", "port": 143, "tls": false, "user": "u", "password": "p" });
    let problem = assert_problem(
        app.put("/me/mailbox", &aiko, &plain).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(problem["field"], "tls", "{problem}");
    let smtp_port =
        json!({ "host": "8.8.8.8", "port": 25, "tls": true, "user": "u", "password": "p" });
    let problem = assert_problem(
        app.put("/me/mailbox", &aiko, &smtp_port).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(problem["field"], "port", "{problem}");
    assert_eq!(app.get_json("/me/mailbox", &aiko).await, Value::Null);
}

#[tokio::test]
async fn a_message_over_the_size_cap_is_passed_over_with_a_note_and_the_next_is_read() {
    let app = spawn_app_with(|config| config.private_rep_mailboxes = true).await;
    let aiko = app.login(DEMO_REP).await;
    let mailbox = new_mailbox();
    let (hers, her_message) = sent(&app, &aiko, 0).await;
    // A reply with a 26 MB attachment, then a plain reply.
    let mut huge = fixture("reply.eml", &her_message);
    let body_at = huge
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .or_else(|| huge.windows(2).position(|w| w == b"\n\n"))
        .unwrap();
    let padding = "X".repeat(76) + "\r\n";
    let lines = 26 * 1024 * 1024 / padding.len() + 1;
    let mut tail = huge.split_off(body_at);
    tail.extend(padding.repeat(lines).into_bytes());
    huge.extend(b"\r\nX-Padding: large".iter());
    huge.extend(tail);
    assert!(huge.len() as u64 > server::mailbox::watcher::MAX_MESSAGE_BYTES);
    deliver(&mailbox, &huge).await;
    let (second, second_message) = sent(&app, &aiko, 1).await;
    deliver(&mailbox, &fixture("reply.eml", &second_message)).await;

    let kept = app
        .put("/me/mailbox", &aiko, &settings(&mailbox, Some("secret")))
        .await;
    assert_eq!(kept.status(), StatusCode::OK);
    let mut waited = 0;
    while replies(&app, second, &aiko).await == 0 {
        assert!(
            waited < 400,
            "the reply after the large message was not read"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
        waited += 1;
    }
    assert_eq!(
        replies(&app, hers, &aiko).await,
        0,
        "the large one was not read"
    );
    let mut status = app.get_json("/me/mailbox", &aiko).await;
    for _ in 0..100 {
        if status["error"].is_string() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        status = app.get_json("/me/mailbox", &aiko).await;
    }
    assert!(
        status["error"]
            .as_str()
            .unwrap_or_default()
            .contains("over 25 MB"),
        "{status}"
    );
}
