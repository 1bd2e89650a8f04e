//! The sender: sending through the outbox transport, merge fields, schedules, and recovery
//! after a crash.

use crate::helpers::{spawn_app, TestApp, DEMO_REP};
use reqwest::StatusCode;
use serde_json::{json, Value};
use server::outbox::mail::outbox_file;
use server::{Application, Config};

async fn compose(app: &TestApp, token: &str, body: Value) -> i64 {
    let response = app.post("/emails", token, &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn send_now_delivers_a_message_with_merge_fields_tracked_links_and_a_pixel() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let person = app.a_person_of(DEMO_REP).await;
    let (first_name, company): (String, String) =
        sqlx::query_as("SELECT first_name, company FROM people WHERE id = $1")
            .bind(person)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let id = compose(
        &app,
        &token,
        json!({ "person_id": person, "subject": "For {{company}}", "body": "<p>Hi {{first_name}}, see <a href=\"https://example.com/deck\">the deck</a></p>" }),
    )
    .await;
    assert_eq!(app.settled_status(id).await, "delivered");
    let eml = app.sent_message(id).await;
    assert!(eml.contains(&format!("Message-ID: {}", app.message_id(id).await)));
    let (tracking, link): (String, String) = sqlx::query_as(
        "SELECT e.tracking_token, l.token FROM emails e JOIN email_links l ON l.email_id = e.id WHERE e.id = $1",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!(eml.contains(&format!("/t/v/{tracking}.gif")), "{eml}");
    assert!(eml.contains(&format!("/t/c/{link}")));
    let message = mail_parser::MessageParser::default()
        .parse(eml.as_bytes())
        .unwrap();
    let html = message.body_html(0).unwrap();
    assert!(
        !html.contains("https://example.com/deck"),
        "links are rewritten in the HTML"
    );
    // The text part keeps each link's own address after its text.
    let text = message.body_text(0).unwrap();
    assert!(
        text.contains(&format!(
            "Hi {first_name}, see the deck (https://example.com/deck)"
        )),
        "{text}"
    );
    assert!(
        eml.contains(&format!("Hi {first_name}, see")),
        "merge fields filled: {eml}"
    );
    let detail = app.get_json(&format!("/emails/{id}"), &token).await;
    assert!(!company.is_empty());
    assert_eq!(
        detail["subject"],
        format!("For {company}"),
        "the stored email is what was sent"
    );
}

#[tokio::test]
async fn an_unfilled_merge_field_fails_the_email_naming_the_field() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let person = app.a_person_of(DEMO_REP).await;
    sqlx::query("UPDATE people SET title = '' WHERE id = $1")
        .bind(person)
        .execute(&app.db)
        .await
        .unwrap();
    let id = compose(
        &app,
        &token,
        json!({ "person_id": person, "subject": "Hello", "body": "As a {{title}}..." }),
    )
    .await;
    assert_eq!(app.settled_status(id).await, "failed");
    let detail = app.get_json(&format!("/emails/{id}"), &token).await;
    assert!(detail["failure_reason"]
        .as_str()
        .unwrap()
        .contains("{{title}}"));
}

#[tokio::test]
async fn a_scheduled_email_goes_out_when_due() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let person = app.a_person_of(DEMO_REP).await;
    let send_at = (chrono::Utc::now() + chrono::Duration::milliseconds(1500)).to_rfc3339();
    let id = compose(
        &app,
        &token,
        json!({ "person_id": person, "subject": "Soon", "body": "x", "send_at": send_at }),
    )
    .await;
    assert_eq!(app.status_of(id).await, "scheduled");
    assert_eq!(app.settled_status(id).await, "delivered");
    let detail = app.get_json(&format!("/emails/{id}"), &token).await;
    assert!(detail["sent_at"].as_str().unwrap() >= send_at.as_str());
}

#[tokio::test]
async fn after_a_crash_the_outbox_transport_neither_loses_nor_doubles_a_message() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let person = app.a_person_of(DEMO_REP).await;
    // Two emails, frozen as a crash left them: both handed to the transport, one written out.
    let mut ids = Vec::new();
    for subject in ["written", "not written"] {
        let send_at = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
        ids.push(
            compose(
                &app,
                &token,
                json!({ "person_id": person, "subject": subject, "body": "x", "send_at": send_at }),
            )
            .await,
        );
    }
    for (n, id) in ids.iter().enumerate() {
        sqlx::query("UPDATE emails SET status = 'in_progress', handed_off_at = 1, message_id = $1 WHERE id = $2")
            .bind(format!("<crash-{n}@test>"))
            .bind(id)
            .execute(&app.db)
            .await
            .unwrap();
    }
    std::fs::write(outbox_file(&app.outbox, "<crash-0@test>"), "already sent").unwrap();

    // The server starts again on the same data.
    let data_dir = app.outbox.parent().unwrap().to_path_buf();
    let database_url = crate::helpers::database_url_for(&data_dir).await;
    let config = Config {
        port: 0,
        secret_file: database_url
            .is_some()
            .then(|| crate::helpers::shared_secret_file(data_dir.parent().unwrap())),
        database_url,
        data_dir,
        sender_interval_ms: 100,
        ..Config::default()
    };
    let restarted = Application::build(config).await.unwrap();
    assert_eq!(
        app.status_of(ids[0]).await,
        "delivered",
        "its file exists: it was sent"
    );
    assert_eq!(
        std::fs::read_to_string(outbox_file(&app.outbox, "<crash-0@test>")).unwrap(),
        "already sent"
    );
    tokio::spawn(restarted.serve(std::future::pending()));
    assert_eq!(
        app.settled_status(ids[1]).await,
        "delivered",
        "never written: sent again"
    );
    assert!(outbox_file(&app.outbox, &app.message_id(ids[1]).await).exists());
    let copies = std::fs::read_dir(&app.outbox)
        .unwrap()
        .filter(|f| {
            std::fs::read_to_string(f.as_ref().unwrap().path())
                .unwrap()
                .contains("Subject: not written")
        })
        .count();
    assert_eq!(copies, 1, "sent exactly once");
}
